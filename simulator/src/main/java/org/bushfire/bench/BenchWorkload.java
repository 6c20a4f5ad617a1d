package org.bushfire.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bushfire.domain.ContractJson;
import org.bushfire.simulator.FireSpread;
import org.bushfire.simulator.GeneratedScenario;
import org.bushfire.simulator.Mesh;

/**
 * One benchmark workload: the readings a generated run of the simulator produces — its meshes, its fires and
 * sensor temperatures ({@link GeneratedScenario}, the one model of fire spread in the codebase) — kept as
 * pre-serialized JSON bytes in the job's contract form, as they come out of Kinesis.
 *
 * <p>Every sensor reports once a round, at the moment its {@link Batches} says: by default in its network's
 * batch, each network's gateway sending at its own moment of the round, so a round's readings carry as many event
 * times as there are networks and the watermark moves as often as it would live. A network's readings of a round
 * share one event time then, as they do aligned, so its onsets, hops and alerts are the model's. The readings
 * are laid out in {@code partitions} contiguous blocks,
 * dealt round-robin from the run's event-time order, so each block is in event-time order and the blocks are as
 * large as Flink's sequence splits cut them (the first {@code total % partitions} one reading larger): each
 * source subtask reads one ordered block, like a shard.
 *
 * <p>A workload also knows its cold twin: the same sensors, rounds and noise with no fire, so the time a fire
 * adds can be told from the time its readings take.
 */
public final class BenchWorkload {
    /** The current workload; the MiniCluster runs in this JVM, so sources read it directly. */
    static volatile BenchWorkload current;

    /**
     * What a workload is: a name, the simulator's settings, the report interval, and the rounds (0: until every
     * fire is done).
     */
    record Spec(String name, String description, GeneratedScenario.Settings settings, Duration interval, int rounds) {}

    /** When in its round a sensor's reading is stamped. */
    enum Batches {
        /** Every reading at the round's start: one event time a round (the figures in docs/performance.md before "the watermark after the split"). */
        ALIGNED,
        /** Each network's batch at its own moment: network i of n at i/n of the round, in mesh order. */
        NETWORK,
        /**
         * Each sensor at its own moment: sensor i of n at i/n of the round, as sensors sampling on their own
         * clocks — a new event time, so a new watermark, with nearly every reading. A sensor may then report hot
         * before the neighbour that infected it (the contract makes it a root), so the model no longer says how
         * many fires alert: the expected alerts are not known.
         */
        SENSOR
    }

    final Spec spec;
    final byte[][] readings;
    final int sensors;
    final int networks;
    final int rounds;
    /**
     * Fires that started, sensors they burnt, and fires deep enough for a chain of N (one alert each; -1: not
     * known, see {@link Batches#SENSOR}).
     */
    final int fires;
    final int burning;
    final int expectedAlerts;
    final long startMillis;
    final long seed;
    final int partitions;
    final int chainLength;
    final Batches batches;
    /** The latest moment of a round a reading is stamped at (0 when aligned). */
    final long lastBatchMillis;

    private BenchWorkload(Spec spec, byte[][] readings, int rounds, int fires, int burning, int expectedAlerts,
            long startMillis, long seed, int partitions, int chainLength, Batches batches, long lastBatchMillis) {
        this.spec = spec;
        this.readings = readings;
        this.sensors = spec.settings().layout().sensors();
        this.networks = spec.settings().layout().networks();
        this.rounds = rounds;
        this.fires = fires;
        this.burning = burning;
        this.expectedAlerts = expectedAlerts;
        this.startMillis = startMillis;
        this.seed = seed;
        this.partitions = partitions;
        this.chainLength = chainLength;
        this.batches = batches;
        this.lastBatchMillis = lastBatchMillis;
    }

    /** The workload's readings, ending a round before now (no reading is from the future). */
    static BenchWorkload generate(Spec spec, long seed, int partitions, int chainLength) {
        return generate(spec, seed, partitions, chainLength, Batches.NETWORK);
    }

    /** The same, each reading stamped in its round as {@code batches} says. */
    static BenchWorkload generate(Spec spec, long seed, int partitions, int chainLength, Batches batches) {
        return generate(spec, seed, partitions, chainLength, System.currentTimeMillis(), batches);
    }

    /** The same, ending a round before {@code now}: the same seed and now give the same readings. */
    static BenchWorkload generate(Spec spec, long seed, int partitions, int chainLength, long now) {
        return generate(spec, seed, partitions, chainLength, now, Batches.NETWORK);
    }

