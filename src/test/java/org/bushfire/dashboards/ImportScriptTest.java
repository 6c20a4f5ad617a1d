package org.bushfire.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dashboards/import.sh with the real curl against a stand-in for Kibana's saved-objects import API on
 * 127.0.0.1: the request Kibana (and OpenSearch Dashboards) expects, credentials only from the environment.
 */
class ImportScriptTest {
    record Received(String method, String uri, Map<String, List<String>> headers, String body) {}

    @TempDir
    Path temp;

    HttpServer kibana;
    final List<Received> received = new CopyOnWriteArrayList<>();
    volatile String answer;

    @BeforeEach
    void start() throws Exception {
        kibana = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        kibana.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    Map.copyOf(exchange.getRequestHeaders()), new String(body, StandardCharsets.UTF_8)));
            byte[] response = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, response.length);
            exchange.getResponseBody().write(response);
            exchange.close();
        });
        kibana.start();
    }

    @AfterEach
    void stop() {
        kibana.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + kibana.getAddress().getPort();
    }

    private int run(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", "dashboards/import.sh"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(temp.resolve("out.txt").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("KIBANA_"));
        builder.environment().putAll(env);
        Process p = builder.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private String output() throws Exception {
        return Files.readString(temp.resolve("out.txt"));
    }

    @Test
    void postsTheSavedObjectsToTheImportApiWithTheXsrfHeadersAndBasicAuthFromTheEnvironment() throws Exception {
        // Kibana answers with the number of objects it imported: every object of the file
        long objects = Files.readAllLines(java.nio.file.Path.of("dashboards", "bushfire-dashboards.ndjson")).stream()
                .filter(l -> !l.isBlank()).count();
        assertThat(objects).isEqualTo(7);
        answer = "{\"success\":true,\"successCount\":" + objects + ",\"successResults\":[]}";
        int exit = run(Map.of("KIBANA_USERNAME", "ops", "KIBANA_PASSWORD", "s3cret"), "--kibana", url(), "--space", "fire-ops");

        assertThat(exit).as(output()).isZero();
        assertThat(output()).contains("imported " + objects + " saved objects").doesNotContain("s3cret");
        assertThat(received).hasSize(1);
        Received r = received.get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.uri()).isEqualTo("/s/fire-ops/api/saved_objects/_import?overwrite=true");
        assertThat(r.headers().get("Kbn-xsrf")).containsExactly("bushfire-import");
        assertThat(r.headers().get("Osd-xsrf")).containsExactly("bushfire-import");
        assertThat(r.headers().get("Authorization")).containsExactly(
                "Basic " + Base64.getEncoder().encodeToString("ops:s3cret".getBytes(StandardCharsets.UTF_8)));
        assertThat(r.headers().get("Content-type").get(0)).startsWith("multipart/form-data; boundary=");
        assertThat(r.body()).contains("name=\"file\"; filename=\"bushfire-dashboards.ndjson\"")
                .contains(Files.readString(SavedObjectsTest.NDJSON));
    }

    @Test
    void aPartialImportFails() throws Exception {
        answer = "{\"success\":false,\"successCount\":5,\"errors\":[{\"id\":\"bushfire-sensor-map\",\"type\":\"visualization\","
                + "\"error\":{\"type\":\"missing_references\"}}]}";
        assertThat(run(Map.of(), "--kibana", url())).isEqualTo(2);
        assertThat(output()).contains("not every object was imported").contains("missing_references");
    }

    @Test
    void aDryRunPrintsTheCallAndSendsNothing() throws Exception {
        answer = "{}";
        assertThat(run(Map.of("KIBANA_API_KEY", "c2VjcmV0"), "--kibana", url(), "--dry-run")).isZero();
        assertThat(received).isEmpty();
        assertThat(output()).startsWith("+ curl ").contains(url() + "/api/saved_objects/_import").doesNotContain("c2VjcmV0");
    }
}
