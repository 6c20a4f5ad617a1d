package org.bushfire.bench;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.bushfire.domain.Alert;
import org.bushfire.domain.ContractJson;
import org.bushfire.domain.ReadingDecoder;
import org.bushfire.domain.SensorRecord;
import org.bushfire.job.AlertingConfig;
import org.bushfire.job.AlertingJob;
import org.bushfire.job.AlertingSinks;
import org.bushfire.job.ReadingsSource;
import org.bushfire.job.StreamSink;
import org.bushfire.simulator.FireSpread;
import org.bushfire.simulator.GeneratedScenario;
import org.bushfire.simulator.HeatModel;
import org.bushfire.simulator.Ignition;
import org.bushfire.simulator.Mesh;

/**
 * Alert latency in a real-time-paced run while a big fire burns: the question is whether one network's big fire
 * holds back every other network's alerts. Two generated runs of the simulator share the clock, sensors
 * reporting every second: network {@code big-1} with a branching fire of {@code --latency-big-fire} sensors lit at
 * the start (hops of 0.2–4 s, so it spreads during the run), and {@code small-*} networks of 20 sensors, each with
 * a small fire (a path of six sensors) lit at a random moment of the run.
 *
 * <p>Readings are made ahead, then each source subtask sends a network's batch of a round when the wall clock
 * reaches it — each network at its own moment of the second, as gateways send ({@link BenchWorkload}), unless
 * {@code --aligned-batches} — stamped with that wall time; a source held back by backpressure sends late, and the lag is reported. An alert's
 * latency runs from the wall time its completing reading (the onset of the chain's last sensor) entered the job
 * to the wall time the alert reaches the sink. Only small fires' alerts count; the target is B + 2 s.
 *
 * <p>The sources send ten rounds past the measured length and then end, and the run waits for the job to finish
 * (the final watermark), so every small fire's alert has left when the figures are taken: an alert still missing
 * then is lost, not late. A small fire counts when the model spread it N − 1 hops from its root (a flare-up can
 * leave a fire of six without a path of six, and then it rightly raises nothing).
 */
final class LatencyRun {
    static final long ROUND_MILLIS = 1000;
    static final int SMALL_NETWORK = 20;

    /** "network|node|onset" of a small fire's sensor → wall time its onset reading entered the job. */
    static final Map<String, Long> ENTERED = new ConcurrentHashMap<>();
    static final List<Long> LATENCIES = Collections.synchronizedList(new ArrayList<>());
    static final AtomicLong MAX_SOURCE_LAG = new AtomicLong();
    static final AtomicLong BIG_ALERTS = new AtomicLong();
    static volatile Paced current;

    private LatencyRun() {}

    record Result(List<Long> latencies, long boundMillis, long maxSourceLagMillis, int bigBurning, long bigSpanMillis,
            long bigAlerts, int smallFires) {
        Map<String, Object> toJson() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("bound_ms", boundMillis);
            o.put("alerts", latencies.size());
            o.put("small_fires", smallFires);
            o.put("missing", missing());
            for (double p : new double[] {50, 95, 99, 100}) {
                // -1: beyond the run's end (that many alerts were still missing when it ended)
                o.put(p == 100 ? "max_ms" : "p" + (int) p + "_ms", percentile(p));
            }
            o.put("max_source_lag_ms", maxSourceLagMillis);
            o.put("big_fire_burning", bigBurning);
            o.put("big_fire_spread_ms", bigSpanMillis);
            o.put("big_fire_alerts", bigAlerts);
            return o;
        }

        /** Small fires whose alert never left (the run waits for the job to finish). */
        int missing() {
            return Math.max(0, smallFires - latencies.size());
        }

        /**
         * The p-th percentile over all small fires (nearest rank), a missing alert counting as later than any:
         * -1 when the rank falls among the missing.
         */
        long percentile(double p) {
            int rank = Math.max(1, (int) Math.ceil(p / 100.0 * Math.max(smallFires, latencies.size())));
            return rank > latencies.size() ? -1 : latencies.get(rank - 1);
        }

