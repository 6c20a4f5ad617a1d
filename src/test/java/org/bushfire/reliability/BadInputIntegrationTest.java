package org.bushfire.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.bushfire.testing.Replay;
import org.bushfire.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What sensors send is untrusted. A corpus of bad records (test resources {@code bad-readings/}: binary
 * garbage, invalid UTF-8, truncated and nested JSON, a 1 MB id, numbers as strings, NaN, missing and mistyped
 * fields, zero/negative/far-future times, duplicate keys, absurd temperatures, control characters in ids, …)
 * interleaved with the reference fire: the job runs on, the alert is the same, and every bad record is
 * dead-lettered with its class and reason.
 */
class BadInputIntegrationTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestCluster.twoSlots();

    static final Path CORPUS = Path.of("src", "test", "resources", "bad-readings", "corpus.jsonl");
    static final Path EXPECTED = Path.of("src", "test", "resources", "bad-readings", "expected.tsv");
    static final Path REFERENCE = Path.of("examples", "reference-11-nodes.jsonl");

    @TempDir
    Path dir;

    @Test
    void everyBadRecordIsDeadLetteredWithItsClassAndTheFireStillAlertsTheSame() throws Exception {
        List<byte[]> bad = lines(Files.readAllBytes(CORPUS));
        List<String[]> expected = new ArrayList<>();
        for (String line : Files.readAllLines(EXPECTED, StandardCharsets.UTF_8)) {
            if (!line.startsWith("#")) {
                expected.add(line.split("\t"));
            }
        }
        assertThat(bad).hasSize(expected.size()).hasSizeGreaterThanOrEqualTo(20);
        assertThat(expected.stream().map(e -> e[1]).distinct().count()).as("classes").isGreaterThanOrEqualTo(9);

        // Interleave: a bad record after every second reference reading; remember where each one lands.
        List<byte[]> reference = lines(Files.readAllBytes(REFERENCE));
        ByteArrayOutputStream mixed = new ByteArrayOutputStream();
        Map<String, String[]> expectedByOrigin = new HashMap<>();
        int line = 0;
        int next = 0;
        for (int i = 0; i < reference.size(); i++) {
            mixed.write(reference.get(i));
            mixed.write('\n');
            line++;
            if (i % 2 == 1 && next < bad.size()) {
                mixed.write(bad.get(next));
                mixed.write('\n');
                line++;
                expectedByOrigin.put("line " + line, expected.get(next));
                next++;
            }
        }
        for (; next < bad.size(); next++) {
            mixed.write(bad.get(next));
            mixed.write('\n');
            line++;
            expectedByOrigin.put("line " + line, expected.get(next));
        }
        Path input = Files.write(dir.resolve("mixed.jsonl"), mixed.toByteArray());

        Replay clean = Replay.run(dir.resolve("clean"), REFERENCE);
        Replay dirty = Replay.run(dir.resolve("dirty"), input);

        assertThat(dirty.alerts).as("the same alert as without the bad records").isEqualTo(clean.alerts).hasSize(1);
        assertThat(dirty.late).isEmpty();
        assertThat(dirty.deadLetters).hasSize(bad.size());
        Set<String> seen = new HashSet<>();
        for (JsonNode deadLetter : dirty.deadLetters) {
            String origin = deadLetter.get("origin").asText();
            String[] want = expectedByOrigin.get(origin);
            assertThat(want).as("a dead letter from %s, which holds a bad record", origin).isNotNull();
            assertThat(deadLetter.get("kind").asText()).as("class of %s (%s)", origin, want[2]).isEqualTo(want[1]);
            assertThat(deadLetter.get("reason").asText()).as("reason for %s", want[2]).isNotBlank();
            assertThat(deadLetter.has("raw")).isTrue();
            seen.add(origin);
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(expectedByOrigin.keySet());
    }

    private static List<byte[]> lines(byte[] content) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < content.length; i++) {
            if (content[i] == '\n') {
                if (i > start) {
                    lines.add(java.util.Arrays.copyOfRange(content, start, i));
                }
                start = i + 1;
            }
        }
        if (start < content.length) {
            lines.add(java.util.Arrays.copyOfRange(content, start, content.length));
        }
        return lines;
    }
}
