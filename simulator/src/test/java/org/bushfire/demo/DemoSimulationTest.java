package org.bushfire.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bushfire.simulator.ExpectedAlertsAccess;
import org.bushfire.simulator.ReadingSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's pacing claims, checked offline: run as the demo runs it (minus the waiting), its generated fires
 * complete chains of five within a couple of minutes, and the reference fire is the reference alert.
 */
class DemoSimulationTest {
    @TempDir
    Path dir;

    @Test
    void generatedFiresCompleteChainsWithinMinutes() throws Exception {
        Instant start = Instant.parse("2024-11-21T03:00:00Z");
        DemoSimulation simulation = new DemoSimulation(120, 2, 7, start);
        List<String> lines = new ArrayList<>();
        long generatedStart = start.toEpochMilli() + DemoSimulation.GAP_SECONDS * 1000L;
        // In the past, so nothing waits: the same readings, sent at once.
        simulation.runAt(collect(lines), () -> false, Instant.ofEpochMilli(generatedStart).plus(Duration.ofMinutes(4)),
                dir, System.out, Double.POSITIVE_INFINITY);

        JsonNode reference = new ObjectMapper().readTree(dir.resolve("truth-reference.json").toFile());
        assertThat(ExpectedAlertsAccess.alertIds(reference)).containsExactly(simulation.referenceAlertId());

        JsonNode generated = new ObjectMapper().readTree(dir.resolve("truth-generated.json").toFile());
        List<Long> completions = ExpectedAlertsAccess.completions(generated);
        assertThat(completions).as("generated fires that alert").hasSizeGreaterThanOrEqualTo(2);
        assertThat(completions.get(0) - generatedStart).as("first chain of five, after the generated part starts")
                .isLessThan(Duration.ofSeconds(75).toMillis());
        assertThat(completions.get(1) - generatedStart).isLessThan(Duration.ofSeconds(120).toMillis());
        assertThat(lines.size()).as("11 × (5 + 1) + 120 every 5 s for 4 minutes, ± faults").isBetween(5800, 5900);

        // the reference fire is put out after its five batches: every one of its sensors last reports below T
        java.util.Map<String, JsonNode> lastOfReferenceSensor = new java.util.HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            JsonNode reading;
            try {
                reading = json.readTree(line);
            } catch (java.io.IOException malformed) {
                continue; // a fault of the generated part (the reference part has none)
            }
            if (!reading.path("node").isValueNode() || !reading.path("temperature").isNumber()
                    || !reading.path("eventTimestamp").isNumber()) {
                continue; // likewise
            }
            if (!reading.has("network") || reading.get("network").asText().equals("default")) {
                lastOfReferenceSensor.put(reading.get("node").asText(), reading);
            }
        }
        assertThat(lastOfReferenceSensor).hasSize(11);
        assertThat(lastOfReferenceSensor.values()).allSatisfy(r -> {
            assertThat(r.get("temperature").asDouble()).isLessThan(DemoSimulation.THRESHOLD);
            assertThat(r.get("eventTimestamp").asLong()).isEqualTo(start.toEpochMilli()
                    + 5L * DemoSimulation.REFERENCE_INTERVAL_SECONDS * 1000);
        });
    }

    @Test
    void ignitionsAreAtTheUpwindEdgeOfEachNetwork() {
        DemoSimulation simulation = new DemoSimulation(120, 2, 7, Instant.now());
        var settings = simulation.generatedSettings();
        assertThat(settings.ignitions()).hasSize(3);
        assertThat(settings.ignitions()).extracting(i -> i.network())
                .containsExactly("ridge-1", "ridge-2", "ridge-1");
        assertThat(settings.ignitions().get(0).node()).isNotEqualTo(settings.ignitions().get(2).node());
    }

    private static ReadingSink collect(List<String> lines) {
        return new ReadingSink() {
            @Override
            public void send(String line, String partitionKey) {
                lines.add(line);
            }

            @Override
            public void flush() {}

            @Override
            public String describe() {
                return "memory";
            }

            @Override
            public void close() throws IOException {}
        };
    }
}