        String describe(double p) {
            long v = percentile(p);
            return v < 0 ? "> run end" : v + " ms";
        }
    }

    /**
     * The readings of a paced run, laid out in one ordered block per source subtask, with when each one is due
     * (its batch's moment after the run's start).
     */
    static final class Paced {
        final byte[][] readings;
        final long[] dueAfter;
        final long baseMillis;
        volatile long wallStart;

        Paced(byte[][] readings, long[] dueAfter, long baseMillis) {
            this.readings = readings;
            this.dueAfter = dueAfter;
            this.baseMillis = baseMillis;
        }
    }

    static Result measure(AlertingConfig config, Configuration jobConfiguration, int parallelism, int readers,
            Duration length, int bigFire, int smallFires, long seed, boolean alignedBatches, PrintWriter out)
            throws Exception {
        long seconds = length.toSeconds();
        long tail = config.outOfOrderness().toSeconds() + 15;
        if (seconds < tail + 10 || smallFires < 1) {
            throw new IllegalArgumentException("--latency-seconds must be at least " + (tail + 10) + " (B + 25 s) for a "
                    + "small fire to alert within the run, and --latency-small-fires at least 1");
        }
        int rounds = (int) seconds + 10; // a little more than the run: the job is cancelled before its sources end
        long base = (System.currentTimeMillis() - Duration.ofDays(1).toMillis()) / ROUND_MILLIS * ROUND_MILLIS;
        FireSpread.Params burn = new FireSpread.Params(15, 315, 20, 30_000);
        HeatModel.Climate climate = new HeatModel.Climate(22, 8, 0.5);
        List<GeneratedScenario> runs = new ArrayList<>();
        if (bigFire > 0) {
            runs.add(GeneratedScenario.create(new GeneratedScenario.Settings(
                    new Mesh.Layout(bigFire + 300, 1, -33.7, 150.3, Double.NaN, 250, "big"), burn, climate,
                    config.threshold(), 0, List.of(Ignition.atPlace(-33.7, 150.3, Duration.ZERO)), Duration.ZERO,
                    new FireSpread.Branching(1, 4, 200, 4000, bigFire)), seed, base, rounds * ROUND_MILLIS));
        }
        runs.add(GeneratedScenario.create(new GeneratedScenario.Settings(
                new Mesh.Layout(smallFires * SMALL_NETWORK, smallFires, -34.5, 150.3, Double.NaN, 250, "small"), burn,
                climate, config.threshold(), smallFires, List.of(), Duration.ofSeconds(seconds - tail),
                new FireSpread.Branching(1, 1, 500, 2000, 6)), seed, base, rounds * ROUND_MILLIS));

        // Each network's batch at its own moment of the second, as gateways send (BenchWorkload), unless aligned.
        List<Mesh.Network> networks = new ArrayList<>();
        runs.forEach(run -> networks.addAll(run.mesh().networks()));
        Map<String, Long> batchAt = BenchWorkload.batchMoments(networks, ROUND_MILLIS, alignedBatches);
        List<byte[]> ordered = new ArrayList<>();
        List<Long> dueOf = new ArrayList<>();
        for (int k = 0; k < rounds; k++) {
            for (GeneratedScenario run : runs) {
                run.round(k, base + k * ROUND_MILLIS, r -> {
                    r.eventTimestamp += batchAt.get(r.network);
                    ordered.add(ContractJson.reading(r, ContractJson.TimeFormat.EPOCH_MILLIS)
                            .getBytes(StandardCharsets.UTF_8));
                    dueOf.add(r.eventTimestamp - base);
                });
            }
        }
        byte[][] readings = new byte[ordered.size()][];
        long[] dueAfter = new long[ordered.size()];
        int i = 0;
        for (int p = 0; p < readers; p++) {
            for (int j = p; j < ordered.size(); j += readers) {
                readings[i] = ordered.get(j);
                dueAfter[i++] = dueOf.get(j);
            }
        }
        int bigBurning = bigFire > 0 ? runs.get(0).spread().order().size() : 0;
        int mustAlert = BenchWorkload.deepEnough(runs.get(runs.size() - 1).spread(), config.chainLength());
        long bigSpan = bigFire > 0 ? runs.get(0).lastInfectionTimestamp() - base : 0;
        out.printf(Locale.ROOT, "latency: real-time paced, a reading from each of %,d sensors every second (%,d readings),"
                        + " B = %d ms; a big fire of %,d sensors spreading over %.0f s in network big-1, %d small fires "
                        + "in networks of %d (%d of them with a path of %d, so an alert each)%n", ordered.size() / rounds,
                ordered.size(), config.outOfOrderness().toMillis(), bigBurning, bigSpan / 1e3, smallFires,
                SMALL_NETWORK, mustAlert, config.chainLength());

        ENTERED.clear();
        LATENCIES.clear();
        MAX_SOURCE_LAG.set(0);
        BIG_ALERTS.set(0);
        current = new Paced(readings, dueAfter, base);
        try {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism,
                    jobConfiguration);
            ReadingsSource paced = (e, decoder, watermarks) -> e.fromSource(
                    new DataGeneratorSource<>(new PacedReadings(decoder, config.threshold()), readings.length,
                            Types.POJO(SensorRecord.class)), watermarks, "paced readings").setParallelism(readers);
            // The graph run builds: incidents to their sink, and the alerts timed where they leave.
            new AlertingJob(config, paced,
                    AlertingSinks.incidentsTo(StreamSink.of(new DiscardingSink<>(), "incidents"))
                            .alsoAlertsTo(StreamSink.of(new TimedAlerts(), "timed alerts")))
                    .build(env);
            JobClient job = env.executeAsync("bench: latency");
            current.wallStart = System.currentTimeMillis() + 2000; // the sources start sending on the next rounds
            long limit = Math.max(0, current.wallStart - System.currentTimeMillis()) + rounds * ROUND_MILLIS + 120_000;
            try {
                job.getJobExecutionResult().get(limit, TimeUnit.MILLISECONDS); // the sources end after their rounds
            } catch (TimeoutException e) {
                job.cancel().get(60, TimeUnit.SECONDS);
                out.printf(Locale.ROOT, "latency: the job had not finished %d s after its last round; cancelled%n",
                        limit / 1000 - rounds);
            }
        } finally {
            current = null;
        }
        List<Long> sorted;
        synchronized (LATENCIES) {
            sorted = new ArrayList<>(LATENCIES);
        }
        Collections.sort(sorted);
        Result result = new Result(sorted, config.outOfOrderness().toMillis(), MAX_SOURCE_LAG.get(), bigBurning, bigSpan,
                BIG_ALERTS.get(), mustAlert);
        out.printf(Locale.ROOT, "latency  %d small-fire alerts of %d fires that must alert (%d missing): p50 %s, p95 %s, "
                        + "p99 %s, max %s (target p99 ≤ B + 2 s = %d ms); sources fell behind the clock by up to %d ms; "
                        + "big fire alerts: %d%n", sorted.size(), mustAlert, result.missing(), result.describe(50),
                result.describe(95), result.describe(99), result.describe(100),
                config.outOfOrderness().toMillis() + 2000, MAX_SOURCE_LAG.get(), BIG_ALERTS.get());
        if (sorted.size() > mustAlert) {
            out.printf(Locale.ROOT, "latency: %d small-fire alerts, more than the %d fires with a path of %d%n",
                    sorted.size(), mustAlert, config.chainLength());
        }
        return result;
    }

    /**
     * Reading {@code index} of the laid-out readings, sent when the wall clock reaches its round and stamped
     * with that round's wall time.
     */
    static final class PacedReadings implements GeneratorFunction<Long, SensorRecord> {
        private static final long serialVersionUID = 1L;
        private final ReadingDecoder decoder;
        private final double threshold;

        PacedReadings(ReadingDecoder decoder, double threshold) {
            this.decoder = decoder;
            this.threshold = threshold;
        }

        @Override
        public SensorRecord map(Long index) throws InterruptedException {
            Paced paced = current;
            int i = index.intValue();
            while (paced.wallStart == 0) {
                Thread.sleep(10);
            }
            long due = paced.wallStart + paced.dueAfter[i];
            long now = System.currentTimeMillis();
            if (now < due) {
                Thread.sleep(due - now);
                now = System.currentTimeMillis();
            }
            MAX_SOURCE_LAG.accumulateAndGet(now - due, Math::max);
            SensorRecord record = decoder.decode(paced.readings[i], null);
            if (record.isReading()) {
                record.reading.eventTimestamp += paced.wallStart - paced.baseMillis;
                if (record.reading.isHot(threshold) && record.reading.network.startsWith("small-")) {
                    ENTERED.putIfAbsent(record.reading.network + "|" + record.reading.node + "|"
                            + record.reading.eventTimestamp, now);
                }
            }
            return record;
        }
    }

    /** Records, for each small fire's alert, the wall time it leaves the job minus the time its last reading entered. */
    static final class TimedAlerts implements Sink<Alert> {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<Alert> createWriter(InitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(Alert alert, Context ctx) {
                    long now = System.currentTimeMillis();
                    if (!alert.network.startsWith("small-")) {
                        BIG_ALERTS.incrementAndGet();
                        return;
                    }
                    String last = alert.chain[alert.chain.length - 1].node();
                    Long entered = ENTERED.get(alert.network + "|" + last + "|" + alert.completedTimestamp);
                    if (entered != null) {
                        LATENCIES.add(now - entered);
                    }
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
