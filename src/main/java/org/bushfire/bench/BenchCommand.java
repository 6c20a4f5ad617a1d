package org.bushfire.bench;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.bushfire.domain.ReadingDecoder;
import org.bushfire.domain.SensorRecord;
import org.bushfire.job.AlertingConfig;
import org.bushfire.job.AlertingJob;
import org.bushfire.job.AlertingSinks;
import org.bushfire.job.JobMetrics;
import org.bushfire.job.ReadingWatermarks;
import org.bushfire.job.StreamSink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Measures, on one generated workload and one machine, in one run: the engine's limit for our format (parse and
 * discard), our real job graph with its external sinks replaced by discarding ones, and the naive single-pattern
 * approach. Speed is measured here, never in a test. The last line printed is one JSON object.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark the job on a local MiniCluster: bare parsing, the real pipeline, and the naive "
                + "approach, on the same in-memory readings.")
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--sensors", defaultValue = "10000", description = "Sensors (networks of 100) (default: ${DEFAULT-VALUE}).")
    int sensors;

    @Option(names = "--rounds", defaultValue = "30", description = "Readings per sensor, a minute apart (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--fires", defaultValue = "20", description = "Fires, each spreading through 6 sensors (default: ${DEFAULT-VALUE}).")
    int fires;

    @Option(names = "--parallelism", defaultValue = "2", description = "Parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--naive-max-seconds", defaultValue = "60",
            description = "Cap on the naive run; a cut run reports a lower bound (default: ${DEFAULT-VALUE}).")
    int naiveMaxSeconds;

    @Option(names = "--seed", defaultValue = "42", description = "Workload seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--elasticsearch", paramLabel = "URL",
            description = "Also compare our readings sink with a plain _bulk loader on this node, e.g. $BUSHFIRE_ES_URL.")
    String elasticsearch;

    @Option(names = "--latency-seconds", defaultValue = "0",
            description = "Also measure alert latency in a real-time-paced run of this length (default: 0, skipped).")
    int latencySeconds;

    @Option(names = "--latency-out-of-orderness", defaultValue = "5s", converter = org.bushfire.cli.DurationConverter.class,
            description = "B for the latency run (default: 5s).")
    java.time.Duration latencyBound;

    @Override
    public Integer call() throws Exception {
        if (sensors < 1 || rounds < 1 || fires < 0 || parallelism < 1 || naiveMaxSeconds < 1) {
            throw new IllegalArgumentException("--sensors, --rounds, --parallelism and --naive-max-seconds must be "
                    + "positive and --fires not negative");
        }
        if (fires > 0 && rounds < BenchWorkload.FIRE_LENGTH) {
            throw new IllegalArgumentException("--rounds must be at least " + BenchWorkload.FIRE_LENGTH
                    + " for a fire to spread through a whole chain (was " + rounds + ")");
        }
        PrintWriter out = spec.commandLine().getOut();
        long generateStart = System.nanoTime();
        BenchWorkload workload = BenchWorkload.generate(sensors, rounds, fires, parallelism, seed);
        BenchWorkload.current = workload;
        int readings = workload.readings.length;
        out.printf(Locale.ROOT, "workload: %d sensors, %d rounds, %d readings (%.1f MB JSON), %d fires; generated in %.1f s%n",
                sensors, rounds, readings, workload.totalBytes() / 1e6, workload.fires,
                (System.nanoTime() - generateStart) / 1e9);

        AlertingConfig config = AlertingConfig.defaults();
        ReadingDecoder decoder = new ReadingDecoder(config.maxClockSkew());

        bare(decoder, readings); // warm-up: class loading and JIT, not reported
        double bare = bare(decoder, readings);
        out.printf(Locale.ROOT, "bare     (parse → discard):          %,12.0f readings/s%n", bare);

        long[] alerts = new long[1];
        double pipeline = pipeline(config, readings, alerts);
        out.printf(Locale.ROOT, "pipeline (our job, discarding sinks): %,12.0f readings/s, %d alerts%n", pipeline, alerts[0]);

        Naive naive = naive(decoder, config);
        out.printf(Locale.ROOT, "naive    (one non-keyed 5-step CEP): %,12.0f readings/s%s, %d alerts%n",
                naive.readingsPerSecond, naive.cut ? " (lower bound: cut after " + naiveMaxSeconds + " s, "
                        + naive.readings + " of " + readings + " readings)" : "", naive.matches);

        double[] es = null;
        if (elasticsearch != null) {
            es = ElasticsearchRun.measure(elasticsearch, decoder, config.threshold(), parallelism, 1000);
            out.printf(Locale.ROOT, "elasticsearch: our sink %,.0f docs/s, plain _bulk loader %,.0f docs/s (%.2f)%n",
                    es[0], es[1], es[0] / es[1]);
        }

        java.util.List<Long> latencies = java.util.List.of();
        if (latencySeconds > 0) {
            latencies = LatencyRun.measure(config.withOutOfOrderness(latencyBound), parallelism,
                    java.time.Duration.ofSeconds(latencySeconds));
            out.printf(Locale.ROOT, "latency  (real-time paced, B = %d ms): %d alerts, p50 %d ms, p95 %d ms, max %d ms%n",
                    latencyBound.toMillis(), latencies.size(), percentile(latencies, 50), percentile(latencies, 95),
                    percentile(latencies, 100));
        }

        int firesPlaced = workload.fires;
        BenchWorkload.current = null;
        workload = null; // heap after: what the runs left behind, not the workload itself
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        long heapMb = (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024);
        out.printf(Locale.ROOT, "pipeline / bare = %.2f, pipeline / naive = %.1f, heap after = %d MB, %d cores%n",
                pipeline / bare, pipeline / naive.readingsPerSecond, heapMb, runtime.availableProcessors());

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("sensors", sensors);
        result.put("rounds", rounds);
        result.put("readings", readings);
        result.put("fires", firesPlaced);
        result.put("parallelism", parallelism);
        result.put("bare_readings_per_s", Math.round(bare));
        result.put("pipeline_readings_per_s", Math.round(pipeline));
        result.put("naive_readings_per_s", Math.round(naive.readingsPerSecond));
        result.put("naive_cut", naive.cut);
        result.put("pipeline_alerts", alerts[0]);
        result.put("naive_alerts", naive.matches);
        result.put("heap_mb_after", heapMb);
        result.put("cores", runtime.availableProcessors());
        if (es != null) {
            result.put("es_sink_docs_per_s", Math.round(es[0]));
            result.put("es_plain_bulk_docs_per_s", Math.round(es[1]));
        }
        if (latencySeconds > 0) {
            result.put("latency_bound_ms", latencyBound.toMillis());
            result.put("latency_alerts", latencies.size());
            result.put("latency_p50_ms", percentile(latencies, 50));
            result.put("latency_p95_ms", percentile(latencies, 95));
            result.put("latency_max_ms", percentile(latencies, 100));
        }
        out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(result));
        out.flush();
        return 0;
    }

    private double bare(ReadingDecoder decoder, int readings) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism);
        env.fromSource(InMemoryReadings.source(decoder), WatermarkStrategy.noWatermarks(), "bench readings")
                .sinkTo(new DiscardingSink<>());
        JobExecutionResult result = env.execute("bench: bare");
        return perSecond(readings, result.getNetRuntime(TimeUnit.MILLISECONDS));
    }

    private double pipeline(AlertingConfig config, int readings, long[] alerts) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism);
        new AlertingJob(config, new InMemoryReadings(),
                AlertingSinks.alertsTo(StreamSink.of(new DiscardingSink<>(), "alerts"))
                        .deadLettersTo(StreamSink.of(new DiscardingSink<>(), "dead letters"))
                        .rawReadingsTo(StreamSink.of(new DiscardingSink<>(), "raw readings")))
                .build(env);
        JobExecutionResult result = env.execute("bench: pipeline");
        Object count = result.getAllAccumulatorResults().get(JobMetrics.ALERTS);
        alerts[0] = count == null ? 0 : ((Number) count).longValue();
        return perSecond(readings, result.getNetRuntime(TimeUnit.MILLISECONDS));
    }

    private static final class Naive {
        double readingsPerSecond;
        long readings;
        long matches;
        boolean cut;
    }

    private Naive naive(ReadingDecoder decoder, AlertingConfig config) throws Exception {
        NaiveChain.READINGS.set(0);
        NaiveChain.MATCHES.set(0);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism);
        NaiveChain.build(env, decoder, ReadingWatermarks.strategy(config), config.threshold());
        long start = System.nanoTime();
        JobClient job = env.executeAsync("bench: naive");
        Naive naive = new Naive();
        try {
            job.getJobExecutionResult().get(naiveMaxSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            naive.cut = true;
            job.cancel().get();
        }
        long elapsedMillis = Math.max(1, (System.nanoTime() - start) / 1_000_000);
        naive.readings = NaiveChain.READINGS.get();
        naive.matches = NaiveChain.MATCHES.get();
        naive.readingsPerSecond = perSecond(naive.readings, elapsedMillis);
        return naive;
    }

    /** The p-th percentile of sorted values (nearest rank); -1 when there are none. */
    static long percentile(java.util.List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static double perSecond(long count, long millis) {
        return count * 1000.0 / Math.max(1, millis);
    }
}
