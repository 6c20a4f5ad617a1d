package org.bushfire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.bushfire.domain.Reading;
import org.bushfire.domain.ReadingParser;
import org.bushfire.simulator.ReferenceScenario;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed example readings are the reference scenario, row for row: the CSV built into the simulator
 * (read from the classpath, the one copy there is) against {@code examples/reference-11-nodes.jsonl} (relative
 * to the project root, Maven's working directory for tests). docs/contract.md describes the scenario.
 */
class ReferenceScenarioTest {
    static final Path JSONL = Path.of("examples", "reference-11-nodes.jsonl");
    static final long BATCH_INTERVAL_MS = 60_000L;

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** One CSV row: {@code batch,event,node,temperature,infectedBy}, no header. */
    record Row(int batch, int event, int node, double temperature, int infectedBy) {
        static Row parse(String line) {
            String[] f = line.split(",", -1);
            assertThat(f).as("columns of %s", line).hasSize(5);
            return new Row(Integer.parseInt(f[0].trim()), Integer.parseInt(f[1].trim()),
                    Integer.parseInt(f[2].trim()), Double.parseDouble(f[3].trim()), Integer.parseInt(f[4].trim()));
        }
    }

    static List<Row> rows;
    static List<String> lines;

    @BeforeAll
    static void read() throws IOException {
        assertThat(JSONL).as("committed example (working directory %s)", Path.of("").toAbsolutePath())
                .isRegularFile();
        String csv;
        try (InputStream in = ReferenceScenarioTest.class.getClassLoader().getResourceAsStream(ReferenceScenario.BUILT_IN)) {
            assertThat(in).as("the simulator's built-in scenario %s on the classpath", ReferenceScenario.BUILT_IN)
                    .isNotNull();
            csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        rows = csv.lines()
                .filter(l -> !l.isBlank())
                .map(Row::parse)
                .collect(Collectors.toList());
        lines = Files.readAllLines(JSONL, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank())
                .collect(Collectors.toList());
    }

    @Test
    void sameNumberOfReadingsAsTheScenario() {
        assertThat(rows).hasSize(55);
        assertThat(lines).hasSameSizeAs(rows);
    }

    @Test
    void everyLineMatchesItsCsvRow() throws IOException {
        long base = MAPPER.readTree(lines.get(0)).get("eventTimestamp").asLong();
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            JsonNode json = MAPPER.readTree(lines.get(i));
            String where = "line " + (i + 1) + ": " + lines.get(i);

            assertThat(json.get("node").isIntegralNumber()).as(where).isTrue();
            assertThat(json.get("node").asInt()).as(where).isEqualTo(row.node());
            assertThat(json.get("temperature").isNumber()).as(where).isTrue();
            assertThat(json.get("temperature").asDouble()).as(where).isEqualTo(row.temperature());
            assertThat(json.get("infectedBy").isIntegralNumber()).as(where).isTrue();
            assertThat(json.get("infectedBy").asInt()).as(where).isEqualTo(row.infectedBy());
            assertThat(json.get("batch").asInt()).as(where).isEqualTo(row.batch());
            assertThat(json.get("event").asInt()).as(where).isEqualTo(row.event());
            assertThat(json.get("eventTimestamp").isIntegralNumber()).as(where).isTrue();
            assertThat(json.get("eventTimestamp").asLong()).as(where)
                    .isEqualTo(base + (row.batch() - 1) * BATCH_INTERVAL_MS);
            assertThat(json.get("network").asText()).as(where).isEqualTo("default");
        }
    }

    @Test
    void scenarioIsElevenNodesInFiveBatches() {
        for (int batch = 1; batch <= 5; batch++) {
            int b = batch;
            assertThat(rows.stream().filter(r -> r.batch() == b).map(Row::node))
                    .as("nodes of batch %d", batch)
                    .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        }
    }

    @Test
    void everyLineIsAValidReadingOfTheContract() throws Exception {
        List<Reading> readings = new ArrayList<>();
        for (String line : lines) {
            readings.add(ReadingParser.parse(line.getBytes(StandardCharsets.UTF_8)));
        }

        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            Reading r = readings.get(i);
            assertThat(r.node).isEqualTo(Integer.toString(row.node()));
            assertThat(r.nodeNumeric).isTrue();
            assertThat(r.temperature).isEqualTo(row.temperature());
            // 0 and a node's own id (an ignition) both mean no infector
            String expectedInfector = row.infectedBy() == 0 || row.infectedBy() == row.node()
                    ? null : Integer.toString(row.infectedBy());
            assertThat(r.infectedBy).as("infector of line %d", i + 1).isEqualTo(expectedInfector);
        }
    }

    @Test
    void ignitionAndSpreadAreAsTheContractDescribes() {
        // ignition at node 1 in batch 2, then 1→2 (batch 3), 2→3 and 3→4 (batch 4), 4→5 (batch 5)
        assertThat(firstBatchNaming(1, 1)).isEqualTo(2);
        assertThat(firstBatchNaming(2, 1)).isEqualTo(3);
        assertThat(firstBatchNaming(3, 2)).isEqualTo(4);
        assertThat(firstBatchNaming(4, 3)).isEqualTo(4);
        assertThat(firstBatchNaming(5, 4)).isEqualTo(5);
    }

    private static int firstBatchNaming(int node, int infector) {
        return rows.stream()
                .filter(r -> r.node() == node && r.infectedBy() == infector)
                .mapToInt(Row::batch)
                .min()
                .orElse(-1);
    }
}
