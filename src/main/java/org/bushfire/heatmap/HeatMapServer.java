package org.bushfire.heatmap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.apache.http.util.EntityUtils;
import org.bushfire.elasticsearch.ElasticsearchClients;
import org.bushfire.elasticsearch.ElasticsearchSettings;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * The local heat map page, for when Kibana is not at hand: serves the page on 127.0.0.1 and lets it search
 * the readings and alerts indices through one origin. The proxy is deliberately narrow: the page may only
 * POST searches to {@code /es/readings/_search} and {@code /es/alerts/_search}, which go to the configured
 * indices with the job's own Elasticsearch settings (hosts, credentials, TLS trust); nothing else of
 * Elasticsearch is reachable through it.
 */
public final class HeatMapServer implements AutoCloseable {
    static final int MAX_QUERY_BYTES = 64 * 1024;
    private static final Map<String, String> PAGES = Map.of(
            "/", "heatmap/index.html",
            "/index.html", "heatmap/index.html",
            "/heatmap.js", "heatmap/heatmap.js",
            "/heatmap.css", "heatmap/heatmap.css");

    private final HttpServer server;
    private final ExecutorService executor;
    private final RestClient elasticsearch;
    private final ElasticsearchSettings settings;
    private final String config;

    private HeatMapServer(HttpServer server, ExecutorService executor, RestClient elasticsearch,
            ElasticsearchSettings settings, String config) {
        this.server = server;
        this.executor = executor;
        this.elasticsearch = elasticsearch;
        this.settings = settings;
        this.config = config;
    }

    /**
     * Starts serving on 127.0.0.1:{@code port} (0 picks a free port).
     *
     * @param threshold T, the temperature from which a cell is drawn hot (the job's --threshold)
     * @param windowMinutes how much event time the heat map shows, ending at the newest reading
     * @param refreshMillis how often the page searches again
     */
    public static HeatMapServer start(ElasticsearchSettings settings, int port, double threshold, int windowMinutes,
            int refreshMillis) throws IOException {
        ElasticsearchSettings resolved = settings.resolved();
        String config = String.format(Locale.ROOT,
                "{\"threshold\":%s,\"windowMinutes\":%d,\"refreshMillis\":%d,\"readingsIndex\":\"%s\",\"alertsIndex\":\"%s\"}",
                Double.toString(threshold), windowMinutes, refreshMillis, jsonText(resolved.readingsIndex()),
                jsonText(resolved.alertsIndex()));
        RestClient client = ElasticsearchClients.restClient(resolved).build();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (IOException e) {
            client.close();
            throw new IOException("cannot listen on 127.0.0.1:" + port + " (" + e.getMessage() + ")", e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "heat-map-server");
            t.setDaemon(true);
            return t;
        });
        HeatMapServer heatMap = new HeatMapServer(server, executor, client, resolved, config);
        server.createContext("/", heatMap::handle);
        server.setExecutor(executor);
        server.start();
        return heatMap;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port() + "/";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.startsWith("/es/")) {
                String target = switch (path) {
                    case "/es/readings/_search" -> settings.readingsIndex();
                    case "/es/alerts/_search" -> settings.alertsIndex();
                    default -> null;
                };
                if (target == null) {
                    send(exchange, 404, "application/json", "{\"error\":\"only /es/readings/_search and /es/alerts/_search\"}");
                } else if (!method.equals("POST")) {
                    exchange.getResponseHeaders().add("Allow", "POST");
                    send(exchange, 405, "application/json", "{\"error\":\"POST a search\"}");
                } else {
                    search(exchange, target);
                }
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().add("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain", "GET only");
                return;
            }
            if (path.equals("/config.json")) {
                send(exchange, 200, "application/json", config);
                return;
            }
            String resource = PAGES.get(path);
            if (resource == null) {
                send(exchange, 404, "text/plain", "not found");
                return;
            }
            try (InputStream in = HeatMapServer.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    send(exchange, 500, "text/plain", "missing resource " + resource);
                    return;
                }
                String type = resource.endsWith(".js") ? "text/javascript" : resource.endsWith(".css") ? "text/css" : "text/html";
                send(exchange, 200, type + "; charset=utf-8", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    private void search(HttpExchange exchange, String index) throws IOException {
        byte[] query = exchange.getRequestBody().readNBytes(MAX_QUERY_BYTES + 1);
        if (query.length > MAX_QUERY_BYTES) {
            send(exchange, 413, "application/json", "{\"error\":\"query too large\"}");
            return;
        }
        Request request = new Request("POST", "/" + URLEncoder.encode(index, StandardCharsets.UTF_8) + "/_search");
        request.setEntity(new NStringEntity(new String(query, StandardCharsets.UTF_8), ContentType.APPLICATION_JSON));
        try {
            Response response = elasticsearch.performRequest(request);
            send(exchange, response.getStatusLine().getStatusCode(), "application/json",
                    EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8));
        } catch (ResponseException e) {
            send(exchange, e.getResponse().getStatusLine().getStatusCode(), "application/json",
                    EntityUtils.toString(e.getResponse().getEntity(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            send(exchange, 502, "application/json", "{\"error\":\"cannot reach Elasticsearch at "
                    + jsonText(settings.describeHosts()) + ": " + jsonText(String.valueOf(e.getMessage())) + "\"}");
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static String jsonText(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            elasticsearch.close();
        } catch (IOException ignored) {
            // closing the client of a stopped page: nothing left to do
        }
    }
}
