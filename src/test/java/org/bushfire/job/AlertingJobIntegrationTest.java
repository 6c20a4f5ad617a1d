package org.bushfire.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bushfire.testing.Scenario.minutes;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bushfire.domain.ContractJson;
import org.bushfire.domain.ReadingParser;
import org.bushfire.testing.Replay;
import org.bushfire.testing.Scenario;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.bushfire.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alerting contract end to end: each scenario is replayed through {@code bushfire replay} — the command
 * users run — on a MiniCluster at parallelism 2.
 */
class AlertingJobIntegrationTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestCluster.twoSlots();

    static final Path REFERENCE = Path.of("examples", "reference-11-nodes.jsonl");

    @TempDir
    Path dir;

    @Test
    void referenceScenarioRaisesExactlyOneAlertAlongOneToFive() {
        Replay replay = Replay.run(dir, REFERENCE);

        assertThat(replay.onlyChain()).containsExactly("1", "2", "3", "4", "5");
        JsonNode alert = replay.alerts.get(0);
        assertThat(alert.get("network").asText()).isEqualTo("default");
        assertThat(alert.get("fireRoot").isNumber()).as("ids appear as in the input").isTrue();
        assertThat(alert.get("fireRoot").asInt()).isEqualTo(1);
        assertThat(alert.get("chain").get(0).isNumber()).isTrue();
        assertThat(alert.get("completedTime").asText()).isEqualTo("2024-11-21T00:04:00Z");
        List<String> onsetTimes = new ArrayList<>();
        alert.get("onsets").forEach(o -> onsetTimes.add(o.get("onsetTime").asText()));
        assertThat(onsetTimes).containsExactly("2024-11-21T00:01:00Z", "2024-11-21T00:02:00Z",
                "2024-11-21T00:03:00Z", "2024-11-21T00:04:00Z", "2024-11-21T00:04:00Z");
        assertThat(alert.get("onsets").get(0).get("temperature").asDouble()).isEqualTo(51.0);
        assertThat(alert.get("onsets").get(0).get("infectedBy").isNull()).isTrue();
        assertThat(replay.deadLetters).isEmpty();
        assertThat(replay.late).isEmpty();
    }

    @Test
    void iotRuleTimeFormatGivesTheSameAlert() throws Exception {
        List<String> iotLines = new ArrayList<>();
        for (String line : Files.readAllLines(REFERENCE, StandardCharsets.UTF_8)) {
            iotLines.add(ContractJson.reading(ReadingParser.parse(line.getBytes(StandardCharsets.UTF_8)),
                    ContractJson.TimeFormat.IOT_RULE));
        }
        assertThat(iotLines.get(0)).contains("\"eventTime\":\"2024-11-21T00:00:00.000+0000\"");

        Replay epoch = Replay.run(dir.resolve("epoch-run"), REFERENCE);
        Replay iot = Replay.run(dir, Scenario.create().lines(iotLines));

        assertThat(iot.alerts).isEqualTo(epoch.alerts);
    }

    @Test
    void deadEndBranchDoesNotHideAChainOnItsSibling() {
        Replay replay = Replay.run(dir, Scenario.create()
                .chain("default", minutes(1), minutes(1), 1, 2, 3)
                .hot("4a", minutes(4), 3)          // infected first, but the fire dies here
                .hot("4b", minutes(5), 3)
                .hot("5b", minutes(6), "4b"));

        assertThat(replay.onlyChain()).containsExactly("1", "2", "3", "4b", "5b");
    }

    @Test
    void sameNodeIdsInTwoNetworksAreTwoFires() {
        Replay replay = Replay.run(dir, Scenario.create()
                .chain("ridge-7", minutes(1), minutes(1), 1, 2, 3, 4, 5)
                .chain("valley-2", minutes(1), minutes(2), 1, 2, 3, 4, 5)
                .inEventTimeOrder());

        assertThat(replay.alerts).hasSize(2);
        Set<String> networks = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode alert : replay.alerts) {
            networks.add(alert.get("network").asText());
            ids.add(alert.get("alertId").asText());
            assertThat(Replay.chainOf(alert)).containsExactly("1", "2", "3", "4", "5");
        }
        assertThat(networks).containsExactlyInAnyOrder("ridge-7", "valley-2");
        assertThat(ids).hasSize(2);
    }

    @Test
    void fireNeverCrossesNetworks() {
        Replay replay = Replay.run(dir, Scenario.create()
                .chain("ridge-7", minutes(1), minutes(1), 1, 2, 3)
                .hot("valley-2", 4, minutes(4), 3)
                .hot("valley-2", 5, minutes(5), 4));

        assertThat(replay.alerts).isEmpty();
    }

    @Test
    void aColdLinkBreaksTheChain() {
        Replay replay = Replay.run(dir, Scenario.create()
                .chain("default", minutes(1), minutes(1), 1, 2)
                .reading("default", 3, minutes(3), 45.0, 2)   // warm, never hot: no onset
                .hot(4, minutes(4), 3)
                .hot(5, minutes(5), 4)
                .hot(6, minutes(6), 5));

        assertThat(replay.alerts).isEmpty();
    }

    @Test
    void aHopSlowerThanTheWindowBreaksTheChain() {
        Replay replay = Replay.run(dir, Scenario.create()
                .chain("default", minutes(1), minutes(1), 1, 2, 3)
                .hot(4, minutes(3).plus(minutes(30)).plusSeconds(1), 3)
                .hot(5, minutes(34), 4));

        assertThat(replay.alerts).isEmpty();
    }

    @Test
    void aHopOfExactlyTheWindowStillCounts() {
        Replay replay = Replay.run(dir, Scenario.create()
                .chain("default", minutes(1), minutes(30), 1, 2, 3, 4, 5));

        assertThat(replay.onlyChain()).containsExactly("1", "2", "3", "4", "5");
    }

    @Test
    void theWindowIsConfigurable() {
        Scenario scenario = Scenario.create().chain("default", minutes(1), minutes(10), 1, 2, 3, 4, 5);

        assertThat(Replay.run(dir, scenario, "--window", "9m").alerts).isEmpty();
        assertThat(Replay.run(dir, scenario, "--window", "10m").onlyChain()).hasSize(5);
    }

    @Test
    void arrivalOrderWithinTheBoundChangesNothing() {
        Scenario ordered = Scenario.create();
        Scenario shuffled = Scenario.create();
        for (Scenario s : List.of(ordered, shuffled)) {
            for (int second = 0; second < 600; second += 5) {
                s.cold(100 + second % 7, Duration.ofSeconds(second));
                if (second % 60 == 0 && second > 0 && second <= 360) {
                    int node = second / 60;
                    s.hot(node, Duration.ofSeconds(second), node == 1 ? null : node - 1);
                }
            }
        }
        // Blocks of 5 lines span 20 s of event time, less than B = 30 s.
        shuffled.shuffledWithinBlocks(5, 42);
        assertThat(shuffled.lines()).isNotEqualTo(ordered.lines());

        Replay inOrder = Replay.run(dir.resolve("ordered-run"), ordered);
        Replay outOfOrder = Replay.run(dir, shuffled);

        assertThat(outOfOrder.late).isEmpty();
        assertThat(outOfOrder.alerts).isEqualTo(inOrder.alerts).hasSize(1);
        assertThat(outOfOrder.onlyChain()).containsExactly("1", "2", "3", "4", "5");
    }

    @Test
    void duplicatedReadingsChangeNothing() {
        Replay once = Replay.run(dir.resolve("once-run"), Scenario.create().lines(readLines(REFERENCE)));
        Replay twice = Replay.run(dir, Scenario.create().lines(readLines(REFERENCE)).duplicated());

        assertThat(twice.alerts).isEqualTo(once.alerts).hasSize(1);
    }

    @Test
    void malformedLinesAreDeadLetteredAndTheAlertStands() {
        List<String> garbage = List.of("not json", "{\"node\": 3}", "[1,2,3]", "{\"node\":1,\"eventTimestamp\":"
                + Scenario.at(minutes(1)) + ",\"temperature\":\"hot\"}", "{\"temperature\":70,\"eventTimestamp\":1}");
        List<String> lines = new ArrayList<>();
        List<String> reference = readLines(REFERENCE);
        for (int i = 0; i < reference.size(); i++) {
            lines.add(reference.get(i));
            if (i % 11 == 5) {
                lines.add(garbage.get((i / 11) % garbage.size()));
            }
        }

        Replay replay = Replay.run(dir, Scenario.create().lines(lines));

        assertThat(replay.onlyChain()).containsExactly("1", "2", "3", "4", "5");
        assertThat(replay.deadLetters).hasSize(5);
        List<String> raws = new ArrayList<>();
        for (JsonNode d : replay.deadLetters) {
            assertThat(d.get("reason").asText()).isNotBlank();
            assertThat(d.get("origin").asText()).startsWith("line ");
            raws.add(d.get("raw").asText());
        }
        assertThat(raws).containsExactlyInAnyOrderElementsOf(garbage);
    }

    @Test
    void aTwelveNodeChainRaisesOneAlert() {
        Object[] nodes = new Object[12];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = i + 1;
        }
        Replay replay = Replay.run(dir, Scenario.create().chain("default", minutes(1), minutes(2), nodes));

        assertThat(replay.onlyChain()).containsExactly("1", "2", "3", "4", "5");
    }

    @Test
    void reversedCausalityRaisesNothing() {
        Replay replay = Replay.run(dir, Scenario.create()
                .hot(5, minutes(1), 4)
                .hot(4, minutes(2), 3)
                .hot(3, minutes(3), 2)
                .hot(2, minutes(4), 1)
                .hot(1, minutes(5), null));

        assertThat(replay.alerts).isEmpty();
    }

    @Test
    void aChainWithinOneInstantIsFoundWhateverTheLineOrder() {
        Replay replay = Replay.run(dir, Scenario.create()
                .chain("default", minutes(1), Duration.ZERO, 1, 2, 3, 4, 5)
                .reversed());

        assertThat(replay.onlyChain()).containsExactly("1", "2", "3", "4", "5");
    }

    @Test
    void aFarFutureReadingIsRefusedAndDoesNotMakeHonestReadingsLate() {
        List<String> reference = readLines(REFERENCE);
        List<String> lines = new ArrayList<>(reference.subList(0, 11));
        long nextWeek = System.currentTimeMillis() + Duration.ofDays(7).toMillis();
        lines.add("{\"node\":9,\"eventTimestamp\":" + nextWeek + ",\"temperature\":80.0}");
        lines.addAll(reference.subList(11, reference.size()));

        Replay replay = Replay.run(dir, Scenario.create().lines(lines));

        assertThat(replay.onlyChain()).containsExactly("1", "2", "3", "4", "5");
        assertThat(replay.late).isEmpty();
        assertThat(replay.deadLetters).hasSize(1);
        assertThat(replay.deadLetters.get(0).get("kind").asText()).isEqualTo("future-time");
        assertThat(replay.deadLetters.get(0).get("reason").asText()).contains("ahead of the wall clock");
    }

    @Test
    void aReadingLaterThanTheBoundIsLateAndDoesNotCount() {
        Replay replay = Replay.run(dir, Scenario.create()
                .chain("default", minutes(1), minutes(1), 1, 2, 3, 4)
                .cold(9, minutes(7))
                .hot(5, minutes(5), 4));   // two minutes behind the newest reading, B = 30 s

        assertThat(replay.alerts).isEmpty();
        assertThat(replay.late).hasSize(1);
        assertThat(replay.late.get(0).get("node").asInt()).isEqualTo(5);
    }

    @Test
    void readingsAMillisecondApartAreJudgedAndChainedToTheMillisecond() {
        // A new event time with every reading, as sensors sampling on their own clocks send: after the split the
        // watermark moves in 100 ms steps (WatermarkPacing), here over hops of 20 ms and two interleaved fires.
        Scenario s = Scenario.create();
        for (int ms = 0; ms < 1_500; ms++) {
            s.cold(1_000 + ms % 50, Duration.ofMillis(ms));
        }
        s.chain("default", Duration.ofMillis(100), Duration.ofMillis(20), "r", "a", "b", "c", "d")  // completes at 180 ms
                .chain("default", Duration.ofMillis(110), Duration.ofMillis(20), "s", "e", "f", "g", "h") // at 190 ms
                .hot("x", Duration.ofMillis(181), "d")
                .inEventTimeOrder()
                .cold("on-time", Duration.ofMillis(499))  // exactly B behind the newest reading (1,499 ms)
                .cold("late", Duration.ofMillis(498));    // a millisecond more

        Replay replay = Replay.run(dir, s, "--out-of-orderness", "1s");

        assertThat(replay.alerts).hasSize(2);
        Set<List<String>> chains = new HashSet<>();
        replay.alerts.forEach(a -> chains.add(Replay.chainOf(a)));
        assertThat(chains).containsExactlyInAnyOrder(List.of("r", "a", "b", "c", "d"), List.of("s", "e", "f", "g", "h"));
        for (var alert : replay.alerts) {
            long completed = java.time.Instant.parse(alert.get("completedTime").asText()).toEpochMilli()
                    - Scenario.T0.toEpochMilli();
            assertThat(completed).isEqualTo(alert.get("fireRoot").asText().equals("r") ? 180 : 190);
        }
        assertThat(replay.late).hasSize(1);
        assertThat(replay.late.get(0).get("node").asText()).isEqualTo("late");
    }

    @Test
    void aLargerBoundAcceptsTheSameReading() {
        Replay replay = Replay.run(dir, Scenario.create()
                .chain("default", minutes(1), minutes(1), 1, 2, 3, 4)
                .cold(9, minutes(7))
                .hot(5, minutes(5), 4), "--out-of-orderness", "3m");

        assertThat(replay.late).isEmpty();
        assertThat(replay.onlyChain()).containsExactly("1", "2", "3", "4", "5");
    }

    @Test
    void twoChainsOfOneFireRaiseOneAlert() {
        Replay replay = Replay.run(dir, Scenario.create()
                .chain("default", minutes(1), minutes(1), "r", "a", "b", "c", "d")   // completes at 5m
                .hot("x", minutes(3), "a")
                .hot("y", minutes(4), "x")
                .hot("z", minutes(6), "y")                              // r a x y z completes at 6m
                .inEventTimeOrder());

        assertThat(replay.onlyChain()).containsExactly("r", "a", "b", "c", "d");
        assertThat(replay.alerts.get(0).get("fireRoot").asText()).isEqualTo("r");
        assertThat(replay.alerts.get(0).get("fireRoot").isTextual()).isTrue();
    }

    @Test
    void aChainStartingInsideAFireIsNamedAfterItsRoot() {
        Replay replay = Replay.run(dir, Scenario.create()
                .hot("root", minutes(1), null)
                .hot(1, minutes(2), "root")
                .chain("default", minutes(40), minutes(1), 2, 3, 4, 5, 6)
                .hot(2, minutes(40), 1)    // 1 → 2 is a 38-minute hop: no chain through root
                .inEventTimeOrder());

        assertThat(replay.onlyChain()).containsExactly("2", "3", "4", "5", "6");
        assertThat(replay.alerts.get(0).get("fireRoot").asText()).isEqualTo("root");
    }

    @Test
    void anInfectorFoundAfterItsFireAlertedGivesLaterOnsetsAFireOfTheirOwnWithItsChain() {
        // Node 1 names 100, which has no onset yet: the fire's root is 1, and 1..5 alerts at minute 5. Node 6 heats
        // at minute 6, still under root 1. Then 100's onset comes (minute 7: after the node it infected, inconsistent
        // data): walks from then on reach 100, so 7 belongs to a fire rooted at 100 — another fire, whose chain runs
        // through 6. Holding 6 back from the pattern because root 1's fire had its chain would lose that chain.
        Replay replay = Replay.run(dir, Scenario.create()
                .hot(1, minutes(1), 100)
                .hot(2, minutes(2), 1)
                .hot(3, minutes(3), 2)
                .hot(4, minutes(4), 3)
                .hot(5, minutes(5), 4)
                .hot(6, minutes(6), 5)
                .hot(100, minutes(7), null)
                .hot(7, minutes(8), 6)
                .inEventTimeOrder());

        assertThat(replay.alerts).extracting(a -> a.get("fireRoot").asText() + ": " + String.join(" ", Replay.chainOf(a)))
                .containsExactlyInAnyOrder("1: 1 2 3 4 5", "100: 3 4 5 6 7");
    }

    @Test
    void twoIgnitionsInOneNetworkAreTwoFires() {
        Replay replay = Replay.run(dir, Scenario.create()
                .chain("default", minutes(1), minutes(1), 1, 2, 3, 4, 5)
                .chain("default", minutes(2), minutes(1), 11, 12, 13, 14, 15)
                .inEventTimeOrder());

        assertThat(replay.alerts).hasSize(2);
        Set<String> roots = new HashSet<>();
        replay.alerts.forEach(a -> roots.add(a.get("fireRoot").asText()));
        assertThat(roots).containsExactlyInAnyOrder("1", "11");
    }

    @Test
    void thresholdAndChainLengthAreConfigurable() {
        // At 40 °C node 3's first hot reading names no infector and node 4's names node 3: a chain of two.
        Replay replay = Replay.run(dir, REFERENCE, "--threshold", "40", "--chain-length", "2");

        assertThat(replay.onlyChain()).containsExactly("3", "4");
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
