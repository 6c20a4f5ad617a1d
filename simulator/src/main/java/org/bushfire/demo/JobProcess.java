package org.bushfire.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One streaming job — the alerting job ({@code bin/bushfire run}) or the indexing job ({@code bin/bushfire
 * index}) — in a process of its own (a local MiniCluster with the Flink web UI), its output in a log file,
 * stopped by its pid.
 */
final class JobProcess {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final URI webUi;

    private JobProcess(Process process, Path log, URI webUi) {
        this.process = process;
        this.log = log;
        this.webUi = webUi;
    }

    /** {@code subcommand}: {@code run} or {@code index}. */
    static JobProcess start(Path home, String subcommand, List<String> runArgs, int webUiPort, Path log,
            Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>(Processes.inOwnSession());
        command.add(home.resolve("bin").resolve("bushfire").toString());
        command.add(subcommand);
        command.addAll(runArgs);
        command.add("--web-ui-port");
        command.add(Integer.toString(webUiPort));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(env);
        return new JobProcess(builder.start(), log, URI.create("http://127.0.0.1:" + webUiPort));
    }

    long pid() {
        return process.pid();
    }

    URI webUi() {
        return webUi;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits until Flink reports the job RUNNING; fails with the log's tail when the process ends first. */
    void awaitRunning(Duration timeout, java.util.function.BooleanSupplier stop) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !stop.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the job exited (status " + process.exitValue() + ") before it ran:\n"
                        + tail(30));
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(webUi.resolve("/jobs/overview"))
                        .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    for (JsonNode job : JSON.readTree(response.body()).path("jobs")) {
                        if ("RUNNING".equals(job.path("state").asText())) {
                            return;
                        }
                    }
                }
            } catch (IOException notYet) {
                // the web UI comes up a few seconds after the JVM
            }
            Thread.sleep(1000);
        }
        if (!stop.getAsBoolean()) {
            throw new IllegalStateException("the job was not running after " + timeout.toSeconds() + "s:\n" + tail(30));
        }
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    boolean stop() throws InterruptedException {
        return Processes.stop(process, 30);
    }
}
