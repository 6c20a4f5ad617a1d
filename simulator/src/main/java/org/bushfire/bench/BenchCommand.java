package org.bushfire.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.bushfire.cli.DurationConverter;
import org.bushfire.domain.ReadingDecoder;
import org.bushfire.job.AlertingConfig;
import org.bushfire.job.AlertingJob;
import org.bushfire.job.AlertingSinks;
import org.bushfire.job.JobMetrics;
import org.bushfire.job.ReadingWatermarks;
import org.bushfire.job.StreamSink;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Measures, on workloads a fire season brings ({@link Workloads}, made by the simulator's fire model) and one
 * machine, in one run, each variant on the same in-memory readings:
 *
 * <ul>
 *   <li><b>bare</b>: parse → discard, the engine's limit for our format;
 *   <li><b>cold</b>: our real job graph on the workload's cold twin (same sensors and rounds, no fire);
 *   <li><b>pipeline</b>: our real job graph as {@code run} builds it (fire incidents, alerts, dead letters),
 *       external sinks replaced by discarding ones; with {@code --raw-readings} also the raw readings output that
 *       {@code index} adds (every reading to a second exchange, towards the Elasticsearch writer);
 *   <li><b>naive</b>: the commonly published approach, as published ({@link NaiveChain}).
 * </ul>
 *
 * Fair by construction: every variant is timed by the job's net runtime; each figure is the median of
 * {@code --runs} runs, interleaved (bare, cold, pipeline, bare, ...) so a busy moment of the machine does not
 * fall on one variant, with the spread shown; a run over its limit is cancelled and reported as cut. The time a
 * fire adds is pipeline minus cold, per burning sensor; over the {@code fire-K} workloads its largest / smallest
 * says whether the detection's work per burning sensor grows with the fire. Speed is measured here, never in a
 * test. The last line printed is one JSON object.
 *
 * <p>Lives with the simulator, not in the cluster jar: it needs the simulator's model, and the MiniCluster.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 110,
        description = "Benchmark the alerting job on a local MiniCluster: bare parsing, the real pipeline on fire-heavy "
                + "workloads and their cold twins, and the naive approach, on the same in-memory readings.")
public final class BenchCommand implements Callable<Integer> {
    static final List<String> WORKLOADS = List.of("standard", "fire", "concurrent", "networks", "wildfire-day", "idle");

    @Spec
    CommandSpec spec;

    @Option(names = "--workloads", split = ",", defaultValue = "standard", paramLabel = "NAME[,NAME...]",
            description = "Which: standard, fire (one fire of each --fire-sizes), concurrent, networks, wildfire-day, "
                    + "idle (one of each --idle-sensors), all, or none (only --latency-seconds or --elasticsearch) "
                    + "(default: ${DEFAULT-VALUE}).")
    List<String> workloads;

    @Option(names = "--fire-sizes", split = ",", defaultValue = "300,1000,3000,10000,30000", paramLabel = "K[,K...]",
            description = "Burning sensors of the fire workloads, one network each (default: ${DEFAULT-VALUE}).")
    List<Integer> fireSizes;

    @Option(names = "--background", defaultValue = "300",
            description = "Cold sensors beside each fire-K fire (default: ${DEFAULT-VALUE}).")
    int background;

    @Option(names = "--concurrent-fires", defaultValue = "10",
            description = "concurrent: fires in the one network (default: ${DEFAULT-VALUE}).")
    int concurrentFires;

    @Option(names = "--concurrent-size", defaultValue = "300",
            description = "concurrent: burning sensors per fire (default: ${DEFAULT-VALUE}).")
    int concurrentSize;

    @Option(names = "--networks", defaultValue = "1000",
            description = "networks: networks of 40 sensors, a fire of 10 in each (default: ${DEFAULT-VALUE}).")
    int networks;

    @Option(names = "--wildfire-scale", defaultValue = "1",
            description = "wildfire-day: sensors and fires × this (1: 100,000 sensors, 50 fires of 100; default: "
                    + "${DEFAULT-VALUE}).")
    double wildfireScale;

    @Option(names = "--wildfire-interval", defaultValue = "5m", converter = DurationConverter.class,
            description = "wildfire-day: between two readings of a sensor (default: 5m).")
    Duration wildfireInterval;

    @Option(names = "--sensors", defaultValue = "10000",
            description = "standard: sensors, networks of 100 (default: ${DEFAULT-VALUE}).")
    int sensors;

