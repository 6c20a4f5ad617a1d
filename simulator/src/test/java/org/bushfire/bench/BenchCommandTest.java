package org.bushfire.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** What the benchmark reports and what its workloads hold, not how fast: the figures are the benchmark's to print. */
class BenchCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double T = 50;

    /** One reader as run reads Kinesis, or two as replay and the EFO reader do: each split stays in event-time order. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aTinyRunReportsEveryVariantWithOneAlertPerFireAndNoLateReadings(int readers) throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setOut(new PrintWriter(out));
        // The naive baseline once (it reads the same way; its 10 s limit makes it the slow part of this test).
        boolean naive = readers == 1;
        int exit = cli.execute("--workloads", "fire", "--fire-sizes", "40,20", "--background", "30", "--runs", "1",
                "--naive-max-seconds", "10", "--naive-runs", naive ? "1" : "0", "--warm-up-readings", "0",
                "--readers", Integer.toString(readers));

        assertThat(exit).as(out.toString()).isZero();
        String[] lines = out.toString().strip().split("\n");
        JsonNode figures = JSON.readTree(lines[lines.length - 1]);
        JsonNode workloads = figures.get("workloads");
        assertThat(workloads).extracting(w -> w.get("workload").asText()).containsExactly("fire-20", "fire-40");
        for (JsonNode w : workloads) {
            assertThat(w.get("pipeline_alerts").asInt()).as(w.get("workload").asText())
                    .isEqualTo(w.get("expected_alerts").asInt());
            assertThat(w.get("pipeline_late").asInt()).as("late readings in %s", w.get("workload")).isZero();
            for (String variant : naive ? List.of("bare", "cold", "pipeline", "naive") : List.of("bare", "cold", "pipeline")) {
                assertThat(w.get(variant).get("cut").asBoolean() || w.get(variant).has("median_ms"))
                        .as("%s of %s timed or cut", variant, w.get("workload")).isTrue();
            }
            assertThat(w.get("pipeline_readings_per_s").asLong()).isPositive();
        }
        assertThat(workloads.get(0).get("burning_sensors").asInt()).isEqualTo(20);
        assertThat(workloads.get(1).get("burning_sensors").asInt()).isEqualTo(40);
        assertThat(workloads.get(1).has("extra_ms_per_burning_sensor")).isTrue();
        assertThat(figures.get("fire_scaling").get("largest_burning").asInt()).isEqualTo(40);
        assertThat(out.toString()).contains("fire scaling", "largest / smallest");
        assertThat(figures.get("readers").asInt()).isEqualTo(readers);
        assertThat(figures.get("pipeline").asText()).isEqualTo("run");
    }

    @Test
    void theStateSizeRunPrintsTheBytesPerIdleAndPerBurningSensorOfEachWorkload() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setOut(new PrintWriter(out));
        int exit = cli.execute("--state-size", "--workloads", "idle,fire", "--idle-sensors", "30", "--idle-rounds", "2",
                "--fire-sizes", "20", "--background", "30");

        assertThat(exit).as(out.toString()).isZero();
        String[] lines = out.toString().strip().split("\n");
        JsonNode figures = JSON.readTree(lines[lines.length - 1]).get("state_size");
        assertThat(figures.get("empty").get("live").get("bytes").asLong()).isPositive();
        JsonNode workloads = figures.get("workloads");
        assertThat(workloads).extracting(w -> w.get("workload").asText()).containsExactly("idle-30", "fire-20");
        JsonNode fire = workloads.get(1);
        assertThat(fire.get("alerts").asInt()).isEqualTo(fire.get("expected_alerts").asInt());
        assertThat(fire.get("late").asInt()).isZero();
        assertThat(fire.get("snapshots")).hasSize(3);
        for (JsonNode snapshot : fire.get("snapshots")) {
            assertThat(snapshot.get("workload").get("live").get("by_operator").has("onsets")).isTrue();
            assertThat(snapshot.get("workload").get("files").get("bytes").asLong()).isPositive();
        }
        assertThat(fire.get("bytes_per_burning_sensor").asDouble()).isPositive();
        assertThat(out.toString()).contains("per idle sensor", "bytes per burning sensor", "20 burning:");
    }

    @Test
    void aFireWorkloadHasExactlyItsBurningSensorsAmongItsReadings() {
        BenchWorkload w = BenchWorkload.generate(Workloads.fire(300, 300, T), 7, 2, 5);
        Map<String, Long> firstHot = new HashMap<>();
        int readings = 0;
        for (byte[] bytes : w.readings) {
            JsonNode r = read(bytes);
            readings++;
            if (r.get("temperature").asDouble() >= T) {
                firstHot.merge(r.get("network").asText() + "/" + r.get("node").asText(), r.get("eventTimestamp").asLong(),
                        Math::min);
            }
        }
        assertThat(readings).isEqualTo(600 * w.rounds);
        assertThat(firstHot).as("sensors that ever read hot").hasSize(300);
        assertThat(w.burning).isEqualTo(300);
        assertThat(w.fires).isEqualTo(1);
        assertThat(w.expectedAlerts).isEqualTo(1);
    }

    @Test
    void theColdTwinHasTheSameSensorsAndRoundsAndNoHotReading() {
        BenchWorkload w = BenchWorkload.generate(Workloads.fire(100, 50, T), 7, 2, 5);
        BenchWorkload cold = w.coldTwin();
        assertThat(cold.readings.length).isEqualTo(w.readings.length);
        assertThat(cold.burning).isZero();
        int differ = 0;
        for (int i = 0; i < w.readings.length; i++) {
            JsonNode a = read(w.readings[i]);
            JsonNode b = read(cold.readings[i]);
            assertThat(b.get("node")).isEqualTo(a.get("node"));
            assertThat(b.get("eventTimestamp")).isEqualTo(a.get("eventTimestamp"));
            assertThat(b.get("temperature").asDouble()).isLessThan(T);
            if (!a.equals(b)) {
                differ++;
            }
        }
        assertThat(differ).as("readings the fire changed").isPositive();
    }

    @Test
    void eachBlockIsInEventTimeOrderAndTheRunEndsBeforeNow() {
        BenchWorkload w = BenchWorkload.generate(Workloads.standard(250, 9, 2, T), 7, 2, 5);
        assertThat(w.readings.length).isEqualTo(250 * 9);
        assertThat(w.networks).isEqualTo(3);
        assertThat(w.expectedAlerts).as("two paths of six sensors").isEqualTo(2);
        assertThat(w.block(0).size() + w.block(1).size()).isEqualTo(w.readings.length);
        for (int p = 0; p < 2; p++) {
            long previous = Long.MIN_VALUE;
            for (byte[] bytes : w.block(p)) {
                long t = read(bytes).get("eventTimestamp").asLong();
                assertThat(t).isGreaterThanOrEqualTo(previous);
                previous = t;
            }
            assertThat(previous).isLessThan(System.currentTimeMillis());
        }
    }

    @Test
    void theSameSeedGivesTheSameReadingsAndSameInstantHopsArePresent() {
        long now = 1_733_000_000_000L;
        BenchWorkload a = BenchWorkload.generate(Workloads.fire(300, 100, T), 3, 2, 5, now);
        BenchWorkload b = BenchWorkload.generate(Workloads.fire(300, 100, T), 3, 2, 5, now);
        BenchWorkload c = BenchWorkload.generate(Workloads.fire(300, 100, T), 4, 2, 5, now);
        assertThat(b.readings).isDeepEqualTo(a.readings);
        assertThat(c.readings.length == a.readings.length && sameTemperatures(a, c)).isFalse();

        // onset of each sensor, and who infected it: a hop is same-instant when both onsets share a round
        Map<String, Long> onset = new HashMap<>();
        Map<String, String> infector = new HashMap<>();
        for (byte[] bytes : a.readings) {
            JsonNode r = read(bytes);
            String node = r.get("node").asText();
            if (r.get("temperature").asDouble() >= T) {
                onset.merge(node, r.get("eventTimestamp").asLong(), Math::min);
                if (r.hasNonNull("infectedBy")) {
                    infector.put(node, r.get("infectedBy").asText());
                }
            }
        }
        long sameInstant = infector.entrySet().stream()
                .filter(e -> onset.get(e.getKey()).equals(onset.get(e.getValue()))).count();
        assertThat(infector).hasSize(299);
        assertThat(sameInstant).as("same-instant hops").isGreaterThan(10);
    }

    @Test
    void everyWorkloadIsTheSizeItSays() {
        BenchWorkload concurrent = BenchWorkload.generate(Workloads.concurrent(4, 50, T), 1, 2, 5);
        assertThat(concurrent.sensors).isEqualTo(2 * 4 * 50 + 300);
        assertThat(concurrent.networks).isEqualTo(1);
        assertThat(concurrent.fires).isEqualTo(4);
        assertThat(concurrent.burning).isEqualTo(200);
        BenchWorkload networks = BenchWorkload.generate(Workloads.networks(30, T), 1, 2, 5);
        assertThat(networks.networks).isEqualTo(30);
        assertThat(networks.fires).isEqualTo(30);
        assertThat(networks.burning).isBetween(290, 300);
        BenchWorkload day = BenchWorkload.generate(Workloads.wildfireDay(0.02, java.time.Duration.ofMinutes(5), T), 1,
                2, 5);
        assertThat(day.sensors).isEqualTo(2000);
        assertThat(day.burning).as("5 %% of 2,000").isEqualTo(100);
        assertThat(day.networks).isEqualTo(2);
        assertThat(day.readings.length).as("a reading every 5 min from each sensor").isEqualTo(2000 * day.rounds);
    }

    @Test
    void latencyPercentilesCountAlertsStillMissingAtTheEndAsLaterThanAny() {
        LatencyRun.Result result = new LatencyRun.Result(List.of(100L, 200L, 300L), 5000, 0, 0, 0, 0, 4);
        assertThat(result.missing()).isEqualTo(1);
        assertThat(result.percentile(50)).isEqualTo(200);
        assertThat(result.percentile(75)).isEqualTo(300);
        assertThat(result.percentile(99)).as("among the missing").isEqualTo(-1);
        assertThat(result.describe(100)).isEqualTo("> run end");
        LatencyRun.Result all = new LatencyRun.Result(List.of(100L, 200L), 5000, 0, 0, 0, 0, 2);
        assertThat(all.percentile(100)).isEqualTo(200);
        assertThat(all.toJson()).containsEntry("p99_ms", 200L).containsEntry("missing", 0);
    }

    @Test
    void unknownWorkloadsAreRefused() {
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setErr(new PrintWriter(new StringWriter()));
        cli.setOut(new PrintWriter(new StringWriter()));
        assertThat(cli.execute("--workloads", "bonfire")).isNotZero();
        assertThat(cli.execute("--rounds", "5")).isNotZero();
        assertThat(cli.execute("--readers", "3", "--parallelism", "2")).as("more readers than subtasks").isNotZero();
        assertThat(cli.execute("--state-backend", "memory")).as("no such state backend").isNotZero();
    }

    @Test
    void aManagedMemoryThatIsNoSizeIsRefusedSayingWhatToWrite() {
        assertThat(refused("--state-backend", "rocksdb", "--managed-memory", "plenty"))
                .contains("--managed-memory must be a size such as 1372m or 2g, was plenty");
    }

    @Test
    void eachNetworkSendsItsRoundAtItsOwnMomentAlignedAllAtTheRoundsStartAndSensorModeEachReadingAtItsOwn() {
        long now = 1_733_000_000_000L;
        BenchWorkload network = BenchWorkload.generate(Workloads.networks(30, T), 3, 2, 5, now,
                BenchWorkload.Batches.NETWORK);
        BenchWorkload aligned = BenchWorkload.generate(Workloads.networks(30, T), 3, 2, 5, now,
                BenchWorkload.Batches.ALIGNED);
        BenchWorkload sensor = BenchWorkload.generate(Workloads.networks(30, T), 3, 2, 5, now,
                BenchWorkload.Batches.SENSOR);
        long round = 60_000;

        // Aligned: one event time a round. Network: one per network and round, each network at its own moment.
        Map<Long, Set<Long>> alignedTimes = new HashMap<>();
        Map<String, Set<Long>> offsetsOfNetwork = new HashMap<>();
        Set<Long> networkTimes = new HashSet<>();
        for (int i = 0; i < network.readings.length; i++) {
            JsonNode n = read(network.readings[i]);
            JsonNode a = read(aligned.readings[i]);
            assertThat(n.get("node")).isEqualTo(a.get("node"));
            long start = a.get("eventTimestamp").asLong();
            alignedTimes.computeIfAbsent((start - aligned.startMillis) / round, k -> new HashSet<>()).add(start);
            long offset = n.get("eventTimestamp").asLong() - start;
            assertThat(offset).isBetween(0L, round - 1);
            offsetsOfNetwork.computeIfAbsent(n.get("network").asText(), k -> new HashSet<>()).add(offset);
            networkTimes.add(n.get("eventTimestamp").asLong());
        }
        assertThat(alignedTimes).hasSize(aligned.rounds).allSatisfy((k, times) -> assertThat(times).hasSize(1));
        assertThat(offsetsOfNetwork).hasSize(30).allSatisfy((net, offsets) -> assertThat(offsets).hasSize(1));
        assertThat(offsetsOfNetwork.values().stream().map(o -> o.iterator().next()).distinct()).hasSize(30);
        assertThat(networkTimes).hasSize(30 * network.rounds);
        // A network's readings move together, so its onsets and hops, and the alerts the model expects, stay.
        assertThat(network.expectedAlerts).isEqualTo(aligned.expectedAlerts).isPositive();

        Set<Long> sensorTimes = new HashSet<>();
        for (byte[] r : sensor.readings) {
            sensorTimes.add(read(r).get("eventTimestamp").asLong());
        }
        assertThat(sensorTimes).hasSize(sensor.readings.length);
        assertThat(sensor.expectedAlerts).as("not known: a sensor may report before its infector").isEqualTo(-1);

        for (BenchWorkload w : List.of(network, aligned, sensor)) {
            for (int p = 0; p < 2; p++) {
                long previous = Long.MIN_VALUE;
                for (byte[] r : w.block(p)) {
                    long t = read(r).get("eventTimestamp").asLong();
                    assertThat(t).as(w.batches + " block " + p + " in event-time order").isGreaterThanOrEqualTo(previous);
                    previous = t;
                }
                assertThat(previous).isLessThanOrEqualTo(w.lastRoundMillis());
            }
        }
    }

    @Test
    void aBatchModeThatDoesNotExistIsRefusedNamingTheChoices() {
        assertThat(refused("--batches", "hourly")).contains("--batches must be network, sensor or aligned, was hourly");
    }

    /** What the command says on stderr when it refuses {@code args} (it must refuse them). */
    private static String refused(String... args) {
        CommandLine cli = new CommandLine(new BenchCommand());
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        assertThat(cli.execute(args)).as("exit code of bench " + String.join(" ", args)).isNotZero();
        return err.toString();
    }

    private static JsonNode read(byte[] bytes) {
        try {
            return JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean sameTemperatures(BenchWorkload a, BenchWorkload b) {
        for (int i = 0; i < a.readings.length; i++) {
            if (!read(a.readings[i]).get("temperature").equals(read(b.readings[i]).get("temperature"))) {
                return false;
            }
        }
        return true;
    }
}
