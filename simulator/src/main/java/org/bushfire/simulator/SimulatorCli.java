package org.bushfire.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.bushfire.cli.DurationConverter;
import org.bushfire.domain.ContractJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The simulator's command line: {@code bin/bushfire simulate ...}, and the main class of
 * {@code target/bushfire-simulator.jar}. Exit status 0 when the run completed, 1 when the sink failed, 2 for a
 * bad option (the message names it).
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, version = "bushfire simulator 0.1.0",
        sortOptions = false, usageHelpWidth = 110,
        description = {
            "Sensor readings for the bushfire alerting job, in the job's own reading format: the reference "
                    + "scenario, or generated sensor meshes with fires spreading over them. To a JSON Lines file, "
                    + "stdout or a Kinesis stream; --truth writes what really happened.",
            "Durations: 500ms, 30s, 30m, 1h, 1d, 1h30m. Credentials (Kinesis): the AWS default provider chain."})
public final class SimulatorCli implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NETWORK_PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    @Spec
    CommandSpec spec;

    @Mixin
    What what = new What();

    @Mixin
    Time time = new Time();

    @Mixin
    MeshOptions mesh = new MeshOptions();

    @Mixin
    FireOptions fire = new FireOptions();

    @Mixin
    FaultOptions faults = new FaultOptions();

    @Mixin
    SinkOptions sink = new SinkOptions();

    static final class What {
        @Option(names = "--scenario", paramLabel = "reference|generated", defaultValue = "reference",
                description = "reference: the built-in 11-sensor scenario (five batches, one fire); generated: "
                        + "geo-located meshes with spreading fires (default: ${DEFAULT-VALUE}).")
        String scenario;

        @Option(names = "--format", paramLabel = "simulator|iot-rule", defaultValue = "simulator",
                description = "simulator: event time as eventTimestamp (epoch ms); iot-rule: as eventTime "
                        + "yyyy-MM-dd'T'HH:mm:ss.SSSZ, as an AWS IoT rule emits (default: ${DEFAULT-VALUE}).")
        String format;

        @Option(names = "--seed", paramLabel = "N",
                description = "Makes the run exactly repeatable (default: a random seed, printed in the summary).")
        Long seed;

        @Option(names = "--truth", paramLabel = "FILE",
                description = "Write the fires the run produced as JSON: network, root, infection tree with onsets.")
        Path truth;

        @Option(names = "--reference-csv", paramLabel = "FILE",
                description = "Reference scenario from this CSV (batch,event,node,temperature,infectedBy) instead "
                        + "of the built-in reference-11-nodes.csv.")
        Path referenceCsv;

        @Option(names = "--quiet", description = "No progress lines on stderr (the summary line is still printed).")
        boolean quiet;
    }

    static final class Time {
        @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1m", converter = DurationConverter.class,
                description = "Between two readings of a sensor: the batch interval of the reference scenario "
                        + "(default: 1m).")
        Duration interval;

        @Option(names = "--rounds", paramLabel = "N",
                description = "Rounds (each sensor reports once per round). Reference default: its 5 batches; "
                        + "more rounds repeat the last batch.")
        Integer rounds;

        @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "Event time to simulate, instead of --rounds (generated default: 1h).")
        Duration duration;

        @Option(names = "--speed", paramLabel = "N|max",
                description = "1 = real time, 60 = a minute per second, max = as fast as the sink takes it "
                        + "(default: max for files, 1 otherwise).")
        String speed;

        @Option(names = "--start", paramLabel = "ISO-8601",
                description = "Event time of the first round, e.g. 2024-11-21T00:00:00Z (default: placed so the run "
                        + "ends when it really ends, never ahead of the wall clock).")
        Instant start;

        @Option(names = "--out-of-orderness", paramLabel = "DURATION", defaultValue = "30s",
                converter = DurationConverter.class,
                description = "The job's B, for the truth file's delivered onsets: a reading sent more than B behind "
                        + "the newest one is late (default: 30s).")
        Duration outOfOrderness;

        @Option(names = "--max-clock-skew", paramLabel = "DURATION", defaultValue = "15m",
                converter = DurationConverter.class,
                description = "The job's --max-clock-skew: warn when an explicit --start puts readings further "
                        + "ahead of the wall clock (default: 15m).")
        Duration maxClockSkew;

        @Option(names = "--progress-every", paramLabel = "DURATION", defaultValue = "5s",
                converter = DurationConverter.class,
                description = "Progress line on stderr this often during long runs (default: 5s).")
        Duration progressEvery;
    }

    static final class MeshOptions {
        @Option(names = "--sensors", paramLabel = "N", defaultValue = "100",
                description = "Sensors in all networks together (default: ${DEFAULT-VALUE}).")
        int sensors;

        @Option(names = "--networks", paramLabel = "N", defaultValue = "1",
                description = "Sensor networks (meshes); fire never crosses from one to another (default: "
                        + "${DEFAULT-VALUE}).")
        int networks;

        @Option(names = "--center", paramLabel = "LAT,LON", defaultValue = "-33.70,150.30",
                description = "Centre of the area, WGS84 degrees (default: ${DEFAULT-VALUE}, Blue Mountains).")
        String center;

        @Option(names = "--area-km", paramLabel = "KM",
                description = "Side of each network's square area (default: from --sensors and --radio-range, for "
                        + "about 8 neighbours per sensor).")
        Double areaKm;

        @Option(names = "--radio-range", paramLabel = "METRES", defaultValue = "250",
                description = "Sensors within this distance are neighbours (default: ${DEFAULT-VALUE}).")
        double radioRange;

        @Option(names = "--network-prefix", paramLabel = "NAME", defaultValue = "ridge",
                description = "Networks are named NAME-1, NAME-2, ... (default: ${DEFAULT-VALUE}).")
        String networkPrefix;
    }

    static final class FireOptions {
        @Option(names = "--fires", paramLabel = "N",
                description = "Fires started at random sensors and times (default: 1, or 0 when --ignite is given).")
        Integer fires;

        @Option(names = "--ignite", paramLabel = "WHERE[@OFFSET]",
                description = "A fire at a given place and time: NETWORK/NODE or LAT,LON (nearest sensor), OFFSET "
                        + "from the start of the run, e.g. ridge-1/17@5m. Repeatable.")
        List<String> ignite = new ArrayList<>();

        @Option(names = "--ignite-within", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "Random fires start within this much event time (default: the first half of the run).")
        Duration igniteWithin;

        @Option(names = "--spread-model", paramLabel = "wind|branching", defaultValue = "wind",
                description = "wind: fire runs over the mesh at --spread-rate, faster downwind; branching: each "
                        + "burning sensor spreads to --branches of its neighbours after --hop-delay, fires of "
                        + "--fire-sensors each; without --duration or --rounds the run lasts until the fires are done "
                        + "(default: ${DEFAULT-VALUE}).")
        String spreadModel;

        @Option(names = "--branches", paramLabel = "MIN-MAX", defaultValue = "1-4",
                description = "--spread-model branching: neighbours each burning sensor spreads to (default: "
                        + "${DEFAULT-VALUE}).")
        String branches;

        @Option(names = "--hop-delay", paramLabel = "MIN-MAX", defaultValue = "10s-4m",
                description = "--spread-model branching: delay of each spread, drawn uniformly; shorter than "
                        + "--interval makes same-instant hops (default: ${DEFAULT-VALUE}).")
        String hopDelay;

        @Option(names = "--fire-sensors", paramLabel = "K", defaultValue = "0",
                description = "--spread-model branching: each fire stops at exactly K burning sensors (default: 0, "
                        + "no limit).")
        int fireSensors;

        @Option(names = "--wind-dir", paramLabel = "DEGREES", defaultValue = "315",
                description = "Where the wind comes from: 315 = north-westerly, fire runs south-east (default: "
                        + "${DEFAULT-VALUE}).")
        double windDir;

        @Option(names = "--wind-speed", paramLabel = "KMH", defaultValue = "20",
                description = "Wind speed; fire runs faster downwind and slower upwind (default: ${DEFAULT-VALUE}).")
        double windSpeed;

        @Option(names = "--spread-rate", paramLabel = "M_PER_MIN", defaultValue = "15",
                description = "Rate of spread without wind (default: ${DEFAULT-VALUE} m/min).")
        double spreadRate;

        @Option(names = "--burn-time", paramLabel = "DURATION", defaultValue = "30m", converter = DurationConverter.class,
                description = "How long a sensor's area burns and can spread fire; it warms for a third of this "
                        + "before the fire arrives and cools after (default: 30m).")
        Duration burnTime;

        @Option(names = "--threshold", paramLabel = "CELSIUS", defaultValue = "50",
                description = "The job's T: burning sensors read at least this, others always below (default: "
                        + "${DEFAULT-VALUE}).")
        double threshold;

        @Option(names = "--ambient-mean", paramLabel = "CELSIUS", defaultValue = "22",
                description = "Mean air temperature (default: ${DEFAULT-VALUE}).")
        double ambientMean;

        @Option(names = "--ambient-swing", paramLabel = "CELSIUS", defaultValue = "8",
                description = "Half the day-night range; warmest at 15:00 local solar time (default: ${DEFAULT-VALUE}).")
        double ambientSwing;

        @Option(names = "--noise", paramLabel = "CELSIUS", defaultValue = "0.5",
                description = "Standard deviation of sensor noise (default: ${DEFAULT-VALUE}).")
        double noise;
    }

    static final class FaultOptions {
        @Option(names = "--drop", paramLabel = "FRACTION", defaultValue = "0", description = "Never sent.")
        double drop;

        @Option(names = "--malformed", paramLabel = "FRACTION", defaultValue = "0",
                description = "Sent broken instead: truncated, wrong types, no node, absurd temperature, not JSON.")
        double malformed;

        @Option(names = "--duplicate", paramLabel = "FRACTION", defaultValue = "0",
                description = "Sent twice, the copy up to 5s (event time) later.")
        double duplicate;

        @Option(names = "--late", paramLabel = "FRACTION", defaultValue = "0",
                description = "Held back by --late-by, so the job sees them late.")
        double late;

        @Option(names = "--late-by", paramLabel = "DURATION", defaultValue = "2m", converter = DurationConverter.class,
                description = "How far late readings are held back; more than the job's B (default: 2m).")
        Duration lateBy;

        @Option(names = "--jitter", paramLabel = "FRACTION", defaultValue = "0",
                description = "Held back by up to --jitter-by: out of order, but on time.")
        double jitter;

        @Option(names = "--jitter-by", paramLabel = "DURATION", defaultValue = "20s", converter = DurationConverter.class,
                description = "Longest jitter; less than the job's B (default: 20s).")
        Duration jitterBy;
    }

    static final class SinkOptions {
        @Option(names = "--sink", paramLabel = "file|stdout|kinesis", defaultValue = "stdout",
                description = "Where readings go (default: ${DEFAULT-VALUE}).")
        String sink;

        @Option(names = "--output", paramLabel = "FILE", description = "--sink file: JSON Lines file (replaced).")
        Path output;

        @Option(names = "--stream", paramLabel = "NAME|ARN", description = "--sink kinesis: the stream.")
        String stream;

        @Option(names = "--region", paramLabel = "REGION", defaultValue = "${env:AWS_REGION}",
                description = "--sink kinesis: the stream's region (default: $AWS_REGION).")
        String region;

        @Option(names = "--endpoint", paramLabel = "URL",
                description = "--sink kinesis: endpoint override for a local stand-in, e.g. http://127.0.0.1:4568.")
        URI endpoint;

        @Option(names = "--batch-size", paramLabel = "N", defaultValue = "500",
                description = "--sink kinesis: records per PutRecords request, at most 500 (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "8",
                description = "--sink kinesis: attempts per request (throttling, 5xx) and per failed entry, with "
                        + "backoff (default: ${DEFAULT-VALUE}).")
        int maxAttempts;
    }

    public static void main(String[] args) {
        System.exit(execute(System.out, System.err, args));
    }

    /** Runs and returns the exit status (0 done, 1 failed, 2 bad usage). */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        SimulatorCli command = new SimulatorCli();
        command.stdout = out;
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler((e, ignored) -> {
            e.getCommandLine().getErr().println("simulate: " + e.getMessage());
            e.getCommandLine().getErr().println("Try 'simulate --help'.");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                commandLine.getErr().println("simulate: " + e.getMessage());
                return 2;
            }
            commandLine.getErr().println("simulate: failed: " + e);
            return 1;
        });
        return cli.execute(args);
    }

    private PrintStream stdout = System.out;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        boolean generated = switch (what.scenario) {
            case "reference" -> false;
            case "generated" -> true;
            default -> throw usage("--scenario must be reference or generated (was '" + what.scenario + "')");
        };
        ContractJson.TimeFormat format = switch (what.format) {
            case "simulator" -> ContractJson.TimeFormat.EPOCH_MILLIS;
            case "iot-rule" -> ContractJson.TimeFormat.IOT_RULE;
            default -> throw usage("--format must be simulator or iot-rule (was '" + what.format + "')");
        };
        if (!List.of("file", "stdout", "kinesis").contains(sink.sink)) {
            throw usage("--sink must be file, stdout or kinesis (was '" + sink.sink + "')");
        }
        if (sink.sink.equals("kinesis")) {
            if (sink.stream == null || sink.stream.isBlank()) {
                throw usage("--sink kinesis needs --stream NAME|ARN");
            }
            if (sink.region == null || sink.region.isBlank()) {
                throw usage("--sink kinesis needs --region (or AWS_REGION)");
            }
            if (sink.endpoint != null && !List.of("http", "https").contains(String.valueOf(sink.endpoint.getScheme()))) {
                throw usage("--endpoint must be an http(s) URL, e.g. http://127.0.0.1:4568 (was " + sink.endpoint + ")");
            }
            new KinesisSink.Retry(sink.maxAttempts, Duration.ofMillis(100), Duration.ofSeconds(5));
            if (sink.batchSize < 1 || sink.batchSize > KinesisSink.MAX_RECORDS) {
                throw usage("--batch-size must be between 1 and " + KinesisSink.MAX_RECORDS);
            }
        } else if (sink.stream != null || sink.endpoint != null) {
            throw usage("--stream and --endpoint go with --sink kinesis");
        }
        if (sink.sink.equals("file") && sink.output == null) {
            throw usage("--sink file needs --output FILE");
        }
        if (!sink.sink.equals("file") && sink.output != null) {
            throw usage("--output goes with --sink file");
        }
        double speed = speed(time.speed, sink.sink.equals("file"));
        if (time.interval.toMillis() < 1) {
            throw usage("--interval must be at least 1ms");
        }
        if (time.rounds != null && time.duration != null) {
            throw usage("give --rounds or --duration, not both");
        }
        if (time.rounds != null && time.rounds < 1) {
            throw usage("--rounds must be at least 1");
        }
        if (time.duration != null && time.duration.toMillis() < 1) {
            throw usage("--duration must be positive");
        }
        long seed = what.seed != null ? what.seed : ThreadLocalRandom.current().nextLong() >>> 1;
        long interval = time.interval.toMillis();

        ReferenceScenario reference = null;
        GeneratedScenario.Settings settings = generated ? generatedSettings() : null;
        int rounds;
        if (generated && settings.branching() != null && time.rounds == null && time.duration == null) {
            // Until the fires are done: their spread does not depend on where the run starts.
            if (settings.igniteWithin() == null) {
                settings = withIgniteWithin(settings, Duration.ZERO);
            }
            rounds = GeneratedScenario.roundsUntilDone(settings, seed, interval);
        } else if (generated) {
            Duration span = time.duration != null ? time.duration : Duration.ofHours(1);
            rounds = time.rounds != null ? time.rounds : (int) Math.min(Integer.MAX_VALUE, ceilDiv(span.toMillis(), interval));
        } else {
            reference = loadReference(0, interval);
            rounds = time.rounds != null ? time.rounds
                    : time.duration != null ? (int) Math.min(Integer.MAX_VALUE, ceilDiv(time.duration.toMillis(), interval))
                    : reference.batches();
        }
        Duration span = time.interval.multipliedBy(rounds);
        Instant now = Instant.now();
        long start;
        if (time.start != null) {
            start = time.start.toEpochMilli();
            Duration ahead = SimulatedClock.furthestAhead(start, span, speed, now);
            if (ahead.compareTo(time.maxClockSkew) > 0) {
                err.printf("simulate: warning: with --start %s readings get up to %s ahead of the wall clock; the job "
                                + "dead-letters readings more than --max-clock-skew (%s) ahead%n", time.start,
                        DurationConverter.format(Duration.ofSeconds(ahead.toSeconds())),
                        DurationConverter.format(time.maxClockSkew));
            }
        } else {
            start = SimulatedClock.placedStart(now, span, speed);
        }

        Scenario scenario;
        if (generated) {
            scenario = GeneratedScenario.create(settings, seed, start, span.toMillis());
        } else {
            scenario = loadReference(start, interval);
        }
        Faults faultSettings = new Faults(faults.drop, faults.malformed, faults.duplicate, faults.late, faults.lateBy,
                faults.jitter, faults.jitterBy);
        Simulation.Config config = new Simulation.Config(start, time.interval, rounds, speed, format,
                time.outOfOrderness, what.quiet ? Duration.ZERO : time.progressEvery);
        if (what.truth != null) {
            writable(what.truth, "--truth");
        }
        KinesisClient kinesis = null;
        if (sink.sink.equals("kinesis")) {
            kinesis = KinesisClients.client(sink.region, sink.endpoint, sink.maxAttempts);
        }
        try (KinesisClient closeLater = kinesis; ReadingSink readings = openSink(kinesis)) {
            Simulation simulation = new Simulation(scenario, config, faultSettings, seed, fire.threshold, readings, err);
            SimulationStats stats = runUntilDoneOrInterrupted(simulation);
            ObjectNode summary = JSON.createObjectNode();
            summary.put("scenario", scenario.name());
            summary.put("seed", seed);
            summary.put("sink", readings.describe());
            summary.setAll(stats.toJson(JSON));
            if (readings instanceof KinesisSink k) {
                summary.put("putRecordsRequests", k.requests());
                summary.put("recordsResent", k.resentRecords());
            }
            if (what.truth != null) {
                ObjectNode extra = JSON.createObjectNode();
                extra.put("sink", readings.describe());
                simulation.truth().write(what.truth, simulation.describe(extra));
                summary.put("truth", what.truth.toString());
            }
            err.println("simulate: done " + JSON.writeValueAsString(summary));
            err.flush();
        }
        return 0;
    }

    /** Ctrl-C stops the run between records; the file is flushed, the truth and summary still written. */
    private static SimulationStats runUntilDoneOrInterrupted(Simulation simulation) throws IOException {
        CountDownLatch done = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread hook = new Thread(() -> {
            stop.set(true);
            try {
                done.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "simulator-shutdown");
        boolean hooked = addShutdownHook(hook);
        try {
            return simulation.run(stop::get);
        } finally {
            done.countDown();
            if (hooked && !stop.get()) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
    }

    private static boolean addShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            return true;
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
    }

    private ReadingSink openSink(KinesisClient kinesis) throws IOException, InterruptedException {
        if (kinesis != null) {
            KinesisClients.awaitWritable(sink.stream, sink.region, sink.endpoint, Duration.ofSeconds(60));
            return new KinesisSink(kinesis::putRecords, sink.stream, sink.batchSize,
                    new KinesisSink.Retry(sink.maxAttempts, Duration.ofMillis(100), Duration.ofSeconds(5)),
                    d -> Thread.sleep(d.toMillis()));
        }
        if (sink.sink.equals("file")) {
            writable(sink.output, "--output");
            return JsonLinesSink.file(sink.output);
        }
        return JsonLinesSink.stdout(stdout);
    }

    private GeneratedScenario.Settings generatedSettings() {
        if (!NETWORK_PREFIX.matcher(mesh.networkPrefix).matches()) {
            throw usage("--network-prefix must be letters, digits, '.', '_' or '-' (was '" + mesh.networkPrefix + "')");
        }
        double[] centre = latLon(mesh.center, "--center");
        if (fire.burnTime.toMillis() < 1) {
            throw usage("--burn-time must be positive");
        }
        List<Ignition> ignitions = new ArrayList<>();
        for (String spec : fire.ignite) {
            ignitions.add(Ignition.parse(spec));
        }
        int randomFires = fire.fires != null ? fire.fires : ignitions.isEmpty() ? 1 : 0;
        Mesh.Layout layout = new Mesh.Layout(mesh.sensors, mesh.networks, centre[0], centre[1],
                mesh.areaKm == null ? Double.NaN : mesh.areaKm * 1000, mesh.radioRange, mesh.networkPrefix);
        FireSpread.Params spread = new FireSpread.Params(fire.spreadRate, fire.windDir, fire.windSpeed,
                fire.burnTime.toMillis());
        HeatModel.Climate climate = new HeatModel.Climate(fire.ambientMean, fire.ambientSwing, fire.noise);
        FireSpread.Branching branching = switch (fire.spreadModel) {
            case "wind" -> null;
            case "branching" -> branching();
            default -> throw usage("--spread-model must be wind or branching (was '" + fire.spreadModel + "')");
        };
        if (branching == null && fire.fireSensors != 0) {
            throw usage("--fire-sensors goes with --spread-model branching");
        }
        return new GeneratedScenario.Settings(layout, spread, climate, fire.threshold, randomFires, ignitions,
                fire.igniteWithin, branching);
    }

    private FireSpread.Branching branching() {
        String[] branches = fire.branches.split("-", -1);
        String[] delays = fire.hopDelay.split("-", -1);
        if (branches.length != 2 || delays.length != 2) {
            throw usage("--branches and --hop-delay are MIN-MAX, e.g. --branches 1-4 --hop-delay 10s-4m");
        }
        try {
            return new FireSpread.Branching(Integer.parseInt(branches[0].trim()), Integer.parseInt(branches[1].trim()),
                    DurationConverter.parse(delays[0].trim()).toMillis(), DurationConverter.parse(delays[1].trim()).toMillis(),
                    fire.fireSensors);
        } catch (NumberFormatException e) {
            throw usage("--branches must be MIN-MAX whole numbers, e.g. 1-4 (was '" + fire.branches + "')");
        }
    }

    private static GeneratedScenario.Settings withIgniteWithin(GeneratedScenario.Settings s, Duration within) {
        return new GeneratedScenario.Settings(s.layout(), s.spread(), s.climate(), s.threshold(), s.randomFires(),
                s.ignitions(), within, s.branching());
    }

    private ReferenceScenario loadReference(long start, long interval) throws IOException {
        if (what.referenceCsv == null) {
            return ReferenceScenario.builtIn(start, interval);
        }
        if (!Files.isRegularFile(what.referenceCsv)) {
            throw usage("--reference-csv: no file at " + what.referenceCsv);
        }
        return ReferenceScenario.fromFile(what.referenceCsv, start, interval);
    }

    static double speed(String value, boolean file) {
        if (value == null) {
            return file ? SimulatedClock.AS_FAST_AS_POSSIBLE : 1.0;
        }
        if (value.trim().equalsIgnoreCase("max")) {
            return SimulatedClock.AS_FAST_AS_POSSIBLE;
        }
        try {
            double speed = Double.parseDouble(value.trim());
            if (speed > 0 && Double.isFinite(speed)) {
                return speed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--speed must be a positive number or max (was '" + value + "')");
    }

    static double[] latLon(String value, String option) {
        String[] parts = value.split(",");
        try {
            if (parts.length == 2) {
                return new double[] {Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim())};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be LAT,LON in degrees, e.g. -33.70,150.30 (was '" + value + "')");
    }

    private void writable(Path file, String option) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw usage(option + ": no such directory " + parent);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static long ceilDiv(long a, long b) {
        return Math.max(1, (a + b - 1) / b);
    }
}
