package org.bushfire.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.bushfire.domain.MalformedReading;
import org.bushfire.domain.Reading;
import org.bushfire.domain.ReadingParser;
import org.bushfire.job.AlertingConfig;
import org.bushfire.job.AlertingJob;
import org.bushfire.job.AlertingSinks;
import org.bushfire.job.JobMetrics;
import org.bushfire.kinesis.KinesisReadingsSource;
import org.bushfire.reliability.FireReadings.Fire;
import org.bushfire.sns.SnsAlertSink;
import org.bushfire.sns.SnsSettings;
import org.bushfire.testing.LocalAws;
import org.bushfire.testing.LocalServices;
import org.bushfire.testing.LocalServices.Service;
import org.bushfire.testing.ThrowawayCredentials;
import org.bushfire.testing.QuietMachine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;

/**
 * What a mesh gateway uploads when it reconnects after an outage, on a real stream: the reference fire spread
 * over the last minutes, in time order, IoT-rule format ({@code eventTime} with {@code +1100}), partition key
 * {@code network/node}, and a last cold round stamped now. Every reading is on time by its own shard — none is
 * more than B behind a newer reading of the shard it was written to — so every case must raise its alert
 * through SNS and count nothing late, whatever the number of shards, the job's parallelism, the idle timeout,
 * the quiet spells, and however the burst was split into {@code PutRecords} calls.
 *
 * <p>Issue 10's table as a test: before per-shard watermarks and {@code ShardIdleness}, four or eight shards,
 * or an idle timeout shorter than the quiet spell, lost the alert (the readings of the shards read second were
 * late at the source or at the onsets).
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
@ResourceLock(QuietMachine.LOCK)
class EventTimeOnRealStreamIntegrationTest {
    @RegisterExtension
    @Order(1)
    static final LocalServices SERVICES = LocalServices.of(Service.KINESIS, Service.SNS);

    static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    static final Duration DEFAULT_IDLE = AlertingConfig.defaults().idleTimeout();
    /** The connector discovers new shards every 10 s: after this the reader has the children of a reshard. */
    static final Duration DISCOVERY = Duration.ofSeconds(12);
    private static final DateTimeFormatter IOT_RULE_PLUS_11 =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.ofHours(11));

    KinesisClient kinesis;
    String stream;
    AlertInbox inbox;
    JobClient job;

    @RegisterExtension
    static final ThrowawayCredentials CREDENTIALS = new ThrowawayCredentials();

    @AfterEach
    void stop() throws Exception {
        if (job != null) {
            job.cancel().get();
        }
        if (inbox != null) {
            inbox.close();
        }
        if (kinesis != null) {
            if (stream != null) {
                kinesis.deleteStream(b -> b.streamName(stream)); // kinesis-local holds 50 shards in all
            }
            kinesis.close();
        }
    }

    /**
     * One row of the table. {@code bursts} fires, each in its own network, each a backlog spanning {@code span}
     * and put {@code quiet} after the previous one (the first {@code quiet} after the reader has its shards);
     * the last one ends with a cold round stamped now, each earlier one {@code span} before the next.
     */
    record Case(int shards, int parallelism, Duration idleTimeout, Duration span, Duration quiet, int bursts,
            boolean onePutRecordsCall) {
        @Override
        public String toString() {
            return shards + " shard(s), parallelism " + parallelism + ", idle " + idleTimeout.toSeconds() + " s, "
                    + bursts + " burst(s) of " + span.toMinutes() + " min, " + quiet.toSeconds() + " s quiet before, "
                    + (onePutRecordsCall ? "one PutRecords" : "a PutRecords per batch");
        }
    }

    static Stream<Case> table() {
        Duration two = Duration.ofSeconds(2);
        Duration six = Duration.ofMinutes(6);
        Duration quiet = Duration.ofSeconds(6); // longer than a 2 s idle timeout: every shard was silent that long
        return Stream.of(
                new Case(1, 2, DEFAULT_IDLE, six, quiet, 1, true),
                new Case(2, 2, two, six, quiet, 2, true),
                new Case(4, 2, DEFAULT_IDLE, six, Duration.ZERO, 1, true),
                new Case(4, 4, two, Duration.ofMinutes(2), quiet, 2, false),
                new Case(8, 2, two, six, quiet, 1, true),
                new Case(8, 4, Duration.ofSeconds(1), six, quiet, 2, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void aBacklogBurstRaisesItsAlertThroughSnsAndNothingIsLate(Case c) throws Exception {
        String run = "event-time-" + UUID.randomUUID().toString().substring(0, 8);
        kinesis = LocalAws.kinesisClient(Service.KINESIS.endpoint());
        LocalAws.createStream(kinesis, stream = run, c.shards());
        inbox = AlertInbox.standard(run);
        job = start(run, c.parallelism(), c.idleTimeout());
        awaitRunning(job);
        // The stream's shards exist before the job starts: the reader is given all of them at once, at start.
        Thread.sleep(c.quiet().toMillis());

        List<Fire> fires = new ArrayList<>();
        int readings = 0;
        Instant now = Instant.now();
        for (int b = 0; b < c.bursts(); b++) {
            if (b > 0) {
                Thread.sleep(c.quiet().toMillis());
            }
            // Each burst carries on where the previous one ended: written later, it is newer, as a gateway's is.
            Instant end = now.minus(c.span().multipliedBy(c.bursts() - 1 - b));
            Backlog burst = Backlog.reference(run + "-" + b, c.span(), end);
            putRecords(run, burst, c.onePutRecordsCall());
            fires.add(burst.fire);
            readings += burst.lines.size();
        }

        // An unread shard keeps the watermark back for one idle timeout after the burst, then the alert leaves.
        inbox.awaitFires(fires, c.idleTimeout().plusSeconds(60));
        inbox.pollFor(Duration.ofSeconds(1));
        assertThat(inbox.byFire().keySet()).containsExactlyInAnyOrderElementsOf(fires);
        assertThat(inbox.size()).as("one alert per fire").isEqualTo(fires.size());
        JobID id = job.getJobID();
        assertThat(total(id, JobMetrics.READINGS)).as("readings").isEqualTo(readings);
        assertThat(total(id, JobMetrics.LATE)).as("late at the source").isZero();
        assertThat(total(id, JobMetrics.LATE_HOT)).as("late at the onsets").isZero();
    }

    /**
     * The job is down for more than 20 minutes of event time while sensors keep writing: a busy network of five
     * sensors reporting every 5 s (at most five of the four shards' hash ranges carry its backlog, the others
     * far less), and two fires, one early and one late in the outage. Restored from its last checkpoint, the job
     * reads every shard's backlog at the speed the reader happens to reach it, and must alert both fires and
     * count nothing late.
     */
    @org.junit.jupiter.api.Test
    void afterTwentyMinutesDownTheRestoredJobCatchesUpOnAnUnevenBacklogAndAlertsEveryFire(
            @org.apache.flink.test.junit5.InjectMiniCluster org.apache.flink.runtime.minicluster.MiniCluster cluster,
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path checkpoints) throws Exception {
        String run = "catch-up-" + UUID.randomUUID().toString().substring(0, 8);
        kinesis = LocalAws.kinesisClient(Service.KINESIS.endpoint());
        LocalAws.createStream(kinesis, stream = run, 4);
        inbox = AlertInbox.standard(run);
        Instant now = Instant.now();
        Configuration conf = Recovery.restartsAndCheckpoints(Duration.ofSeconds(1));
        conf.set(org.apache.flink.configuration.CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(org.apache.flink.configuration.CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                org.apache.flink.configuration.ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        Duration idle = Duration.ofSeconds(2);

        job = start(run, 2, idle, conf);
        Backlog before = Backlog.reference(run + "-before", Duration.ofMinutes(6), now.minus(Duration.ofMinutes(24)));
        putRecords(run, before, true);
        inbox.awaitFires(List.of(before.fire()), Duration.ofSeconds(90));
        Recovery.checkpointNow(cluster, job.getJobID(), Duration.ofMinutes(2));
        job.cancel().get();
        job = null;

        List<Backlog> outage = List.of(
                Backlog.reference(run + "-early", Duration.ofMinutes(6), now.minus(Duration.ofMinutes(14))),
                Backlog.reference(run + "-late", Duration.ofMinutes(6), now.minus(Duration.ofMinutes(1))),
                Backlog.busy(run + "-busy", 5, Duration.ofSeconds(5), now.minus(Duration.ofMinutes(23)), now));
        Backlog written = Backlog.inTimeOrder(outage);
        for (int from = 0; from < written.lines().size(); from += 500) {
            putRecords(run, written.slice(from, Math.min(written.lines().size(), from + 500)), true);
        }

        conf.set(org.apache.flink.configuration.StateRecoveryOptions.SAVEPOINT_PATH, latestCheckpoint(checkpoints));
        job = start(run, 2, idle, conf);
        List<Fire> fires = List.of(outage.get(0).fire(), outage.get(1).fire());
        inbox.awaitFires(fires, Duration.ofSeconds(120));
        inbox.pollFor(Duration.ofSeconds(1));
        assertThat(inbox.byFire().keySet()).containsExactlyInAnyOrder(before.fire(), fires.get(0), fires.get(1));
        JobID id = job.getJobID();
        assertThat(total(id, JobMetrics.READINGS)).as("the restored job read the outage's backlog")
                .isEqualTo(written.lines().size());
        assertThat(total(id, JobMetrics.LATE)).as("late at the source").isZero();
        assertThat(total(id, JobMetrics.LATE_HOT)).as("late at the onsets").isZero();
    }

    /**
     * Resharding while the job runs: a fire on two shards, then the stream is split to four shards and a second
     * fire arrives (the parents' last readings and the children's first are read side by side), then merged back
     * to two and a third fire arrives. Every fire alerts; nothing is late.
     */
    @org.junit.jupiter.api.Test
    void aStreamSplitAndMergedWhileTheJobRunsLosesNoAlert() throws Exception {
        String run = "reshard-" + UUID.randomUUID().toString().substring(0, 8);
        kinesis = LocalAws.kinesisClient(Service.KINESIS.endpoint());
        LocalAws.createStream(kinesis, stream = run, 2);
        inbox = AlertInbox.standard(run);
        job = start(run, 2, Duration.ofSeconds(2));
        awaitRunning(job);

        List<Fire> fires = new ArrayList<>();
        int readings = 0;
        int[] shardCounts = {2, 4, 2};
        Instant now = Instant.now();
        Duration span = Duration.ofMinutes(6);
        for (int i = 0; i < shardCounts.length; i++) {
            if (i > 0) {
                int target = shardCounts[i];
                kinesis.updateShardCount(b -> b.streamName(run).targetShardCount(target)
                        .scalingType(software.amazon.awssdk.services.kinesis.model.ScalingType.UNIFORM_SCALING));
                awaitActive(run);
                Thread.sleep(DISCOVERY.toMillis()); // the reader is given the new shards
            }
            Backlog burst = Backlog.reference(run + "-" + i, span, now.minus(span.multipliedBy(shardCounts.length - 1 - i)));
            putRecords(run, burst, true);
            fires.add(burst.fire());
            readings += burst.lines().size();
            inbox.awaitFires(fires, Duration.ofSeconds(90));
        }
        inbox.pollFor(Duration.ofSeconds(1));
        assertThat(inbox.byFire().keySet()).containsExactlyInAnyOrderElementsOf(fires);
        assertThat(inbox.size()).isEqualTo(fires.size());
        JobID id = job.getJobID();
        assertThat(total(id, JobMetrics.READINGS)).isEqualTo(readings);
        assertThat(total(id, JobMetrics.LATE)).as("late at the source").isZero();
        assertThat(total(id, JobMetrics.LATE_HOT)).as("late at the onsets").isZero();
    }

    private void awaitActive(String stream) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Thread.sleep(200);
        while (kinesis.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamStatus()
                != software.amazon.awssdk.services.kinesis.model.StreamStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("stream " + stream + " did not finish resharding");
            }
            Thread.sleep(100);
        }
    }

    /** The newest retained checkpoint under {@code dir} (its chk-N folder with the highest N). */
    private static String latestCheckpoint(java.nio.file.Path dir) throws java.io.IOException {
        try (Stream<java.nio.file.Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().equals("_metadata"))
                    .map(java.nio.file.Path::getParent)
                    .max(java.util.Comparator.comparingInt(
                            (java.nio.file.Path p) -> Integer.parseInt(p.getFileName().toString().substring(4))))
                    .orElseThrow(() -> new AssertionError("no retained checkpoint in " + dir))
                    .toUri().toString();
        }
    }

    private JobClient start(String stream, int parallelism, Duration idleTimeout) throws Exception {
        return start(stream, parallelism, idleTimeout, new Configuration());
    }

    private JobClient start(String stream, int parallelism, Duration idleTimeout, Configuration conf) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        AlertingConfig config = AlertingConfig.defaults().withIdleTimeout(idleTimeout);
        SnsSettings sns = SnsSettings.of(inbox.topicArn, LocalAws.REGION).withEndpoint(Service.SNS.endpoint())
                .checkReachable();
        new AlertingJob(config, new KinesisReadingsSource(LocalAws.kinesis(stream)),
                AlertingSinks.incidentsTo(SnsAlertSink.incidentStreamSink(sns))).build(env);   // as run wires it
        return env.executeAsync("event time on a real stream: " + stream);
    }

    /**
     * The reference fire moved into {@code network} and stretched over {@code span} ending a minute before
     * {@code now}, followed by every sensor reporting cold at {@code now}. In time order; each reading is one
     * line in IoT-rule format.
     */
    record Backlog(String network, List<String> lines, List<String> partitionKeys, Fire fire) {
        static Backlog reference(String network, Duration span, Instant now) throws Exception {
            List<Reading> readings = new ArrayList<>();
            for (String line : Files.readAllLines(FireReadings.REFERENCE, StandardCharsets.UTF_8)) {
                readings.add(parse(line));
            }
            long first = readings.stream().mapToLong(r -> r.eventTimestamp).min().orElseThrow();
            long last = readings.stream().mapToLong(r -> r.eventTimestamp).max().orElseThrow();
            long start = now.minus(span).toEpochMilli();
            long end = now.minusSeconds(60).toEpochMilli();
            List<String> lines = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            long rootOnset = 0;
            for (Reading r : readings) {
                long t = start + (r.eventTimestamp - first) * (end - start) / (last - first);
                if (r.node.equals("1") && rootOnset == 0 && r.temperature >= AlertingConfig.defaults().threshold()) {
                    rootOnset = t;
                }
                lines.add(line(network, r.node, t, r.temperature, r.infectedBy));
                keys.add(network + "/" + r.node);
            }
            readings.stream().map(r -> r.node).distinct().forEach(node -> {
                lines.add(line(network, node, now.toEpochMilli(), 20.0, null));
                keys.add(network + "/" + node);
            });
            return new Backlog(network, lines, keys, new Fire(network, "1", rootOnset));
        }

        /** {@code sensors} of {@code network} reporting cold every {@code every} from {@code from} to {@code to}. */
        static Backlog busy(String network, int sensors, Duration every, Instant from, Instant to) {
            List<String> lines = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (long t = from.toEpochMilli(); t <= to.toEpochMilli(); t += every.toMillis()) {
                for (int node = 1; node <= sensors; node++) {
                    lines.add(line(network, String.valueOf(node), t, 20.0, null));
                    keys.add(network + "/" + node);
                }
            }
            return new Backlog(network, lines, keys, null);
        }

        /** Several backlogs as they were written: merged in event-time order (stable). */
        static Backlog inTimeOrder(List<Backlog> backlogs) throws Exception {
            record Line(long t, String line, String key) {}
            List<Line> all = new ArrayList<>();
            for (Backlog b : backlogs) {
                for (int i = 0; i < b.lines().size(); i++) {
                    all.add(new Line(parse(b.lines().get(i)).eventTimestamp, b.lines().get(i), b.partitionKeys().get(i)));
                }
            }
            all.sort(java.util.Comparator.comparingLong(Line::t));
            return new Backlog("outage", all.stream().map(Line::line).toList(), all.stream().map(Line::key).toList(), null);
        }

        Backlog slice(int from, int to) {
            return new Backlog(network, lines.subList(from, to), partitionKeys.subList(from, to), fire);
        }

        private static Reading parse(String line) throws MalformedReading {
            return ReadingParser.parse(line.getBytes(StandardCharsets.UTF_8));
        }

        private static String line(String network, String node, long t, double temperature, String infectedBy) {
            return "{\"network\":\"" + network + "\",\"node\":" + node + ",\"eventTime\":\""
                    + IOT_RULE_PLUS_11.format(Instant.ofEpochMilli(t)) + "\",\"temperature\":" + temperature
                    + (infectedBy == null ? "" : ",\"infectedBy\":" + infectedBy) + "}";
        }
    }

    /** The burst as one {@code PutRecords} call, or one call per batch of the fire (a node's readings stay in order). */
    private void putRecords(String stream, Backlog burst, boolean oneCall) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < burst.lines().size(); i++) {
            entries.add(PutRecordsRequestEntry.builder().partitionKey(burst.partitionKeys().get(i))
                    .data(SdkBytes.fromString(burst.lines().get(i), StandardCharsets.UTF_8)).build());
        }
        int perCall = oneCall ? entries.size() : 11;
        for (int from = 0; from < entries.size(); from += perCall) {
            List<PutRecordsRequestEntry> call = entries.subList(from, Math.min(entries.size(), from + perCall));
            PutRecordsResponse response = kinesis.putRecords(b -> b.streamName(stream).records(call));
            assertThat(response.failedRecordCount()).as("records refused by PutRecords").isZero();
        }
    }

    private static void awaitRunning(JobClient job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (job.getJobStatus().get() != JobStatus.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the job did not start");
            }
            Thread.sleep(100);
        }
    }

    /** A counter of ours summed over every subtask of the job. */
    static long total(JobID job, String counter) {
        long sum = 0;
        for (Map.Entry<org.apache.flink.metrics.MetricGroup, Map<String, Metric>> group
                : METRICS.getMetricsByGroup().entrySet()) {
            if (!job.toString().equals(group.getKey().getAllVariables().get("<job_id>"))) {
                continue;
            }
            if (group.getValue().get(counter) instanceof Counter c) {
                sum += c.getCount();
            }
        }
        return sum;
    }
}