    @Option(names = "--rounds", defaultValue = "30",
            description = "standard: readings per sensor, a minute apart (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--fires", defaultValue = "20",
            description = "standard: fires, each a path through 6 sensors (default: ${DEFAULT-VALUE}).")
    int fires;

    @Option(names = "--idle-sensors", split = ",", defaultValue = "1000,10000,100000", paramLabel = "N[,N...]",
            description = "idle: cold sensors in networks of 100, no fire (default: ${DEFAULT-VALUE}).")
    List<Integer> idleSensors;

    @Option(names = "--idle-rounds", defaultValue = "5",
            description = "idle: readings per sensor, a minute apart (default: ${DEFAULT-VALUE}).")
    int idleRounds;

    @Option(names = "--state-size", description = "Instead of timing: the state the job keeps on RocksDB for each "
            + "workload, its cold twin and an empty job, from a checkpoint and a canonical savepoint when the watermark "
            + "has passed every reading, a chain span later and a state retention later; bytes per burning and per idle "
            + "sensor. --max-seconds limits each step.")
    boolean stateSize;

    @Option(names = "--runs", defaultValue = "3",
            description = "Runs of each variant; figures are their median (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warm-up-readings", defaultValue = "3000000",
            description = "Before measuring, bare and the pipeline run in turn on a 10,000-sensor fire until each has "
                    + "read this many readings: the JIT compiles the graph's code once, as a long-running job does, "
                    + "instead of in the first measured runs (not reported; 0: one bare run only) "
                    + "(default: ${DEFAULT-VALUE}).")
    long warmUpReadings;

    @Option(names = "--max-seconds", defaultValue = "120",
            description = "Per-run limit of bare, cold and pipeline: a longer run is cut (default: ${DEFAULT-VALUE}).")
    int maxSeconds;

    @Option(names = "--naive-max-seconds", defaultValue = "30",
            description = "Per-run limit of the naive approach; a cut run gives a lower bound (default: "
                    + "${DEFAULT-VALUE}).")
    int naiveMaxSeconds;

    @Option(names = "--naive-runs", defaultValue = "1",
            description = "Runs of the naive approach per workload; 0 skips it (default: ${DEFAULT-VALUE}).")
    int naiveRuns;

    @Option(names = "--keep-going", description = "Run larger fire-K workloads even after a smaller one's pipeline "
            + "was cut (by default they are reported as not run).")
    boolean keepGoing;

    @Option(names = "--batches", defaultValue = "network", paramLabel = "network|sensor|aligned",
            description = "When in its round a reading is stamped: network, each network's batch at its own moment of "
                    + "the round, as gateways send; sensor, each sensor at its own moment (a new watermark with nearly "
                    + "every reading; a sensor may then report before its infector, so expected alerts are not known); "
                    + "aligned, all at the round's start (one event time a round). The latency run takes network for "
                    + "sensor (default: ${DEFAULT-VALUE}).")
    String batches;
    private BenchWorkload.Batches stamped;

    @Option(names = "--raw-readings", description = "Cold and pipeline also write every raw reading, as the "
            + "indexing job (index) does, to a discarding sink (default: the alerting job as run builds it).")
    boolean rawReadings;

    @Option(names = "--state-backend", defaultValue = "hashmap", paramLabel = "hashmap|rocksdb",
            description = "The state backend of cold and pipeline (and bare, which keeps none): hashmap as a local run, "
                    + "rocksdb as the EMR cluster runs the job (default: ${DEFAULT-VALUE}).")
    String stateBackend;

    @Option(names = "--managed-memory", defaultValue = "1372m", paramLabel = "SIZE",
            description = "Flink managed memory of the local TaskManager, which RocksDB takes for its block cache and "
                    + "write buffers (default: ${DEFAULT-VALUE}, what deploy/emr-bootstrap/create-cluster.sh gives one "
                    + "TaskManager of the smallest type it sizes, m5.xlarge; a MiniCluster's own default is 128m, which "
                    + "makes RocksDB flush and compact without pause).")
    String managedMemory;

    /** Every timed job's configuration, from --state-backend and --managed-memory (the latency run's too). */
    private Configuration jobConfiguration;

