package org.bushfire.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bushfire.domain.MalformedReading;
import org.bushfire.domain.Reading;
import org.bushfire.domain.ReadingParser;

/** Runs the simulator's command line in-process into a folder and reads back what it wrote. */
final class SimulatedRun {
    static final ObjectMapper JSON = new ObjectMapper();

    final Path readings;
    final Path truthFile;
    final List<String> lines;
    final JsonNode truth;
    final JsonNode summary;
    final String stderr;

    private SimulatedRun(Path readings, Path truthFile, List<String> lines, JsonNode truth, JsonNode summary,
                         String stderr) {
        this.readings = readings;
        this.truthFile = truthFile;
        this.lines = lines;
        this.truth = truth;
        this.summary = summary;
        this.stderr = stderr;
    }

    /** {@code simulate --sink file --output DIR/readings.jsonl --truth DIR/truth.json ARGS}, which must succeed. */
    static SimulatedRun run(Path dir, String... args) {
        try {
            Files.createDirectories(dir);
            Path readings = dir.resolve("readings.jsonl");
            Path truth = dir.resolve("truth.json");
            List<String> all = new ArrayList<>(List.of("--sink", "file", "--output", readings.toString(),
                    "--truth", truth.toString()));
            all.addAll(List.of(args));
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = SimulatorCli.execute(System.out, new PrintStream(err, true, StandardCharsets.UTF_8),
                    all.toArray(new String[0]));
            String stderr = err.toString(StandardCharsets.UTF_8);
            assertThat(exit).as("exit status; stderr:%n%s", stderr).isZero();
            String done = stderr.lines().filter(l -> l.startsWith("simulate: done ")).reduce((a, b) -> b).orElseThrow();
            return new SimulatedRun(readings, truth, Files.readAllLines(readings, StandardCharsets.UTF_8),
                    JSON.readTree(truth.toFile()), JSON.readTree(done.substring("simulate: done ".length())), stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The line as a reading, or null when the job would dead-letter it. */
    static Reading parse(String line) {
        try {
            return ReadingParser.parse(line.getBytes(StandardCharsets.UTF_8));
        } catch (MalformedReading e) {
            return null;
        }
    }

    List<Reading> parsedReadings() {
        List<Reading> out = new ArrayList<>();
        for (String line : lines) {
            Reading r = parse(line);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }
}
