package org.bushfire.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bushfire.cli.BushfireCli;

/** Runs {@code bushfire replay} in-process, exactly as the launcher does, and reads back what it wrote. */
public final class Replay {
    private static final ObjectMapper JSON = new ObjectMapper();

    public final List<JsonNode> alerts;
    public final List<JsonNode> deadLetters;
    public final List<JsonNode> late;

    private Replay(List<JsonNode> alerts, List<JsonNode> deadLetters, List<JsonNode> late) {
        this.alerts = alerts;
        this.deadLetters = deadLetters;
        this.late = late;
    }

    public static Replay run(Path dir, Scenario scenario, String... options) {
        return run(dir, scenario.write(createDirectories(dir).resolve("readings.jsonl")), options);
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Replay run(Path dir, Path readings, String... options) {
        createDirectories(dir);
        Path alerts = dir.resolve("alerts.jsonl");
        Path deadLetters = dir.resolve("dead-letters.jsonl");
        Path late = dir.resolve("late.jsonl");
        List<String> args = new ArrayList<>(List.of("replay",
                "--input", readings.toString(),
                "--alerts-out", alerts.toString(),
                "--dead-letters-out", deadLetters.toString(),
                "--late-out", late.toString()));
        args.addAll(List.of(options));
        int exit = BushfireCli.execute(args.toArray(new String[0]));
        assertThat(exit).as("replay exit code").isZero();
        return new Replay(read(alerts), read(deadLetters), read(late));
    }

    public static List<JsonNode> read(Path file) {
        try {
            List<JsonNode> nodes = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    nodes.add(JSON.readTree(line));
                }
            }
            return nodes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The chain of the only alert, as text ids. */
    public List<String> onlyChain() {
        assertThat(alerts).as("alerts").hasSize(1);
        return chainOf(alerts.get(0));
    }

    public static List<String> chainOf(JsonNode alert) {
        List<String> chain = new ArrayList<>();
        alert.get("chain").forEach(n -> chain.add(n.asText()));
        return chain;
    }
}
