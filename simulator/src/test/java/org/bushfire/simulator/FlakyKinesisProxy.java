package org.bushfire.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback proxy in front of kinesis-local that makes PutRecords fail the way Kinesis does under load: the
 * first request has some entries refused by their shard ({@code FailedRecordCount > 0}, only the others are
 * stored), the second is throttled as a whole (HTTP 400 ProvisionedThroughputExceededException), the third has
 * its first entry refused; everything else passes through unchanged. Speaks the JSON protocol only (the client
 * must run with {@code aws.cborEnabled=false}).
 */
final class FlakyKinesisProxy implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection", "expect",
            "transfer-encoding", "upgrade");

    private final HttpServer server;
    private final URI target;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final AtomicInteger putRecordsCalls = new AtomicInteger();
    final AtomicInteger entriesRefused = new AtomicInteger();
    final AtomicInteger requestsThrottled = new AtomicInteger();

    private FlakyKinesisProxy(URI target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    static FlakyKinesisProxy start(URI target) throws IOException {
        return new FlakyKinesisProxy(target);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String operation = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (operation != null && operation.endsWith(".PutRecords")) {
                if (contentType == null || !contentType.contains("json")) {
                    respond(exchange, 500, "{\"__type\":\"InternalFailure\",\"message\":\"proxy speaks JSON only\"}");
                    return;
                }
                int call = putRecordsCalls.incrementAndGet();
                if (call == 2) {
                    requestsThrottled.incrementAndGet();
                    respond(exchange, 400, "{\"__type\":\"ProvisionedThroughputExceededException\","
                            + "\"message\":\"Rate exceeded for stream\"}");
                    return;
                }
                if (call == 1 || call == 3) {
                    putRefusingSome(exchange, body, call == 1 ? i -> i % 3 == 1 : i -> i == 0);
                    return;
                }
            }
            forward(exchange, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private interface Refuse {
        boolean entry(int index);
    }

    /** Forwards the entries it does not refuse; answers with the real results merged with refusals. */
    private void putRefusingSome(HttpExchange exchange, byte[] body, Refuse refuse)
            throws IOException, InterruptedException {
        ObjectNode request = (ObjectNode) JSON.readTree(body);
        ArrayNode records = (ArrayNode) request.get("Records");
        ArrayNode kept = JSON.createArrayNode();
        for (int i = 0; i < records.size(); i++) {
            if (!refuse.entry(i)) {
                kept.add(records.get(i));
            }
        }
        request.set("Records", kept);
        HttpResponse<byte[]> forwarded = send(exchange, JSON.writeValueAsBytes(request));
        if (forwarded.statusCode() != 200) {
            respond(exchange, forwarded.statusCode(), new String(forwarded.body(), StandardCharsets.UTF_8));
            return;
        }
        JsonNode stored = JSON.readTree(forwarded.body()).get("Records");
        ArrayNode results = JSON.createArrayNode();
        int refused = 0;
        int next = 0;
        for (int i = 0; i < records.size(); i++) {
            if (refuse.entry(i)) {
                refused++;
                results.addObject().put("ErrorCode", "ProvisionedThroughputExceededException")
                        .put("ErrorMessage", "Rate exceeded for shard shardId-000000000000 in stream");
            } else {
                results.add(stored.get(next++));
            }
        }
        entriesRefused.addAndGet(refused);
        ObjectNode response = JSON.createObjectNode();
        response.put("FailedRecordCount", refused);
        response.set("Records", results);
        respond(exchange, 200, JSON.writeValueAsString(response));
    }

    private void forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = send(exchange, body);
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
        exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
        exchange.getResponseBody().write(response.body());
    }

    private HttpResponse<byte[]> send(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                values.forEach(v -> request.header(name, v));
            }
        });
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
