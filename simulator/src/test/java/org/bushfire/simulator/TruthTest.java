package org.bushfire.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bushfire.domain.Reading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The truth file says what the emitted readings show, and the same seed gives the same run. */
class TruthTest {
    static final String START = "2024-11-21T00:00:00Z";
    static final String[] GENERATED = {"--scenario", "generated", "--start", START, "--duration", "3h",
        "--sensors", "240", "--networks", "4", "--fires", "4"};

    @TempDir
    Path dir;

    @Test
    void sameSeedGivesExactlyTheSameReadingsAndTruth() throws Exception {
        SimulatedRun a = SimulatedRun.run(dir.resolve("a"), with(GENERATED, "--seed", "11", "--malformed", "0.01", "--duplicate", "0.01",
                "--late", "0.01", "--jitter", "0.05", "--drop", "0.01"));
        SimulatedRun b = SimulatedRun.run(dir.resolve("b"), with(GENERATED, "--seed", "11", "--malformed", "0.01", "--duplicate", "0.01",
                "--late", "0.01", "--jitter", "0.05", "--drop", "0.01"));
        SimulatedRun other = SimulatedRun.run(dir.resolve("c"), with(GENERATED, "--seed", "12"));

        assertThat(Files.mismatch(a.readings, b.readings)).as("readings files differ at byte").isEqualTo(-1L);
        assertThat(withoutTiming(a.truth)).isEqualTo(withoutTiming(b.truth));
        assertThat(a.lines).isNotEqualTo(other.lines);
    }

    @Test
    void faultsDoNotMoveTheFires() {
        SimulatedRun clean = SimulatedRun.run(dir.resolve("clean"), with(GENERATED, "--seed", "11"));
        SimulatedRun faulty = SimulatedRun.run(dir.resolve("faulty"), with(GENERATED, "--seed", "11", "--malformed", "0.05",
                "--drop", "0.05", "--late", "0.02", "--duplicate", "0.02", "--jitter", "0.1"));

        assertThat(treeOf(faulty.truth)).isEqualTo(treeOf(clean.truth));
    }

    @Test
    void truthAgreesWithTheReadingsOfAGeneratedRun() {
        SimulatedRun run = SimulatedRun.run(dir, with(GENERATED, "--seed", "11"));
        List<Reading> readings = run.parsedReadings();
        assertThat(readings).hasSize(run.lines.size()).hasSize(240 * 180);

        Map<String, Reading> firstHot = new HashMap<>();
        Map<String, Reading> anyReading = new HashMap<>();
        for (Reading r : readings) {
            anyReading.putIfAbsent(key(r.network, r.node), r);
            if (r.isHot(50.0)) {
                firstHot.putIfAbsent(key(r.network, r.node), r);
            }
        }
        double range = run.truth.get("radioRangeMetres").asDouble();
        Set<String> burnt = new HashSet<>();
        JsonNode fires = run.truth.get("fires");
        assertThat(fires.size()).as("one fire in each network").isEqualTo(4);
        for (JsonNode fire : fires) {
            String network = fire.get("network").asText();
            JsonNode nodes = fire.get("nodes");
            assertThat(nodes.get(0).get("node")).isEqualTo(fire.get("root"));
            assertThat(nodes.get(0).get("infectedBy").isNull()).as("the root is an ignition").isTrue();
            Map<String, JsonNode> inFire = new HashMap<>();
            for (JsonNode n : nodes) {
                String node = n.get("node").asText();
                inFire.put(node, n);
                burnt.add(key(network, node));
                Reading onset = firstHot.get(key(network, node));
                assertThat(onset).as("%s/%s has a hot reading", network, node).isNotNull();
                assertThat(onset.eventTimestamp).as("onset of %s/%s", network, node)
                        .isEqualTo(n.get("onsetTimestamp").asLong())
                        .isEqualTo(n.get("deliveredOnsetTimestamp").asLong());
                long infection = n.get("infectionTimestamp").asLong();
                assertThat(onset.eventTimestamp - infection).as("first report after the fire arrived")
                        .isBetween(0L, 60_000L - 1);
                JsonNode by = n.get("infectedBy");
                assertThat(onset.infectedBy).isEqualTo(by.isNull() ? null : by.asText());
                if (!by.isNull()) {
                    JsonNode infector = inFire.get(by.asText());
                    assertThat(infector).as("%s's infector %s burnt earlier in the same fire", node, by).isNotNull();
                    assertThat(infection).isGreaterThan(infector.get("infectionTimestamp").asLong());
                    assertThat(Mesh.distanceMetres(n.get("lat").asDouble(), n.get("lon").asDouble(),
                            infector.get("lat").asDouble(), infector.get("lon").asDouble()))
                            .as("infector is a neighbour").isLessThanOrEqualTo(range + 1);
                    assertThat(onset.lat).isEqualTo(n.get("lat").asDouble());
                }
            }
        }
        assertThat(firstHot.keySet()).as("no sensor is hot without fire").isEqualTo(burnt);
        assertThat(anyReading).hasSize(240);
    }

