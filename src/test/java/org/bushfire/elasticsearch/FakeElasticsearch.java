package org.bushfire.elasticsearch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;

/**
 * A loopback HTTP(S) server that answers every request with one fixed status and JSON body and records what
 * it was sent: enough to see what reaches the wire (headers, paths, TLS) without a real node.
 */
final class FakeElasticsearch implements AutoCloseable {
    /** One request as the server saw it. */
    static final class Received {
        final String method;
        final String path;
        final String authorization;
        final String body;
        /** Every header, names lowercased; and the query as sent, still encoded (null when none). */
        final java.util.Map<String, List<String>> headers;
        final String rawQuery;

        Received(String method, String path, String authorization, String body) {
            this(method, path, authorization, body, java.util.Map.of(), null);
        }

        Received(String method, String path, String authorization, String body,
                java.util.Map<String, List<String>> headers, String rawQuery) {
            this.method = method;
            this.path = path;
            this.authorization = authorization;
            this.body = body;
            this.headers = headers;
            this.rawQuery = rawQuery;
        }
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final String scheme;
    private volatile int status = 200;
    private volatile String body = "{}";

    private FakeElasticsearch(HttpServer server, String scheme) {
        this.server = server;
        this.scheme = scheme;
        server.createContext("/", this::handle);
        server.start();
    }

    static FakeElasticsearch http() {
        try {
            return new FakeElasticsearch(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), "http");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static FakeElasticsearch https(SSLContext tls) {
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            return new FakeElasticsearch(server, "https");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    FakeElasticsearch answering(int status, String body) {
        this.status = status;
        this.body = body;
        return this;
    }

    String url() {
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String requestBody = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        java.util.Map<String, List<String>> headers = new java.util.TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values));
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestHeaders().getFirst("Authorization"), requestBody, headers,
                exchange.getRequestURI().getRawQuery()));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
