package org.bushfire.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.bushfire.cli.DurationConverter;
import org.bushfire.elasticsearch.ElasticsearchSettings;
import org.bushfire.elasticsearch.IndexTemplates;
import org.bushfire.heatmap.HeatMapServer;
import org.bushfire.simulator.KinesisClients;
import org.bushfire.simulator.KinesisSink;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code bin/bushfire demo}: the whole path on one machine. Starts the local stand-ins it needs, creates a stream,
 * an alert topic with a queue subscribed to it and the Elasticsearch index templates, starts the job, runs the
 * simulator into the stream, and prints every alert as the topic delivers it. Ends after {@code --duration} or on
 * Ctrl-C; either way it stops every process it started, by pid, removes what it created on services it did not
 * start, and prints {@code SUMMARY {json}} as its last line.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The whole path on this machine: local Kinesis, SNS/SQS and Elasticsearch, the alerting job on a "
                + "local Flink MiniCluster, the simulator (the reference scenario, then generated networks with a few "
                + "fires); prints each alert as it arrives from the SNS topic.",
            "Ends after --duration, or on Ctrl-C; stops everything it started. Last line: SUMMARY {json}."})
public final class DemoCli implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long the sensors report, once the job runs (default: until Ctrl-C). Give 2m30s or more "
                    + "to see generated fires alert.")
    Duration duration;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "7",
            description = "Seed of the generated networks and fires (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--sensors", paramLabel = "N", defaultValue = "120",
            description = "Sensors of the generated networks (default: ${DEFAULT-VALUE}).")
    int sensors;

    @Option(names = "--networks", paramLabel = "N", defaultValue = "2",
            description = "Generated networks (default: ${DEFAULT-VALUE}).")
    int networks;

    @Option(names = "--web-ui-port", paramLabel = "PORT", defaultValue = "8081",
            description = "Flink web UI on 127.0.0.1; a free port is taken when this one is busy (default: "
                    + "${DEFAULT-VALUE}).")
    int webUiPort;

    private final PrintStream out;
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final Deque<Cleanup> cleanups = new ArrayDeque<>();
    private final ObjectNode summary = JSON.createObjectNode();

    DemoCli(PrintStream out) {
        this.out = out;
    }

    private interface Cleanup {
        void run() throws Exception;
    }

    public static void main(String[] args) {
        DemoCli demo = new DemoCli(System.out);
        CountDownLatch finished = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            interrupted.set(true);
            demo.stopRequested.set(true);
            try {
                // The main thread stops everything in order and prints the summary; the JVM waits for it here.
                finished.await(150, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo-ctrl-c");
        Runtime.getRuntime().addShutdownHook(hook);
        int exit;
        try {
            exit = execute(demo, args);
        } finally {
            finished.countDown();
        }
        if (!interrupted.get()) {
            System.exit(exit);
        }
    }

    static int execute(DemoCli demo, String... args) {
        CommandLine cli = new CommandLine(demo);
        cli.setParameterExceptionHandler((e, ignored) -> {
            e.getCommandLine().getErr().println("demo: " + e.getMessage());
            e.getCommandLine().getErr().println("Try 'bin/bushfire demo --help'.");
            return 2;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        if (duration != null && duration.toSeconds() < 10) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--duration must be at least 10s");
        }
        if (sensors < 10 || networks < 1 || networks > sensors / 10) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--sensors must be at least 10 per network (--networks)");
        }
        long started = System.nanoTime();
        int exit = 0;
        try {
            runDemo();
            summary.put("stoppedBy", stopRequested.get() ? "interrupt" : "duration");
        } catch (Exception e) {
            exit = 1;
            summary.put("error", e.getMessage() == null ? e.toString() : e.getMessage());
            out.println("demo: FAILED: " + (e.getMessage() == null ? e : e.getMessage()));
        } finally {
            cleanUp();
            summary.put("seconds", Math.round((System.nanoTime() - started) / 1e9));
            out.println("SUMMARY " + summary);
            out.flush();
        }
        return exit;
    }

    private void runDemo() throws Exception {
        Path home = Path.of(System.getProperty("bushfire.home", ".")).toAbsolutePath().normalize();
        // The time for people, the pid so that two demos started in the same second get streams of their own.
        String id = "demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + "-" + ProcessHandle.current().pid();
        Path runDir = Files.createDirectories(home.resolve("target").resolve("demo").resolve(id));
        summary.put("runDir", home.relativize(runDir).toString());
        out.println("demo: " + id + " (files in " + home.relativize(runDir) + ")");

        // 1. Local services: start what is not running; remember what we started, to stop exactly that.
        ServicesScript services = new ServicesScript(home);
        List<String> toStart = new ArrayList<>();
        for (String service : ServicesScript.ALL) {
            if (!services.running(service)) {
                toStart.add(service);
            }
        }
        ArrayNode started = summary.putArray("servicesStarted");
        if (!toStart.isEmpty()) {
            out.println("demo: starting local services: " + String.join(", ", toStart) + " (first time: installs them)");
            cleanups.push(() -> services.stop(toStart, out));
            services.start(toStart, out);
            toStart.forEach(started::add);
        } else {
            out.println("demo: local services already running: using them, leaving them running");
        }
        boolean keepServices = toStart.isEmpty();
        checkStop();

        Map<String, String> env = services.env();
        Map<String, String> childEnv = credentials(env);
        String region = System.getenv().getOrDefault("AWS_REGION", env.getOrDefault("AWS_REGION", "us-east-1"));
        childEnv.put("AWS_REGION", region);
        URI kinesisEndpoint = URI.create(env.get("BUSHFIRE_KINESIS_ENDPOINT"));
        URI snsEndpoint = URI.create(env.get("BUSHFIRE_SNS_ENDPOINT"));
        String esUrl = env.get("BUSHFIRE_ES_URL");

        // 2. The stream, the topic with a queue subscribed to it, the index templates.
        String stream = "bushfire-" + id;
        String readingsIndex = "sensor-readings-" + id;
        String alertsIndex = "bushfire-alerts-" + id;
        KinesisClient kinesis = KinesisClients.client(region, kinesisEndpoint, 8);
        cleanups.push(kinesis::close);
        SnsClient sns = SnsClient.builder().region(Region.of(region)).endpointOverride(snsEndpoint)
                .credentialsProvider(DefaultCredentialsProvider.builder().build()).build();
        cleanups.push(sns::close);
        SqsClient sqs = SqsClient.builder().region(Region.of(region)).endpointOverride(snsEndpoint)
                .credentialsProvider(DefaultCredentialsProvider.builder().build()).build();
        cleanups.push(sqs::close);

        kinesis.createStream(b -> b.streamName(stream).shardCount(1));
        if (keepServices) {
            cleanups.push(() -> kinesis.deleteStream(b -> b.streamName(stream)));
        }
        awaitActive(kinesis, stream);
        String topicArn = sns.createTopic(b -> b.name(stream + "-alerts")).topicArn();
        String queueUrl = sqs.createQueue(b -> b.queueName(stream + "-alerts")).queueUrl();
        if (keepServices) {
            cleanups.push(() -> sns.deleteTopic(b -> b.topicArn(topicArn)));
            cleanups.push(() -> sqs.deleteQueue(b -> b.queueUrl(queueUrl)));
        }
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn));
        ElasticsearchSettings es = ElasticsearchSettings.defaults().withHosts(List.of(esUrl))
                .withReadingsIndex(readingsIndex).withAlertsIndex(alertsIndex).validate();
        IndexTemplates.install(es);
        summary.put("stream", stream).put("topicArn", topicArn).put("queueUrl", queueUrl)
                .put("readingsIndex", readingsIndex).put("alertsIndex", alertsIndex);
        out.printf("demo: created Kinesis stream %s, SNS topic %s with SQS queue %s subscribed, index templates "
                + "%s and %s%n", stream, topicArn, queueArn, readingsIndex, alertsIndex);
        checkStop();

        // 3. The two jobs, as bin/bushfire run (alerts to SNS) and bin/bushfire index (readings and alerts to
        // Elasticsearch), each in a process of its own: Elasticsearch can hold up only the indexing job.
        int port = freePort(webUiPort);
        Path deadLetters = runDir.resolve("dead-letters.jsonl");
        List<String> streamArgs = List.of("--stream", stream, "--region", region,
                "--kinesis-endpoint", kinesisEndpoint.toString(), "--initial-position", "TRIM_HORIZON",
                "--checkpoint-interval", "10s");
        List<String> runArgs = new ArrayList<>(streamArgs);
        runArgs.addAll(List.of("--sns-topic-arn", topicArn, "--sns-endpoint", snsEndpoint.toString(),
                "--job-name", "bushfire " + id, "--dead-letters-out", deadLetters.toString(),
                // simulated data; incidents on the demo's clock: an update at least every 30 s, out after a quiet minute
                "--cap-status", "Exercise", "--cap-out", runDir.resolve("cap").toString(),
                "--update-every", DemoSimulation.UPDATE_EVERY, "--quiet-after", DemoSimulation.QUIET_AFTER));
        List<String> indexArgs = new ArrayList<>(streamArgs);
        indexArgs.addAll(List.of("--es-hosts", esUrl, "--es-readings-index", readingsIndex, "--es-alerts-index", alertsIndex,
                "--job-name", "bushfire indexing " + id,
                "--update-every", DemoSimulation.UPDATE_EVERY, "--quiet-after", DemoSimulation.QUIET_AFTER));
        out.println("demo: starting the alerting job: bin/bushfire run " + String.join(" ", runArgs) + " --web-ui-port " + port);
        JobProcess job = JobProcess.start(home, "run", runArgs, port, runDir.resolve("job.log"), childEnv);
        summary.put("jobPid", job.pid()).put("flinkWebUi", job.webUi().toString());
        cleanups.push(() -> {
            out.println("demo: stopping the alerting job (pid " + job.pid() + ")");
            job.stop();
        });
        int indexPort = freePort(port + 1);
        out.println("demo: starting the indexing job: bin/bushfire index " + String.join(" ", indexArgs)
                + " --web-ui-port " + indexPort);
        JobProcess indexJob = JobProcess.start(home, "index", indexArgs, indexPort, runDir.resolve("index-job.log"), childEnv);
        summary.put("indexJobPid", indexJob.pid()).put("indexFlinkWebUi", indexJob.webUi().toString());
        cleanups.push(() -> {
            out.println("demo: stopping the indexing job (pid " + indexJob.pid() + ")");
            indexJob.stop();
        });
        job.awaitRunning(Duration.ofMinutes(3), stopRequested::get);
        indexJob.awaitRunning(Duration.ofMinutes(3), stopRequested::get);
        checkStop();

        // 4. Alerts, as the topic delivers them.
        DemoSimulation simulation = new DemoSimulation(sensors, networks, seed, Instant.now());
        AlertInbox inbox = new AlertInbox(sqs, queueUrl, out, simulation.referenceAlertId());
        Thread receiver = new Thread(inbox, "alert-inbox");
        receiver.setDaemon(true);
        receiver.start();
        cleanups.push(() -> {
            inbox.stop();
            receiver.join(5000);
        });

        // The live heat map page over this run's indices, on 127.0.0.1 (the dashboards' local stand-in for Kibana).
        HeatMapServer heatMap = startHeatMap(es.resolved());
        summary.put("heatMap", heatMap.url());
        cleanups.push(heatMap::close);

        out.println();
        out.println("demo: the job is running. Where to look:");
        out.println("  Flink web UI          " + job.webUi() + " (alerting job), " + indexJob.webUi() + " (indexing job)");
        out.println("  readings in ES        " + esUrl + "/" + readingsIndex + "/_search?q=hot:true&sort=eventTime:desc");
        out.println("  alerts in ES          " + esUrl + "/" + alertsIndex + "/_search");
        out.println("  heat map              " + heatMap.url() + "  (node x time, sensor map with alert chains; live)");
        out.println("  job log, dead letters " + home.relativize(runDir) + "/");
        out.println("  incidents             printed below as they arrive from the SNS topic (through the SQS queue):");
        out.println("                        each fire's alert, its updates as it grows, its all-clear;");
        out.println("                        their CAP documents in " + home.relativize(runDir.resolve("cap")) + "/");
        out.println(duration == null ? "demo: Ctrl-C ends the demo." : "demo: ends in " + DurationConverter.format(duration)
                + " (or on Ctrl-C).");
        out.println();

        // 5. The simulator, into the stream.
        Instant deadline = duration == null ? null : Instant.now().plus(duration);
        AtomicReference<DemoSimulation.Result> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        KinesisSink sink = new KinesisSink(kinesis::putRecords, stream, KinesisSink.MAX_RECORDS,
                KinesisSink.Retry.DEFAULT, d -> Thread.sleep(d.toMillis()));
        Thread simulator = new Thread(() -> {
            try {
                result.set(simulation.run(sink, () -> stopRequested.get() || !job.alive()
                        || deadline != null && Instant.now().isAfter(deadline), deadline, runDir, out));
                sink.flush();
            } catch (Exception e) {
                failure.set(e);
            }
        }, "simulator");
        simulator.start();
        while (simulator.isAlive()) {
            simulator.join(500);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        if (!job.alive()) {
            throw new IllegalStateException("the job stopped:\n" + job.tail(30));
        }

        // 6. Let the last readings be indexed and the last alerts arrive, then count.
        DemoSimulation.Result totals = result.get();
        long sent = totals.sum(s -> s.sent);
        long distinct = totals.sum(s -> s.distinctReadings());
        out.println("demo: sensors stopped; waiting for the last readings to be indexed");
        long indexed = awaitIndexed(esUrl, readingsIndex, distinct, Duration.ofSeconds(stopRequested.get() ? 10 : 45));
        Thread.sleep(stopRequested.get() ? 1000 : 5000);  // alerts already on their way through SNS

        List<AlertInbox.Delivered> alerts = inbox.delivered();
        summary.put("readingsSent", sent);
        summary.put("readingsIndexed", indexed);
        summary.put("alertsDelivered", alerts.size());
        summary.put("referenceAlertDelivered", alerts.stream()
                .anyMatch(a -> a.alertId().equals(simulation.referenceAlertId())));
        summary.put("generatedAlertsDelivered", alerts.stream()
                .filter(a -> !a.alertId().equals(simulation.referenceAlertId())).count());
        summary.put("readingsMalformed", totals.sum(s -> s.malformed));
        summary.put("readingsDuplicated", totals.sum(s -> s.duplicated));
        summary.put("distinctReadings", distinct);
        summary.put("deadLetters", Files.exists(deadLetters)
                ? Files.readAllLines(deadLetters, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).count() : 0);
        summary.put("firesStarted", totals.fires);
        summary.put("snsMessages", inbox.messages());
        summary.put("updatesDelivered", inbox.updatesDelivered());
        summary.put("allClearsDelivered", inbox.allClearsDelivered());
        summary.put("capDocuments", capDocuments(runDir.resolve("cap")));
        ArrayNode list = summary.putArray("alerts");
        for (AlertInbox.Delivered a : alerts) {
            ObjectNode o = list.addObject().put("alertId", a.alertId()).put("network", a.network())
                    .put("fireRoot", a.fireRoot());
            a.chain().forEach(o.putArray("chain")::add);
        }
        out.printf("demo: %d readings sent, %d indexed (%d malformed, %d duplicates); %d alert%s delivered through "
                        + "SNS%n", sent, indexed, totals.sum(s -> s.malformed), totals.sum(s -> s.duplicated),
                alerts.size(), alerts.size() == 1 ? "" : "s");
    }

    private static long capDocuments(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (java.util.stream.Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".xml")).count();
        }
    }

    private void checkStop() {
        if (stopRequested.get()) {
            throw new IllegalStateException("interrupted");
        }
    }

    /** Throwaway credentials of the local services for this JVM and the job's, unless the shell has its own. */
    private static Map<String, String> credentials(Map<String, String> env) {
        Map<String, String> child = new LinkedHashMap<>();
        if (System.getenv("AWS_ACCESS_KEY_ID") == null && System.getProperty("aws.accessKeyId") == null) {
            String key = env.getOrDefault("AWS_ACCESS_KEY_ID", "local");
            String secret = env.getOrDefault("AWS_SECRET_ACCESS_KEY", "local");
            System.setProperty("aws.accessKeyId", key);
            System.setProperty("aws.secretAccessKey", secret);
            child.put("AWS_ACCESS_KEY_ID", key);
            child.put("AWS_SECRET_ACCESS_KEY", secret);
        }
        return child;
    }

    private static void awaitActive(KinesisClient kinesis, String stream) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (kinesis.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamStatus()
                != StreamStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("stream " + stream + " did not become active");
            }
            Thread.sleep(200);
        }
    }

    /**
     * On 8090 when it is free, else on any free port. Binding straight away, rather than asking which port is free
     * and binding later, is what lets two demos (or a demo and a dashboard) start side by side.
     */
    private static HeatMapServer startHeatMap(ElasticsearchSettings es) throws IOException {
        try {
            return HeatMapServer.start(es, 8090, 50.0, 30, 5000);
        } catch (IOException busy) {
            return HeatMapServer.start(es, 0, 50.0, 30, 5000);
        }
    }

    /** Free ports are looked for here, below the ranges systems give outgoing connections (Linux from 32768). */
    private static final int FREE_PORTS_FROM = 20_000;
    private static final int FREE_PORTS_TO = 32_767;

    /**
     * The preferred port when it is free (0: no preference), else a free one between 20000 and 32767. A job binds
     * it seconds later, in its own process; a port the system picked (bind to 0) lies in the range it also hands
     * to outgoing connections, and one of those can take it meanwhile — a demo test lost its web UI port 35981 so
     * ("Could not start rest endpoint"). Ports outside that range are only ever taken on purpose.
     */
    private static int freePort(int preferred) throws IOException {
        if (preferred > 0 && bindable(preferred)) {
            return preferred;
        }
        int band = FREE_PORTS_TO - FREE_PORTS_FROM + 1;
        int start = java.util.concurrent.ThreadLocalRandom.current().nextInt(band);
        for (int i = 0; i < band; i++) {
            int port = FREE_PORTS_FROM + (start + i) % band;
            if (bindable(port)) {
                return port;
            }
        }
        throw new IOException("no free port on 127.0.0.1 from " + FREE_PORTS_FROM + " to " + FREE_PORTS_TO);
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException busy) {
            return false;
        }
    }

    /** Documents in the readings index once it holds {@code expected}, or when the count stops moving. */
    private long awaitIndexed(String esUrl, String index, long expected, Duration patience) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + patience.toNanos();
        long count = -1;
        long last = -2;
        int unchanged = 0;
        while (System.nanoTime() < deadline) {
            try {
                http.send(HttpRequest.newBuilder(URI.create(esUrl + "/" + index + "/_refresh"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(esUrl + "/" + index
                        + "/_count")).GET().build(), HttpResponse.BodyHandlers.ofString());
                count = JSON.readTree(response.body()).path("count").asLong(-1);
            } catch (IOException e) {
                count = -1;
            }
            if (count >= expected) {
                return count;
            }
            unchanged = count == last ? unchanged + 1 : 0;
            if (unchanged >= 10) {
                return count;
            }
            last = count;
            Thread.sleep(1000);
        }
        return count;
    }

    /** In reverse order of creation; a failing step does not keep the others from running. */
    private void cleanUp() {
        while (!cleanups.isEmpty()) {
            try {
                cleanups.pop().run();
            } catch (Exception e) {
                out.println("demo: cleaning up: " + e.getMessage());
            }
        }
    }
}