    @Option(names = "--readers", defaultValue = "1",
            description = "Source subtasks reading the workload, for bare and the job alike: 1 as run reads Kinesis "
                    + "(its polling reader is one subtask, so that shard idleness is judged against every shard), "
                    + "or up to --parallelism, as the EFO reader and replay read (default: ${DEFAULT-VALUE}).")
    int readers;

    @Option(names = "--parallelism", defaultValue = "2", description = "Parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--seed", defaultValue = "42", description = "Workload seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--elasticsearch", paramLabel = "URL",
            description = "Also compare our readings sink with a plain _bulk loader on this node (standard workload, "
                    + "--runs times in alternating order), e.g. $BUSHFIRE_ES_URL.")
    String elasticsearch;

    @Option(names = "--latency-seconds", defaultValue = "0",
            description = "Also measure alert latency in a real-time-paced run of this length while a big fire burns "
                    + "(default: 0, skipped).")
    int latencySeconds;

    @Option(names = "--latency-out-of-orderness", defaultValue = "5s", converter = DurationConverter.class,
            description = "B for the latency run (default: 5s).")
    Duration latencyBound;

    @Option(names = "--latency-big-fire", defaultValue = "10000",
            description = "Burning sensors of the big fire in its own network during the latency run; 0: none "
                    + "(default: ${DEFAULT-VALUE}).")
    int latencyBigFire;