    static BenchWorkload generate(Spec spec, long seed, int partitions, int chainLength, long now, Batches batches) {
        long interval = spec.interval().toMillis();
        int rounds = spec.rounds() > 0 ? spec.rounds()
                : GeneratedScenario.roundsUntilDone(spec.settings(), seed, interval);
        long start = (now / interval - rounds - 1) * interval;
        return generate(spec, spec.settings(), seed, partitions, chainLength, rounds, start, batches);
    }

    /** The same sensors, rounds and noise, without any fire. */
    BenchWorkload coldTwin() {
        GeneratedScenario.Settings s = spec.settings();
        GeneratedScenario.Settings cold = new GeneratedScenario.Settings(s.layout(), s.spread(), s.climate(),
                s.threshold(), 0, List.of(), s.igniteWithin(), s.branching());
        return generate(spec, cold, seed, partitions, chainLength, rounds, startMillis, batches);
    }

    private static BenchWorkload generate(Spec spec, GeneratedScenario.Settings settings, long seed, int partitions,
            int chainLength, int rounds, long start, Batches batches) {
        long interval = spec.interval().toMillis();
        GeneratedScenario scenario = GeneratedScenario.create(settings, seed, start, rounds * interval);
        Map<String, Long> batchAt = batchMoments(scenario.mesh().networks(), interval, batches == Batches.ALIGNED);
        int sensors = settings.layout().sensors();
        long[] inRound = new long[1];
        long[] latest = new long[1]; // the latest moment of a round any reading was stamped at
        List<byte[]> ordered = new ArrayList<>((int) Math.min(Integer.MAX_VALUE - 8,
                (long) settings.layout().sensors() * rounds));
        for (int k = 0; k < rounds; k++) {
            // Networks and their sensors come in mesh order, so each round's readings are in the order of their moments.
            inRound[0] = 0;
            scenario.round(k, start + k * interval, r -> {
                long moment = batches == Batches.SENSOR ? inRound[0]++ * interval / sensors : batchAt.get(r.network);
                latest[0] = Math.max(latest[0], moment);
                r.eventTimestamp += moment;
                ordered.add(ContractJson.reading(r, ContractJson.TimeFormat.EPOCH_MILLIS).getBytes(StandardCharsets.UTF_8));
            });
        }
        byte[][] readings = new byte[ordered.size()][];
        int i = 0;
        for (int p = 0; p < partitions; p++) {
            for (int j = p; j < ordered.size(); j += partitions) {
                readings[i++] = ordered.get(j);
            }
        }
        FireSpread spread = scenario.spread();
        return new BenchWorkload(spec, readings, rounds, spread.fires(), spread.order().size(),
                batches == Batches.SENSOR ? -1 : deepEnough(spread, chainLength), start, seed, partitions, chainLength,
                batches, latest[0]);
    }

    /**
     * When in a round each network sends its batch: network i of n at i/n of the round, in mesh order; all at
     * its start when {@code aligned}.
     */
    static Map<String, Long> batchMoments(List<Mesh.Network> networks, long roundMillis, boolean aligned) {
        Map<String, Long> at = new HashMap<>();
        for (int i = 0; i < networks.size(); i++) {
            at.put(networks.get(i).name(), aligned ? 0L : i * roundMillis / networks.size());
        }
        return at;
    }

    /** Fires with a sensor N − 1 hops from their root: each of them has a chain of N, so one alert. */
    static int deepEnough(FireSpread spread, int chainLength) {
        java.util.Map<Integer, Integer> depth = new java.util.HashMap<>();
        java.util.Set<Integer> deep = new java.util.HashSet<>();
        for (int s : spread.order()) { // infectors come before the sensors they infect
            int by = spread.infectedBy(s);
            int d = by < 0 ? 0 : depth.get(by) + 1;
            depth.put(s, d);
            if (d >= chainLength - 1) {
                deep.add(spread.fire(s));
            }
        }
        return deep.size();
    }

    String name() {
        return spec.name();
    }

    /** The event time of the last reading (the last round's last batch): a watermark there passes every reading. */
    long lastRoundMillis() {
        return startMillis + (rounds - 1L) * spec.interval().toMillis() + lastBatchMillis;
    }

    long totalBytes() {
        long total = 0;
        for (byte[] r : readings) {
            total += r.length;
        }
        return total;
    }

    /** The readings of block {@code p}, as laid out (for tests). */
    List<byte[]> block(int p) {
        int total = readings.length;
        int size = total / partitions;
        int extra = total % partitions;
        int from = p * size + Math.min(p, extra);
        int to = from + size + (p < extra ? 1 : 0);
        return java.util.Arrays.asList(readings).subList(from, to);
    }
}