    @Test
    void deliveredOnsetsAreTheFirstHotReadingsTheJobCanUse() {
        SimulatedRun run = SimulatedRun.run(dir, with(GENERATED, "--seed", "11", "--malformed", "0.05", "--drop", "0.05",
                "--late", "0.05", "--duplicate", "0.05", "--jitter", "0.2", "--jitter-by", "25s"));
        long bound = 30_000;
        Map<String, Long> delivered = new HashMap<>();
        long newest = Long.MIN_VALUE;
        int malformed = 0;
        int late = 0;
        for (String line : run.lines) {
            Reading r = SimulatedRun.parse(line);
            if (r == null) {
                malformed++;
                continue;
            }
            boolean onTime = newest == Long.MIN_VALUE || r.eventTimestamp >= newest - bound;
            newest = Math.max(newest, r.eventTimestamp);
            if (!onTime) {
                late++;
            } else if (r.isHot(50.0)) {
                delivered.merge(key(r.network, r.node), r.eventTimestamp, Math::min);
            }
        }
        JsonNode summary = run.summary;
        assertThat(malformed).isEqualTo(summary.get("readingsMalformed").asInt()).isPositive();
        assertThat(late).isEqualTo(summary.get("readingsLate").asInt()).isPositive();
        assertThat(run.lines).hasSize(summary.get("readingsSent").asInt());
        assertThat(summary.get("readingsSent").asLong()).isEqualTo(summary.get("readingsProduced").asLong()
                - summary.get("readingsDropped").asLong() + summary.get("readingsDuplicated").asLong());
        assertThat(new HashSet<>(run.lines)).as("distinct lines").hasSize(summary.get("distinctReadings").asInt()
                + (int) run.lines.stream().filter(l -> SimulatedRun.parse(l) == null).distinct().count());

        int shifted = 0;
        for (JsonNode fire : run.truth.get("fires")) {
            for (JsonNode n : fire.get("nodes")) {
                Long expected = delivered.get(key(fire.get("network").asText(), n.get("node").asText()));
                JsonNode actual = n.get("deliveredOnsetTimestamp");
                assertThat(actual.isNull() ? null : actual.asLong()).as("delivered onset of %s", n).isEqualTo(expected);
                if (expected == null || expected != n.get("onsetTimestamp").asLong()) {
                    shifted++;
                }
            }
        }
        assertThat(shifted).as("faults moved some delivered onsets").isPositive();
    }

    @Test
    void everyMalformedReadingIsOneTheJobRefuses() {
        SimulatedRun run = SimulatedRun.run(dir, "--scenario", "generated", "--start", START, "--duration", "30m",
                "--sensors", "50", "--malformed", "0.5", "--seed", "3");
        long refused = run.lines.stream().filter(l -> SimulatedRun.parse(l) == null).count();
        assertThat(refused).isEqualTo(run.summary.get("readingsMalformed").asLong()).isGreaterThan(600);
    }

    @Test
    void fireRunsDownwind() {
        assertThat(eastwardShare(270)).as("a westerly wind drives fire east").isGreaterThan(0.25);
        assertThat(eastwardShare(90)).as("an easterly wind drives fire west").isLessThan(-0.25);
    }

    /** Mean over infection links of +1 for a link going east, -1 going west. */
    private double eastwardShare(int windFrom) {
        SimulatedRun run = SimulatedRun.run(dir.resolve("wind-" + windFrom), "--scenario", "generated", "--start", START,
                "--duration", "4h", "--sensors", "400", "--fires", "3", "--wind-dir", Integer.toString(windFrom),
                "--wind-speed", "40", "--seed", "5");
        double eastward = 0;
        int links = 0;
        for (JsonNode fire : run.truth.get("fires")) {
            Map<String, JsonNode> byNode = new HashMap<>();
            fire.get("nodes").forEach(n -> byNode.put(n.get("node").asText(), n));
            for (JsonNode n : fire.get("nodes")) {
                if (!n.get("infectedBy").isNull()) {
                    JsonNode from = byNode.get(n.get("infectedBy").asText());
                    eastward += Math.signum(n.get("lon").asDouble() - from.get("lon").asDouble());
                    links++;
                }
            }
        }
        assertThat(links).isGreaterThan(20);
        return eastward / links;
    }

    static String[] with(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    static String key(String network, String node) {
        return network + "/" + node;
    }

    private static JsonNode withoutTiming(JsonNode truth) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = truth.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) copy.get("summary")).remove(List.of("wallSeconds",
                "readingsPerSecond"));
        copy.remove("sink");
        return copy;
    }

    /** Network, node, infector and infection time of every burnt sensor. */
    private static Set<String> treeOf(JsonNode truth) {
        Set<String> tree = new HashSet<>();
        for (JsonNode fire : truth.get("fires")) {
            for (JsonNode n : fire.get("nodes")) {
                tree.add(fire.get("network").asText() + "/" + n.get("node") + "<" + n.get("infectedBy") + "@"
                        + n.get("infectionTimestamp") + " onset " + n.get("onsetTimestamp"));
            }
        }
        return tree;
    }
}