    @Option(names = "--latency-small-fires", defaultValue = "40",
            description = "Small fires elsewhere during the latency run, one alert each (default: ${DEFAULT-VALUE}).")
    int latencySmallFires;

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                commandLine.getErr().println("bench: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (sensors < 1 || rounds < 1 || fires < 0 || parallelism < 1 || runs < 1 || maxSeconds < 1
                || naiveMaxSeconds < 1 || naiveRuns < 0 || background < 0 || concurrentFires < 1 || concurrentSize < 1
                || networks < 1 || !(wildfireScale > 0) || idleRounds < 1) {
            throw new IllegalArgumentException("--sensors, --rounds, --parallelism, --runs, --max-seconds, "
                    + "--naive-max-seconds, --concurrent-*, --networks, --wildfire-scale and --idle-rounds must be "
                    + "positive, --fires, "
                    + "--naive-runs and --background not negative");
        }
        AlertingConfig config = AlertingConfig.defaults();
        List<BenchWorkload.Spec> specs = specs(config.threshold());
        PrintWriter out = spec.commandLine().getOut();
        if (stateSize) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("state_size", StateSize.report(config, specs, seed, parallelism, Duration.ofSeconds(maxSeconds),
                    out));
            out.println(new ObjectMapper().writeValueAsString(result));
            out.flush();
            return 0;
        }
        ReadingDecoder decoder = new ReadingDecoder(config.maxClockSkew());
        Runtime runtime = Runtime.getRuntime();
        if (!stateBackend.equals("hashmap") && !stateBackend.equals("rocksdb")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--state-backend must be hashmap or rocksdb, was " + stateBackend);
        }
        jobConfiguration = new Configuration();
        jobConfiguration.setString("state.backend.type", stateBackend);
        try {
            jobConfiguration.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse(managedMemory));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--managed-memory must be a size such as 1372m or 2g, was " + managedMemory);
        }
        if (!List.of("network", "sensor", "aligned").contains(batches)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--batches must be network, sensor or aligned, was " + batches);
        }
        stamped = BenchWorkload.Batches.valueOf(batches.toUpperCase(Locale.ROOT));
        if (readers < 1 || readers > parallelism) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--readers must be between 1 and --parallelism (" + parallelism + "), was " + readers);
        }
        out.printf(Locale.ROOT, "bench: parallelism %d, %d reader(s), %d cores, %d runs per variant (median, min–max), "
                + "net job runtime; limits %d s, naive %d s; state backend %s%s; pipeline: the graph run builds%s; "
                + "%s%n",
                parallelism, readers,
                runtime.availableProcessors(), runs, maxSeconds, naiveMaxSeconds, stateBackend,
                stateBackend.equals("rocksdb") ? " (managed memory " + managedMemory + ")" : "",
                rawReadings ? ", with the raw readings index adds" : "",
                switch (stamped) {
                    case ALIGNED -> "every reading at the start of its round";
                    case NETWORK -> "each network's batch at its own moment of the round";
                    case SENSOR -> "each sensor's reading at its own moment of the round";
                });

        List<Map<String, Object>> results = new ArrayList<>();
        List<Fire> fireSizes = new ArrayList<>();
        BenchWorkload forElasticsearch = null;
        String cutFire = null;
        boolean warm = false;
        for (BenchWorkload.Spec s : specs) {
            if (s.name().startsWith("fire-") && cutFire != null && !keepGoing) {
                out.printf(Locale.ROOT, "%-12s not run: %s was cut (--keep-going runs it anyway)%n", s.name(), cutFire);
                Map<String, Object> skipped = new LinkedHashMap<>();
                skipped.put("workload", s.name());
                skipped.put("not_run_because_cut", cutFire);
                results.add(skipped);
                continue;
            }
            long generating = System.nanoTime();
            BenchWorkload workload = BenchWorkload.generate(s, seed, readers, config.chainLength(), stamped);
            BenchWorkload cold = workload.coldTwin();
            out.printf(Locale.ROOT, "%-12s %s: %,d readings (%d rounds, %.1f MB JSON), %d fires, %,d burning sensors; "
                            + "generated in %.1f s%n", s.name(), s.description(), workload.readings.length,
                    workload.rounds, workload.totalBytes() / 1e6, workload.fires, workload.burning,
                    (System.nanoTime() - generating) / 1e9);
            if (!warm) {
                warmUp(out, config, decoder, workload);
                warm = true;
            }
            Measured m = measure(config, decoder, workload, cold);
            m.print(out);
            results.add(m.toJson());
            if (s.name().startsWith("fire-")) {
                fireSizes.add(new Fire(workload.burning, m));
                if (m.pipeline.cut && cutFire == null) {
                    cutFire = s.name();
                }
            }
            if (s.name().equals("standard")) {
                forElasticsearch = workload;
            }
            BenchWorkload.current = null;
        }

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("parallelism", parallelism);
        result.put("readers", readers);
        result.put("state_backend", stateBackend);
        result.put("managed_memory", managedMemory);
        result.put("pipeline", rawReadings ? "run + raw readings" : "run");
        result.put("batches", batches);
        result.put("cores", runtime.availableProcessors());
        result.put("runs", runs);
        result.put("seed", seed);
        result.put("workloads", results);
        if (fireSizes.size() >= 2) {
            result.put("fire_scaling", fireScaling(out, fireSizes));
        }
        if (elasticsearch != null) {
            if (forElasticsearch == null) {
                forElasticsearch = BenchWorkload.generate(Workloads.standard(sensors, rounds, fires, config.threshold()),
                        seed, readers, config.chainLength(), stamped);
            }
            result.put("elasticsearch", elasticsearch(out, decoder, config, forElasticsearch));
        }
        if (latencySeconds > 0) {
            LatencyRun.Result latency = LatencyRun.measure(config.withOutOfOrderness(latencyBound), jobConfiguration,
                    parallelism, readers, Duration.ofSeconds(latencySeconds), latencyBigFire, latencySmallFires, seed,
                    stamped == BenchWorkload.Batches.ALIGNED, out);
            result.put("latency", latency.toJson());
        }
        System.gc();
        long heapMb = (runtime.totalMemory() - runtime.freeMemory()) / (1024 * 1024);
        result.put("heap_mb_after", heapMb);
        out.println(new ObjectMapper().writeValueAsString(result));
        out.flush();
        return 0;
    }

    private List<BenchWorkload.Spec> specs(double threshold) {
        List<String> names = workloads.contains("all") ? WORKLOADS : workloads;
        List<BenchWorkload.Spec> specs = new ArrayList<>();
        for (String name : names) {
            switch (name) {
                case "standard" -> specs.add(Workloads.standard(sensors, rounds, fires, threshold));
                case "fire" -> fireSizes.stream().sorted().forEach(k -> {
                    if (k < 1) {
                        throw new IllegalArgumentException("--fire-sizes must be positive (was " + k + ")");
                    }
                    specs.add(Workloads.fire(k, background, threshold));
                });
                case "concurrent" -> specs.add(Workloads.concurrent(concurrentFires, concurrentSize, threshold));
                case "networks" -> specs.add(Workloads.networks(networks, threshold));
                case "wildfire-day" -> specs.add(Workloads.wildfireDay(wildfireScale, wildfireInterval, threshold));
                case "idle" -> idleSensors.stream().sorted().forEach(n -> {
                    if (n < 1) {
                        throw new IllegalArgumentException("--idle-sensors must be positive (was " + n + ")");
                    }
                    specs.add(Workloads.idle(n, idleRounds, threshold));
                });
                case "none" -> { } // only --latency-seconds or --elasticsearch
                default -> throw new IllegalArgumentException("--workloads: no workload '" + name + "' (there are "
                        + String.join(", ", WORKLOADS) + ", all and none)");
            }
        }
        return specs;
    }

    /**
     * Class loading and JIT compilation, not reported. A graph's first runs in a JVM pay for compiling its code
     * (on two cores the compiler threads take half the machine for several seconds): measured cold, the variant
     * with more code (the pipeline) would be charged for it, which a long-running job pays once.
     */
    private void warmUp(PrintWriter out, AlertingConfig config, ReadingDecoder decoder, BenchWorkload first)
            throws Exception {
        if (warmUpReadings <= 0) {
            BenchWorkload.current = first;
            new Timing("warm-up", maxSeconds, jobConfiguration).run(parallelism, env -> bareGraph(env, decoder));
            return;
        }
        long started = System.nanoTime();
        BenchWorkload workload = BenchWorkload.generate(Workloads.fire(10_000, background, config.threshold()), seed,
                readers, config.chainLength(), stamped);
        BenchWorkload.current = workload;
        Timing bare = new Timing("warm-up bare", maxSeconds, jobConfiguration);
        Timing pipeline = new Timing("warm-up pipeline", maxSeconds, jobConfiguration);
        long read = 0;
        do {
            bare.run(parallelism, env -> bareGraph(env, decoder));
            pipeline.run(parallelism, env -> pipelineGraph(env, config, rawReadings));
            read += workload.readings.length;
        } while (read < warmUpReadings);
        BenchWorkload.current = null;
        out.printf(Locale.ROOT, "warm-up: %d runs each of bare and pipeline on %s (%,d readings each), %.1f s; "
                        + "not reported (last pipeline run %d ms, first %d ms)%n", pipeline.millis.size(),
                workload.name(), read, (System.nanoTime() - started) / 1e9,
                pipeline.millis.get(pipeline.millis.size() - 1), pipeline.millis.get(0));
    }

    /** The variants' runs on one workload, interleaved. */
    private Measured measure(AlertingConfig config, ReadingDecoder decoder, BenchWorkload workload, BenchWorkload cold)
            throws Exception {
        Measured m = new Measured(workload, maxSeconds, naiveMaxSeconds, jobConfiguration);
        for (int r = 0; r < runs; r++) {
            BenchWorkload.current = workload;
            if (!m.bare.cut) {
                m.bare.run(parallelism, env -> bareGraph(env, decoder));
            }
            BenchWorkload.current = cold;
            if (!m.cold.cut) {
                m.cold.run(parallelism, env -> pipelineGraph(env, config, rawReadings));
            }
            BenchWorkload.current = workload;
            if (!m.pipeline.cut) {
                m.pipeline.run(parallelism, env -> pipelineGraph(env, config, rawReadings));
            }
        }
        BenchWorkload.current = workload;
        for (int r = 0; r < naiveRuns && !m.naive.cut; r++) {
            NaiveChain.READINGS.set(0);
            NaiveChain.MATCHES.set(0);
            m.naive.run(parallelism, env -> NaiveChain.build(env, decoder, ReadingWatermarks.strategy(config),
                    config.threshold()));
            m.naiveReadings = NaiveChain.READINGS.get();
            m.naiveMatches = NaiveChain.MATCHES.get();
        }
        return m;
    }

    private static void bareGraph(org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env,
            ReadingDecoder decoder) {
        env.fromSource(InMemoryReadings.source(decoder), WatermarkStrategy.noWatermarks(), "bench readings")
                .setParallelism(InMemoryReadings.readers())
                .sinkTo(new DiscardingSink<>()).setParallelism(InMemoryReadings.readers());
    }

    /** The graph {@code run} builds (and with raw readings, what {@code index} adds), sinks discarding. */
    private static void pipelineGraph(org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env,
            AlertingConfig config, boolean rawReadings) {
        AlertingSinks sinks = AlertingSinks.incidentsTo(StreamSink.of(new DiscardingSink<>(), "incidents"))
                .alsoAlertsTo(StreamSink.of(new DiscardingSink<>(), "alerts"))
                .deadLettersTo(StreamSink.of(new DiscardingSink<>(), "dead letters"));
        if (rawReadings) {
            sinks.rawReadingsTo(StreamSink.of(new DiscardingSink<>(), "raw readings"));
        }
        new AlertingJob(config, new InMemoryReadings(), sinks).build(env);
    }

    /** One workload's figures. */
    static final class Measured {
        final BenchWorkload workload;
        final Timing bare;
        final Timing cold;
        final Timing pipeline;
        final Timing naive;
        long naiveReadings;
        long naiveMatches;

        Measured(BenchWorkload workload, int limitSeconds, int naiveLimitSeconds, Configuration jobConfiguration) {
            this.workload = workload;
            this.bare = new Timing("bare", limitSeconds, jobConfiguration);
            this.cold = new Timing("cold", limitSeconds, jobConfiguration);
            this.pipeline = new Timing("pipeline", limitSeconds, jobConfiguration);
            this.naive = new Timing("naive", naiveLimitSeconds, jobConfiguration);
        }

        long readings() {
            return workload.readings.length;
        }

        /** Pipeline minus cold, per burning sensor, in ms; for a cut pipeline the least it is. NaN: unknown. */
        double extraPerBurningSensor() {
            if (workload.burning == 0 || !cold.measured() || pipeline.millis.isEmpty() && !pipeline.cut) {
                return Double.NaN;
            }
            double pipelineMillis = pipeline.measured() ? pipeline.median() : pipeline.limitSeconds * 1000.0;
            return (pipelineMillis - cold.median()) / workload.burning;
        }

        void print(PrintWriter out) {
            long n = readings();
            out.printf(Locale.ROOT, "  bare      %-44s %s readings/s%n", bare.describe(), rate(bare, n));
            out.printf(Locale.ROOT, "  cold      %-44s %s readings/s (the same sensors and rounds, no fire)%n",
                    cold.describe(), rate(cold, n));
            long alerts = Timing.count(pipeline.accumulators, JobMetrics.ALERTS);
            long late = Timing.count(pipeline.accumulators, JobMetrics.LATE)
                    + Timing.count(pipeline.accumulators, JobMetrics.LATE_HOT);
            boolean finished = !pipeline.millis.isEmpty();
            out.printf(Locale.ROOT, "  pipeline  %-44s %s readings/s, %s alerts (%s), %s late%n",
                    pipeline.describe(), rate(pipeline, n), finished ? Long.toString(alerts) : "?",
                    workload.expectedAlerts < 0 ? "expected: not known" : workload.expectedAlerts + " expected",
                    finished ? Long.toString(late) : "?");
            if (naive.millis.isEmpty() && !naive.cut) {
                out.printf("  naive     not run%n");
            } else {
                out.printf(Locale.ROOT, "  naive     %-44s %s readings/s, %d matches%n", naive.describe(),
                        naive.cut ? "≥ " + String.format(Locale.ROOT, "%,.0f", naiveReadings * 1000.0
                                / (naive.limitSeconds * 1000.0)) : rate(naive, n), naiveMatches);
            }
            double extra = extraPerBurningSensor();
            out.printf(Locale.ROOT, "  per burning sensor: %s extra (pipeline − cold); pipeline / bare %s%n",
                    Double.isNaN(extra) ? "-" : (pipeline.cut ? "≥ " : "") + String.format(Locale.ROOT, "%.2f ms", extra),
                    pipeline.measured() && bare.measured()
                            ? String.format(Locale.ROOT, "%.2f", bare.median() / (double) pipeline.median()) : "-");
        }

        private static String rate(Timing t, long n) {
            return (t.cut ? "≤ " : "") + String.format(Locale.ROOT, "%,.0f", t.perSecond(n));
        }

        Map<String, Object> toJson() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("workload", workload.name());
            o.put("description", workload.spec.description());
            o.put("sensors", workload.sensors);
            o.put("networks", workload.networks);
            o.put("rounds", workload.rounds);
            o.put("readings", readings());
            o.put("fires", workload.fires);
            o.put("burning_sensors", workload.burning);
            o.put("expected_alerts", workload.expectedAlerts);
            o.put("bare", bare.toJson());
            o.put("cold", cold.toJson());
            o.put("pipeline", pipeline.toJson());
            o.put("naive", naive.toJson());
            o.put("naive_matches", naiveMatches);
            o.put("naive_readings", naiveReadings);
            if (!pipeline.millis.isEmpty()) {
                o.put("pipeline_alerts", Timing.count(pipeline.accumulators, JobMetrics.ALERTS));
                o.put("pipeline_late", Timing.count(pipeline.accumulators, JobMetrics.LATE)
                        + Timing.count(pipeline.accumulators, JobMetrics.LATE_HOT));
            }
            o.put("bare_readings_per_s", Math.round(bare.perSecond(readings())));
            o.put("pipeline_readings_per_s", Math.round(pipeline.perSecond(readings())));
            double extra = extraPerBurningSensor();
            if (!Double.isNaN(extra)) {
                o.put("extra_ms_per_burning_sensor", Math.round(extra * 1000) / 1000.0);
                o.put("extra_is_lower_bound", pipeline.cut);
            }
            return o;
        }
    }

    record Fire(int burning, Measured measured) {}

    /** Largest fire's extra time per burning sensor over the smallest's: flat detection keeps it near 1. */
    private static Map<String, Object> fireScaling(PrintWriter out, List<Fire> sizes) {
        Fire smallest = sizes.get(0);
        Fire largest = sizes.get(sizes.size() - 1);
        Map<String, Object> o = new LinkedHashMap<>();
        double small = smallest.measured.extraPerBurningSensor();
        boolean smallKnown = !Double.isNaN(small) && small > 0 && !smallest.measured.pipeline.cut;
        out.println("fire scaling (extra time per burning sensor, pipeline − cold; × the smallest fire's):");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Fire f : sizes) {
            double extra = f.measured.extraPerBurningSensor();
            String bound = f.measured.pipeline.cut ? "≥ " : "";
            out.printf(Locale.ROOT, "  %,7d burning: %s%s%n", f.burning, Double.isNaN(extra) ? "-"
                    : bound + String.format(Locale.ROOT, "%.2f ms", extra), Double.isNaN(extra) || !smallKnown ? ""
                    : String.format(Locale.ROOT, "  × %s%.2f", bound, extra / small));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("burning", f.burning);
            if (!Double.isNaN(extra)) {
                row.put("extra_ms_per_burning_sensor", Math.round(extra * 1000) / 1000.0);
                row.put("lower_bound", f.measured.pipeline.cut);
            }
            rows.add(row);
        }
        o.put("sizes", rows);
        double large = largest.measured.extraPerBurningSensor();
        o.put("smallest_burning", smallest.burning);
        o.put("largest_burning", largest.burning);
        if (smallKnown && !Double.isNaN(large)) {
            double ratio = large / small;
            boolean lowerBound = largest.measured.pipeline.cut;
            out.printf(Locale.ROOT, "  largest / smallest = %s%.2f (target ≤ 1.5)%n", lowerBound ? "≥ " : "", ratio);
            o.put("ratio_largest_to_smallest", Math.round(ratio * 100) / 100.0);
            o.put("ratio_is_lower_bound", lowerBound);
        } else {
            out.println("  largest / smallest: not measured (the smallest fire was cut or adds no time)");
        }
        return o;
    }

    /** Our sink against a plain _bulk loader, --runs times each in alternating order, medians. */
    private Map<String, Object> elasticsearch(PrintWriter out, ReadingDecoder decoder, AlertingConfig config,
            BenchWorkload workload) throws Exception {
        BenchWorkload.current = workload;
        List<Double> sink = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        try {
            for (int r = 0; r < runs; r++) {
                double[] measured = ElasticsearchRun.measure(elasticsearch, decoder, config.threshold(), parallelism,
                        1000, r % 2 == 1);
                sink.add(measured[0]);
                plain.add(measured[1]);
            }
        } finally {
            BenchWorkload.current = null;
        }
        double sinkMedian = median(sink);
        double plainMedian = median(plain);
        out.printf(Locale.ROOT, "elasticsearch (%,d readings, %d runs each, alternating): our sink median %,.0f docs/s "
                        + "(%,.0f–%,.0f), plain _bulk loader %,.0f docs/s (%,.0f–%,.0f): %.2f%n", workload.readings.length,
                runs, sinkMedian, min(sink), max(sink), plainMedian, min(plain), max(plain), sinkMedian / plainMedian);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("sink_docs_per_s", sink);
        o.put("plain_bulk_docs_per_s", plain);
        o.put("sink_median_docs_per_s", Math.round(sinkMedian));
        o.put("plain_bulk_median_docs_per_s", Math.round(plainMedian));
        return o;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
