package org.bushfire.bench;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
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
import org.bushfire.simulator.Mesh;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A soak run: the real {@link AlertingJob} on a local MiniCluster, checkpointing, under a steady paced load for
 * a given time, sampling throughput and heap every few seconds. It answers one question a benchmark cannot: does
 * the job's memory stay flat when it runs for a long time, i.e. is every piece of state really forgotten after
 * {@code --state-retention}?
 *
 * <p>Sensors report once per simulated minute, and simulated time runs {@code --speedup} times faster than the
 * wall clock (ending before now, so no reading is refused as from the future): a few minutes of soaking cover
 * many state-retention periods. A fire starts every {@code --fire-every} simulated minutes, in each network in
 * turn, and spreads through {@value #FIRE_LENGTH} sensors as the simulator's fire model shapes it
 * ({@link FireShapes}: hops of 10 s – 1 min, some of them same-instant); every fire should
 * raise one alert, and every fire leaves state (onsets, fire trees, alerted fires) that the job must forget
 * after {@code --state-retention}. Readings are generated as JSON and decoded with the job's decoder, as from
 * Kinesis; the sinks count and discard, so only the job itself is measured.
 *
 * <p>Heap is the whole JVM's (MiniCluster and job): used before a forced GC, and live after it. The verdict
 * compares the average live heap of the first and last thirds of the samples after a warm-up.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Run the real alerting job under a steady simulated load; report throughput and heap over time.")
public final class SoakRun implements Callable<Integer> {
    static final int NETWORK_SIZE = 100;
    static final int FIRE_LENGTH = 6;
    /** A fire's chain of N = 5 completes at its fifth sensor, this many ticks after it started. */
    static final int HOPS_TO_ALERT = 4;
    /** A network's fires burn its sensors in blocks of FIRE_LENGTH, one block after the other. */
    static final int BLOCKS = NETWORK_SIZE / FIRE_LENGTH;
    static final long TICK_MILLIS = 60_000L;

    /** What the sinks count. The MiniCluster runs in this JVM, so its tasks and this class share the counts. */
    enum Counted {
        READINGS, ALERTS;

        private final AtomicLong count = new AtomicLong();

        long get() {
            return count.get();
        }
    }

    /** The first and last simulated tick any reading was generated for. */
    enum Generated {
        FIRST_TICK(Long.MAX_VALUE), LAST_TICK(Long.MIN_VALUE);

        private final AtomicLong tick;

        Generated(long initial) {
            tick = new AtomicLong(initial);
        }

        long get() {
            return tick.get();
        }

        static void saw(long tick) {
            if (tick < FIRST_TICK.get()) {
                FIRST_TICK.tick.accumulateAndGet(tick, Math::min);
            }
            if (tick > LAST_TICK.get()) {
                LAST_TICK.tick.accumulateAndGet(tick, Math::max);
            }
        }
    }

    @Option(names = "--minutes", defaultValue = "10", description = "How long to soak (default: ${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--sensors", defaultValue = "1000",
            description = "Sensors, in networks of " + NETWORK_SIZE + " (default: ${DEFAULT-VALUE}).")
    int sensors;

    @Option(names = "--speedup", defaultValue = "300",
            description = "Simulated seconds per wall-clock second; readings/s = sensors × speedup / 60 "
                    + "(default: ${DEFAULT-VALUE}).")
    int speedup;

    @Option(names = "--fire-every", defaultValue = "1",
            description = "Simulated minutes between two fires, each in the next network (default: ${DEFAULT-VALUE}).")
    int fireEvery;

    @Option(names = "--parallelism", defaultValue = "2", description = "Parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--sample-seconds", defaultValue = "10", description = "Sampling period (default: ${DEFAULT-VALUE}).")
    int sampleSeconds;

    @Option(names = "--checkpoint-interval", defaultValue = "10s", converter = org.bushfire.cli.DurationConverter.class,
            description = "Checkpoint interval (default: 10s).")
    Duration checkpointInterval;

    @Option(names = "--state-retention", defaultValue = "2h", converter = org.bushfire.cli.DurationConverter.class,
            description = "The job's --state-retention, in simulated time (default: 2h, the least for N = 5, W = 30m).")
    Duration stateRetention;

    @Option(names = "--max-growth-percent", defaultValue = "10",
            description = "Live heap may grow this much from the early to the late part and still be flat "
                    + "(default: ${DEFAULT-VALUE}).")
    double maxGrowthPercent;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the fires' shapes (default: ${DEFAULT-VALUE}).")
    long seed;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SoakRun()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (minutes <= 0 || sensors < NETWORK_SIZE || speedup < 1 || parallelism < 1 || sampleSeconds < 1 || fireEvery < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--minutes must be positive, --sensors at least "
                    + NETWORK_SIZE + ", --speedup, --fire-every, --parallelism and --sample-seconds at least 1");
        }
        long networks = sensors / NETWORK_SIZE;
        if (networks * fireEvery <= FIRE_LENGTH) {
            throw new CommandLine.ParameterException(new CommandLine(this), "a network's fires would overlap: give more "
                    + "--sensors or a larger --fire-every (networks x fire-every must exceed " + FIRE_LENGTH + ")");
        }
        // A sensor that burns again while its onset is remembered adds nothing (its onset is its earliest hot
        // reading), so that fire raises no alert, by design: keep sensors from burning twice within the retention.
        if (BLOCKS * networks * fireEvery * TICK_MILLIS <= stateRetention.toMillis()) {
            throw new CommandLine.ParameterException(new CommandLine(this), "each sensor would burn again within "
                    + "--state-retention, and a second onset adds nothing: give more --sensors, a larger --fire-every or "
                    + "a shorter --state-retention (" + BLOCKS + " x networks x fire-every minutes must exceed it)");
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        long runMillis = Math.round(minutes * 60_000);
        long wallStart = System.currentTimeMillis();
        // Simulated time starts far enough back that it never passes the wall clock.
        long simulatedStart = ((wallStart - (runMillis + 60_000) * speedup) / TICK_MILLIS - 1) * TICK_MILLIS;
        double readingsPerSecond = sensors * (double) speedup * 1000 / TICK_MILLIS;
        AlertingConfig config = AlertingConfig.defaults().withStateRetention(stateRetention);

        FireShapes shapes = FireShapes.generate((int) networks, seed, config.threshold());

        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        ReadingsSource paced = (e, decoder, watermarks) -> e.fromSource(
                new DataGeneratorSource<>(new SimulatedSensors(decoder, sensors, speedup, fireEvery, wallStart, simulatedStart,
                        shapes),
                        Long.MAX_VALUE, RateLimiterStrategy.perSecond(readingsPerSecond), Types.POJO(SensorRecord.class)),
                watermarks, "simulated sensors").uid("soak-sensors");
        new AlertingJob(config, paced,
                AlertingSinks.alertsTo(StreamSink.of(new Counting<>(Counted.ALERTS), "counted alerts"))
                        .rawReadingsTo(StreamSink.of(new Counting<>(Counted.READINGS), "counted readings"))
                        .deadLettersTo(StreamSink.of(new DiscardingSink<>(), "dead letters")))
                .build(env);

        out.printf(Locale.ROOT, "soak: %d sensors in %d networks, a fire every %d simulated min, simulated time x%d, "
                        + "%.0f readings/s offered, parallelism %d, checkpoint every %s, state retention %s, %.1f min%n",
                sensors, sensors / NETWORK_SIZE, fireEvery, speedup, readingsPerSecond, parallelism,
                checkpointInterval.toSeconds() + "s", stateRetention.toMinutes() + "min", minutes);
        out.printf("%8s %12s %8s %8s %12s %14s %12s%n", "elapsed", "readings/s", "alerts", "sim.time", "heap used MB",
                "live after GC", "committed MB");
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<Sample> samples = new ArrayList<>();
        JobClient job = env.executeAsync("soak");
        long lastReadings = 0;
        long lastNanos = System.nanoTime();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(runMillis);
        try {
            while (System.nanoTime() < end) {
                Thread.sleep(Math.min(sampleSeconds * 1000L, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
                JobStatus status = job.getJobStatus().get(30, TimeUnit.SECONDS);
                if (status.isGloballyTerminalState()) {
                    out.println("soak: the job ended early: " + status);
                    job.getJobExecutionResult().get(30, TimeUnit.SECONDS); // throws the failure
                    return 1;
                }
                long now = System.nanoTime();
                long readings = Counted.READINGS.get();
                long used = memory.getHeapMemoryUsage().getUsed();
                System.gc();
                Sample s = new Sample((System.currentTimeMillis() - wallStart) / 1000.0,
                        (readings - lastReadings) * 1e9 / (now - lastNanos), Counted.ALERTS.get(), used,
                        memory.getHeapMemoryUsage().getUsed(), memory.getHeapMemoryUsage().getCommitted());
                samples.add(s);
                lastReadings = readings;
                lastNanos = now;
                long simulatedHours = (System.currentTimeMillis() - wallStart) * speedup / 3_600_000;
                out.printf(Locale.ROOT, "%7.0fs %12.0f %8d %7dh %12d %14d %12d%n", s.elapsedSeconds, s.readingsPerSecond,
                        s.alerts, simulatedHours, mb(s.usedBytes), mb(s.liveBytes), mb(s.committedBytes));
            }
        } finally {
            job.cancel().get(60, TimeUnit.SECONDS);
        }
        return verdict(out, samples, wallStart, speedup);
    }

    private int verdict(PrintWriter out, List<Sample> samples, long wallStart, int speedup) {
        // Warm-up: class loading, JIT, state filling up to one retention period of simulated time.
        double warmUpSeconds = Math.max(60, stateRetention.toMillis() / (double) speedup / 1000 * 1.5);
        List<Sample> steady = samples.stream().filter(s -> s.elapsedSeconds > warmUpSeconds).toList();
        double throughput = samples.stream().mapToDouble(s -> s.readingsPerSecond).average().orElse(0);
        long first = Generated.FIRST_TICK.get();
        long last = Generated.LAST_TICK.get();
        // Fires that started after the first reading and reached their fifth sensor a minute before the last one.
        long completed = Math.max(0, Math.floorDiv(last - 1 - HOPS_TO_ALERT, fireEvery) - Math.floorDiv(first - 1, fireEvery));
        out.printf(Locale.ROOT, "throughput: %.0f readings/s on average over %d simulated minutes; %d alerts, %d fires "
                + "started and completed within the run: %s%n", throughput, last - first, Counted.ALERTS.get(), completed,
                Counted.ALERTS.get() >= completed ? "none missing" : (completed - Counted.ALERTS.get()) + " MISSING");
        if (steady.size() < 6) {
            out.printf(Locale.ROOT, "verdict: INCONCLUSIVE (only %d samples after a %.0f s warm-up; soak longer)%n",
                    steady.size(), warmUpSeconds);
            return 0;
        }
        int third = steady.size() / 3;
        double early = steady.subList(0, third).stream().mapToLong(s -> s.liveBytes).average().orElse(0);
        double late = steady.subList(steady.size() - third, steady.size()).stream().mapToLong(s -> s.liveBytes).average()
                .orElse(0);
        double growth = (late - early) * 100 / early;
        boolean flat = growth <= maxGrowthPercent;
        double minutesApart = (steady.get(steady.size() - 1 - third / 2).elapsedSeconds - steady.get(third / 2).elapsedSeconds) / 60;
        out.printf(Locale.ROOT, "live heap after GC: early %.1f MB, late %.1f MB: %+.1f %% (%+.2f MB per minute), "
                        + "%d samples after a %.0f s warm-up%n", early / 1048576, late / 1048576, growth,
                (late - early) / 1048576 / Math.max(minutesApart, 1e-9), steady.size(), warmUpSeconds);
        out.printf(Locale.ROOT, "verdict: %s%n", flat ? "FLAT (no sign of a leak)"
                : "GROWING (more than " + maxGrowthPercent + " %: look for state that is never cleared)");
        return flat ? 0 : 3;
    }

    private static long mb(long bytes) {
        return bytes / (1024 * 1024);
    }

    record Sample(double elapsedSeconds, double readingsPerSecond, long alerts, long usedBytes, long liveBytes,
            long committedBytes) {}

    /**
     * Reading {@code index}: sensor {@code index % sensors}, stamped with the simulated time of the moment it is
     * generated. The sensor is hot when a fire has reached it.
     */
    static final class SimulatedSensors implements GeneratorFunction<Long, SensorRecord> {
        private static final long serialVersionUID = 1L;
        private final ReadingDecoder decoder;
        private final int sensors;
        private final int speedup;
        private final int fireEvery;
        private final long wallStart;
        private final long simulatedStart;
        private final FireShapes shapes;

        SimulatedSensors(ReadingDecoder decoder, int sensors, int speedup, int fireEvery, long wallStart,
                long simulatedStart, FireShapes shapes) {
            this.decoder = decoder;
            this.shapes = shapes;
            this.sensors = sensors;
            this.speedup = speedup;
            this.fireEvery = fireEvery;
            this.wallStart = wallStart;
            this.simulatedStart = simulatedStart;
        }

        @Override
        public SensorRecord map(Long index) {
            int sensor = (int) (index % sensors);
            int networks = sensors / NETWORK_SIZE;
            int network = sensor % networks;
            int node = sensor / networks;
            long eventTime = simulatedStart + (System.currentTimeMillis() - wallStart) * speedup;
            long tick = (eventTime - simulatedStart) / TICK_MILLIS;
            Generated.saw(tick);
            // Fire f starts at tick f * fireEvery in network f % networks, in the network's next block of sensors,
            // spreads as its shape says, and burns out FIRE_LENGTH ticks later, before the network's next fire.
            String infectedBy = null;
            boolean hot = false;
            for (long f = Math.max(0, (tick - FIRE_LENGTH) / fireEvery); f <= tick / fireEvery; f++) {
                if (f % networks != network) {
                    continue;
                }
                int block = (int) (f / networks % BLOCKS);
                long hop = tick - f * fireEvery;
                if (node / FIRE_LENGTH == block && hop >= shapes.reached[network][node] && hop < FIRE_LENGTH) {
                    hot = true;
                    int by = shapes.infector[network][node];
                    infectedBy = by < 0 ? null : String.valueOf(by);
                }
            }
            String json = "{\"network\":\"net-" + network + "\",\"node\":" + node + ",\"eventTimestamp\":" + eventTime
                    + ",\"temperature\":" + (hot ? 75.0 : 20.0)
                    + (infectedBy == null ? "" : ",\"infectedBy\":" + infectedBy) + "}";
            return decoder.decode(json.getBytes(StandardCharsets.UTF_8), null);
        }
    }

    /**
     * The shape of every fire, made by the simulator's fire model: each block of {@value #FIRE_LENGTH} sensors of
     * each network burns as a branching fire of the simulator ({@link FireSpread.Branching}, a path here: one
     * neighbour each, after 10 s – 1 min) on a small generated mesh of its own, its sensors numbered in the order
     * the fire reached them. So hops take the model's times, and a hop shorter than the time to the next report
     * is a same-instant hop, as the benchmark's fires have them. The schedule stays the soak's own: fires recur in
     * a network's blocks in turn, so no sensor burns twice within the retention.
     */
    static final class FireShapes implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        /** [network][node]: ticks after its fire starts that the node first reads hot; -1: in no block. */
        final int[][] reached;
        /** [network][node]: the node that infected it; -1 for a fire's root. */
        final int[][] infector;

        private FireShapes(int[][] reached, int[][] infector) {
            this.reached = reached;
            this.infector = infector;
        }

        static FireShapes generate(int networks, long seed, double threshold) {
            int[][] reached = new int[networks][BLOCKS * FIRE_LENGTH];
            int[][] infector = new int[networks][BLOCKS * FIRE_LENGTH];
            for (int n = 0; n < networks; n++) {
                java.util.Arrays.fill(reached[n], -1);
                java.util.Arrays.fill(infector[n], -1);
                for (int b = 0; b < BLOCKS; b++) {
                    FireSpread spread = null;
                    // A fire of six with a sensor four hops from its root: a chain of five, so one alert.
                    for (int attempt = 0; spread == null || spread.order().size() < FIRE_LENGTH
                            || BenchWorkload.deepEnough(spread, HOPS_TO_ALERT + 1) == 0; attempt++) {
                        spread = GeneratedScenario.create(new GeneratedScenario.Settings(
                                new Mesh.Layout(2 * FIRE_LENGTH, 1, -33.7, 150.3, Double.NaN, 250, "soak"),
                                new FireSpread.Params(15, 315, 20, 30 * 60_000L), new HeatModel.Climate(22, 8, 0.5),
                                threshold, 1, List.of(), Duration.ZERO,
                                new FireSpread.Branching(1, 1, 10_000, 60_000, FIRE_LENGTH)),
                                seed * 1_000_003L + (n * (long) BLOCKS + b) * 64 + attempt, 0, 3_600_000L).spread();
                    }
                    List<Integer> order = spread.order();
                    java.util.Map<Integer, Integer> nodeOf = new java.util.HashMap<>();
                    for (int k = 0; k < FIRE_LENGTH; k++) {
                        int sensor = order.get(k);
                        int node = b * FIRE_LENGTH + k;
                        nodeOf.put(sensor, node);
                        reached[n][node] = (int) Math.ceil(spread.infectionTime(sensor) / (double) TICK_MILLIS);
                        int by = spread.infectedBy(sensor);
                        infector[n][node] = by < 0 ? -1 : nodeOf.get(by);
                    }
                }
            }
            return new FireShapes(reached, infector);
        }
    }

    /** Counts what reaches it, and drops it. */
    static final class Counting<T> implements Sink<T> {
        private static final long serialVersionUID = 1L;
        private final Counted counted;

        Counting(Counted counted) {
            this.counted = counted;
        }

        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<T> createWriter(InitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(T element, Context ctx) {
                    counted.count.incrementAndGet();
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
