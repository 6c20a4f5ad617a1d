package org.bushfire.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.bushfire.domain.IncidentMessage;
import org.bushfire.domain.Reading;
import org.bushfire.elasticsearch.ElasticsearchSettings;
import org.bushfire.elasticsearch.ElasticsearchSinks;
import org.bushfire.elasticsearch.IndexTemplates;
import org.bushfire.job.AlertingConfig;
import org.bushfire.job.AlertingJob;
import org.bushfire.job.AlertingSinks;
import org.bushfire.job.StreamSink;
import org.bushfire.kinesis.KinesisReadingsSource;
import org.bushfire.reliability.AlertInbox.Notification;
import org.bushfire.reliability.FireReadings.Fire;
import org.bushfire.reliability.InjectedFailure.AfterForwarding;
import org.bushfire.sns.AlertDelivery;
import org.bushfire.sns.SnsAlertSink;
import org.bushfire.sns.SnsSettings;
import org.bushfire.testing.LocalAws;
import org.bushfire.testing.ThrowawayCredentials;
import org.bushfire.testing.LocalServices;
import org.bushfire.testing.LocalServices.Service;
import org.bushfire.testing.QuietMachine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The production job — {@link KinesisReadingsSource}, {@link AlertingJob}, {@link SnsAlertSink} and
 * {@link ElasticsearchSinks} — on a MiniCluster of two task managers at parallelism 2, reading a two-shard
 * stream on kinesis-local, checkpointing every second and restarting with a fixed delay, while it is hit by:
 *
 * <ol>
 *   <li>a task failure in the raw-readings path, at the 15th reading of the first phase,</li>
 *   <li>a task failure in the alert path, right after "one alert per fire" handed an alert to the sinks,</li>
 *   <li>a task failure inside the SNS sink writer, right after the real writer took an alert,</li>
 *   <li>the loss of a whole task manager (a replacement is started, as EMR/YARN would).</li>
 * </ol>
 *
 * Each failure hits its own phase of readings, with their own fires, so every point is known to have been hit
 * while alerts were in flight. The job runs with the product's default idle timeout, and nothing keeps the
 * shards warm: between phases every shard falls silent, and each restore starts with shards that have nothing
 * to re-read — neither may cost an alert ({@code ShardIdleness}). Afterwards: every reading is in Elasticsearch
 * exactly once; every fire was alerted through a STANDARD SNS topic (no deduplication to hide a copy) exactly
 * once in {@code exactly-once} mode, and at least once, every copy with the fire's one alertId, in
 * {@code at-least-once} mode.
 *
 * <p>The precondition of the exactly-once result, which is how the mode is specified: no failure strikes between
 * the commit of a checkpoint's alerts and the completion of the next checkpoint. Flink restores committables of
 * the last completed checkpoint and commits them again, and SNS publishing is not idempotent on a standard topic
 * (see {@link SnsAlertSink}). Each phase therefore ends with a checkpoint taken after its alerts were received,
 * before the next failure; {@code docs/reliability.md} states the window.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
@ResourceLock(QuietMachine.LOCK)
class FailureRecoveryIntegrationTest {
    @RegisterExtension
    @Order(1)
    static final LocalServices SERVICES = LocalServices.of(Service.KINESIS, Service.SNS, Service.ELASTICSEARCH);

    static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    /**
     * Two task managers of one slot each, so both run part of a job at parallelism 2 and losing either hits it.
     * The extension only runs per class: each test loses the oldest task manager still alive (they are indexed
     * in start order, and never removed from the index) and starts a replacement.
     */
    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
            .setNumberTaskManagers(2)
            .setNumberSlotsPerTaskManager(1)
            .build());

    static final AtomicInteger TASK_MANAGERS_LOST = new AtomicInteger();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);
    /** Generous: two cores shared with other engineers; a phase takes seconds when the machine is quiet. */
    static final Duration PHASE_TIMEOUT = Duration.ofMinutes(4);
    /** Restarts are one second apart (Recovery); everything after that — redeploy, restore, re-read, detect, publish. */
    static final Duration RECOVERY_BOUND = Recovery.RESTART_DELAY.plus(Duration.ofSeconds(20));
    /** How long the cluster may have fewer task managers than it should before waiting is pointless. */
    static final Duration TASK_MANAGER_GRACE = Duration.ofSeconds(20);

    String run;
    AlertInbox inbox;
    KinesisClient kinesis;
    ElasticsearchSettings es;
    JobClient job;

    @RegisterExtension
    static final ThrowawayCredentials CREDENTIALS = new ThrowawayCredentials();

    @BeforeEach
    void resetInjection() {
        InjectedFailure.resetAll();
    }

    @AfterEach
    void cleanUp() throws Exception {
        InjectedFailure.resetAll();
        try {
            if (job != null) {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
        } catch (Exception alreadyOver) {
            // failed or cancelled already
        } finally {
            if (es != null) {
                IndexedDocuments.delete(es.readingsIndex(), es.alertsIndex());
            }
            if (inbox != null) {
                inbox.close();
            }
            if (kinesis != null) {
                kinesis.deleteStream(r -> r.streamName(run));
                kinesis.close();
            }
        }
    }

    @ParameterizedTest(name = "--alert-delivery {0}")
    @EnumSource(AlertDelivery.class)
    void everyFireIsAlertedAndEveryReadingIndexedThroughTaskFailuresAndALostTaskManager(
            AlertDelivery delivery, @InjectMiniCluster MiniCluster cluster) throws Exception {
        prepare("recovery-" + delivery.cliName());

        FireReadings ignitions = new FireReadings()
                .reference("ref-east", Duration.ZERO)
                .reference("ref-west", Duration.ZERO)
                .quiet(minutes(6)).quiet(minutes(7));
        FireReadings spread = new FireReadings()
                .chain("ridge-north", minutes(20), minutes(2), 101, 7)
                .chain("ridge-south", minutes(21), minutes(3), 201, 6)
                .quiet(minutes(38)).quiet(minutes(39));
        FireReadings gully = new FireReadings()
                .reference("ref-gully", minutes(60))
                .chain("ridge-creek", minutes(61), Duration.ofSeconds(90), 301, 5)
                .quiet(minutes(70)).quiet(minutes(71));
        FireReadings coast = new FireReadings()
                .chain("ridge-far", minutes(90), minutes(2), 401, 6)
                .chain("coast", minutes(91), minutes(2), 501, 6)
                .quiet(minutes(103)).quiet(minutes(104));
        List<FireReadings> phases = List.of(ignitions, spread, gully, coast);

        // 1. A task of the raw-readings path fails at the 15th reading, long before any chain can complete.
        InjectedFailure.RAW_READINGS.arm(15);
        job = start(delivery);
        LocalAws.put(kinesis, run, ignitions.lines());
        awaitAlerts(ignitions, cluster);
        assertThat(InjectedFailure.RAW_READINGS.failures()).as("raw-readings failure injected").isEqualTo(1);
        Map<String, Duration> recovery = new java.util.LinkedHashMap<>();
        recovery.put("raw-readings task failure", alertsInSince(ignitions, InjectedFailure.RAW_READINGS.failedAtNanos()));
        checkpointAfterTheAlerts(cluster, job.getJobID());

        // 2. The alert path fails right after handing the phase's first alert to the sinks.
        InjectedFailure.ALERT_PATH.arm(1);
        LocalAws.put(kinesis, run, spread.lines());
        awaitAlerts(spread, cluster);
        assertThat(InjectedFailure.ALERT_PATH.failures()).as("alert-path failure injected").isEqualTo(1);
        recovery.put("alert-path task failure", alertsInSince(spread, InjectedFailure.ALERT_PATH.failedAtNanos()));
        checkpointAfterTheAlerts(cluster, job.getJobID());

        // 3. The SNS sink writer fails right after the real writer took the phase's first alert.
        InjectedFailure.SNS_WRITER.arm(1);
        LocalAws.put(kinesis, run, gully.lines());
        awaitAlerts(gully, cluster);
        assertThat(InjectedFailure.SNS_WRITER.failures()).as("SNS writer failure injected").isEqualTo(1);
        recovery.put("SNS writer failure", alertsInSince(gully, InjectedFailure.SNS_WRITER.failedAtNanos()));
        checkpointAfterTheAlerts(cluster, job.getJobID());

        // 4. A task manager is lost while two fires are spreading, and a new one takes its place.
        Duration midFire = minutes(94);
        LocalAws.put(kinesis, run, coast.linesBefore(midFire));
        IndexedDocuments.awaitIds(es.readingsIndex(), coast.readingIdsBefore(midFire), PHASE_TIMEOUT);
        long lost = System.nanoTime();
        cluster.terminateTaskManager(TASK_MANAGERS_LOST.getAndIncrement()).get(2, TimeUnit.MINUTES);
        cluster.startTaskManager();
        LocalAws.put(kinesis, run, coast.linesFrom(midFire));
        awaitAlerts(coast, cluster);
        recovery.put("lost task manager", alertsInSince(coast, lost));
        checkpointAfterTheAlerts(cluster, job.getJobID());
        inbox.pollFor(Duration.ofSeconds(5));

        List<Fire> fires = new ArrayList<>();
        Set<String> readingIds = new HashSet<>();
        for (FireReadings phase : phases) {
            fires.addAll(phase.fires());
            readingIds.addAll(phase.readingIds());
        }
        assertThat(restarts(job.getJobID())).as("restarts: three injected failures and a lost task manager")
                .isGreaterThanOrEqualTo(4);

        List<String> indexed = IndexedDocuments.awaitIds(es.readingsIndex(), readingIds, PHASE_TIMEOUT);
        assertThat(indexed).as("every reading in Elasticsearch exactly once").hasSize(readingIds.size());
        assertThat(new HashSet<>(indexed)).isEqualTo(readingIds);
        Set<String> alertIds = new HashSet<>();
        fires.forEach(f -> alertIds.add(f.alertId()));
        List<String> indexedAlerts = IndexedDocuments.awaitIds(es.alertsIndex(), alertIds, PHASE_TIMEOUT);
        assertThat(indexedAlerts).hasSize(fires.size());
        assertThat(new HashSet<>(indexedAlerts)).isEqualTo(alertIds);

        Map<Fire, List<Notification>> received = inbox.byFire();
        System.out.printf("failure recovery, %s: %d fires, %d alerts published, %d readings indexed, %d restarts%n",
                delivery.cliName(), fires.size(), inbox.size(), indexed.size(), restarts(job.getJobID()));
        recovery.forEach((fault, took) -> System.out.printf("recovery time, %s, %s: %d ms (bound %d ms)%n",
                delivery.cliName(), fault, took.toMillis(), RECOVERY_BOUND.toMillis()));
        assertThat(recovery).as("from each fault until every alert of its phase was received")
                .allSatisfy((fault, took) -> assertThat(took).as(fault).isLessThan(RECOVERY_BOUND));
        assertThat(received.keySet()).as("alerted fires").containsExactlyInAnyOrderElementsOf(fires);
        for (Map.Entry<Fire, List<Notification>> fire : received.entrySet()) {
            assertThat(fire.getValue()).as("every copy of %s carries the fire's alertId", fire.getKey())
                    .extracting(Notification::alertId).containsOnly(fire.getKey().alertId());
        }
        // Each fire's incident goes on across the faults: ridge-north and ridge-south burn on after their alerts,
        // so ten minutes of event time later each sends an update (the job's default --update-every), the second
        // one only after the restores of phase 3. Sequence numbers 1, 2, … with none left out by a restore.
        System.out.printf("failure recovery, %s: %d updates after the alerts%n", delivery.cliName(),
                inbox.followUps().size());
        assertThat(inbox.followUps()).as("updates after the alerts").extracting(AlertInbox.FollowUp::msgType)
                .contains("Update").containsOnly("Update");
        inbox.sequencesByAlertId().forEach((alertId, sequences) -> assertThat(sequences)
                .as("message sequence numbers received for %s", alertId)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, sequences.last()).boxed().toList()));
        if (delivery == AlertDelivery.EXACTLY_ONCE) {
            for (Map.Entry<Fire, List<Notification>> fire : received.entrySet()) {
                assertThat(fire.getValue()).as("alerts published for %s", fire.getKey()).hasSize(1);
            }
        } else {
            // The alert-path and writer failures strike after the alert was published, before a checkpoint
            // could record it: the restore raises and publishes it again. At least once, never lost.
            assertThat(inbox.size()).as("alerts published (copies included) for %d fires", fires.size())
                    .isGreaterThan(fires.size());
        }
    }

    /**
     * Where exactly-once ends: a failure after a checkpoint's alerts were published but before the next checkpoint
     * completed (here: the committer fails right after publishing). Flink restores that checkpoint, whose pending
     * commits still hold the alerts, and commits them again. On a standard topic the subscriber gets each of them
     * twice, with the same alertId; a FIFO topic drops the copy within SNS's 5-minute deduplication window.
     */
    @Test
    void exactlyOnceSendsTheAlertsOfAnInterruptedCommitAgainWithTheSameAlertIds(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        prepare("interrupted-commit");
        FireReadings ignitions = new FireReadings()
                .reference("ref-east", Duration.ZERO)
                .reference("ref-west", Duration.ZERO)
                .quiet(minutes(6)).quiet(minutes(7));
        InjectedFailure.SNS_COMMITTER.arm(1);
        job = start(AlertDelivery.EXACTLY_ONCE);
        LocalAws.put(kinesis, run, ignitions.lines());
        awaitAlerts(ignitions, cluster);
        checkpointAfterTheAlerts(cluster, job.getJobID());
        inbox.pollFor(Duration.ofSeconds(5));

        assertThat(InjectedFailure.SNS_COMMITTER.failures()).isEqualTo(1);
        Map<Fire, List<Notification>> received = inbox.byFire();
        assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(ignitions.fires());
        for (Map.Entry<Fire, List<Notification>> fire : received.entrySet()) {
            assertThat(fire.getValue()).extracting(Notification::alertId).containsOnly(fire.getKey().alertId());
            assertThat(fire.getValue()).as("copies of %s", fire.getKey()).hasSizeBetween(1, 2);
        }
        assertThat(inbox.size()).as("the interrupted commit was made again").isGreaterThan(received.size());
    }

    private void prepare(String label) throws InterruptedException {
        run = label + "-" + UUID.randomUUID().toString().substring(0, 8);
        inbox = AlertInbox.standard(run);
        kinesis = LocalAws.kinesisClient(Service.KINESIS.endpoint());
        LocalAws.createStream(kinesis, run, 2);
        es = ElasticsearchSettings.defaults()
                .withHosts(List.of(Service.ELASTICSEARCH.endpoint().toString()))
                .withReadingsIndex(run + "-readings")
                .withAlertsIndex(run + "-alerts")
                .resolve(Map.of());
        IndexTemplates.install(es);
    }

    private JobClient start(AlertDelivery delivery) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.configure(Recovery.restartsAndCheckpoints(CHECKPOINT_INTERVAL));

        AlertingConfig config = AlertingConfig.defaults();
        SnsSettings sns = SnsSettings.of(inbox.topicArn, LocalAws.REGION).withEndpoint(Service.SNS.endpoint())
                .withDelivery(delivery).checkReachable();
        // As run and index wire them: each fire's incident messages (its alert first) to SNS and the alerts index.
        StreamSink<IncidentMessage> toSns = FailingSnsWriter.around(SnsAlertSink.forIncidents(sns));
        StreamSink<IncidentMessage> toAlertsIndex = ElasticsearchSinks.incidents(es);
        StreamSink<Reading> toReadingsIndex = ElasticsearchSinks.rawReadings(es, config.threshold());
        AlertingSinks sinks = AlertingSinks
                .incidentsTo(stream -> {
                    // counting alert messages only: the struck one is the phase's alert, not an earlier fire's update
                    DataStream<IncidentMessage> messages = stream.flatMap(new AfterForwarding<IncidentMessage>(
                                    InjectedFailure.ALERT_PATH, m -> m.stage == IncidentMessage.Stage.ALERT),
                                    stream.getType())
                            .name("injected failure: alert path").uid("injected-failure-alert-path");
                    toSns.attach(messages);
                    toAlertsIndex.attach(messages);
                })
                .rawReadingsTo(stream -> toReadingsIndex.attach(
                        stream.flatMap(new AfterForwarding<>(InjectedFailure.RAW_READINGS), stream.getType())
                                .name("injected failure: raw readings").uid("injected-failure-raw-readings")));
        new AlertingJob(config, new KinesisReadingsSource(LocalAws.kinesis(run)), sinks).build(env);
        return env.executeAsync("failure recovery, " + delivery.cliName());
    }

    /**
     * Waits for the phase's alerts; fails fast when the job failed for good or the cluster lost a task manager
     * for longer than {@link #TASK_MANAGER_GRACE} (nothing could run, and waiting out the timeout hid the cause);
     * on a timeout, says where each operator's watermark stood.
     */
    private void awaitAlerts(FireReadings phase, MiniCluster cluster) throws InterruptedException {
        long[] shortSince = {0};
        Runnable check = () -> {
            JobStatus status = status(job);
            if (status.isGloballyTerminalState()) {
                throw new AssertionError("the job is " + status + " while alerts of " + phase.fires() + " are awaited");
            }
            int taskManagers = taskManagers(cluster);
            if (taskManagers >= 2) {
                shortSince[0] = 0;
            } else if (shortSince[0] == 0) {
                shortSince[0] = System.nanoTime();
            } else if (System.nanoTime() - shortSince[0] > TASK_MANAGER_GRACE.toNanos()) {
                throw new AssertionError("lost a task manager: " + taskManagers + " of 2 registered for "
                        + TASK_MANAGER_GRACE + "; the job (" + status + ") cannot get its slots\nwatermarks:\n"
                        + watermarks(job.getJobID()));
            }
        };
        try {
            inbox.awaitFires(phase.fires(), PHASE_TIMEOUT, check);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nwatermarks:\n" + watermarks(job.getJobID()), e);
        }
    }

    /**
     * Recovery time of a fault at {@code sinceNanos}: until every fire of its phase has been received and at least
     * one notification arrived after the fault — after a failure past the alert's publication (alert path, SNS
     * writer, at-least-once) that one is the restored job's copy. Received means polled from the queue, so each
     * figure also holds up to a second of SQS polling.
     */
    private Duration alertsInSince(FireReadings phase, long sinceNanos) throws InterruptedException {
        // The phase's alerts may all be in before the restored job's copy arrives: wait for it.
        long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
        while (inbox.firstReceivedAfter(sinceNanos).isEmpty() && System.nanoTime() < deadline) {
            inbox.poll();
            Thread.sleep(200);
        }
        long last = inbox.firstReceivedAfter(sinceNanos)
                .orElseThrow(() -> new AssertionError("no notification within " + PHASE_TIMEOUT + " after the fault"));
        for (Map.Entry<Fire, List<Notification>> fire : inbox.byFire().entrySet()) {
            if (phase.fires().contains(fire.getKey())) {
                long first = fire.getValue().stream().mapToLong(Notification::receivedNanos).min().orElseThrow();
                last = Math.max(last, first);
            }
        }
        return Duration.ofNanos(last - sinceNanos);
    }

    private static JobStatus status(JobClient job) {
        try {
            return job.getJobStatus().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("cannot ask the job's status", e);
        }
    }

    /** Task managers registered with the MiniCluster's resource manager, from its REST API. */
    private static int taskManagers(MiniCluster cluster) {
        try {
            URI rest = cluster.getRestAddress().get(30, TimeUnit.SECONDS);
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(rest.resolve("/taskmanagers")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body()).path("taskmanagers").size();
        } catch (Exception e) {
            throw new AssertionError("cannot list the task managers", e);
        }
    }

    private static String watermarks(JobID job) {
        return Recovery.watermarks(METRICS, job);
    }

    /**
     * A checkpoint triggered after this phase's alerts were received: once it completes, no restore brings their
     * committables back, so the next phase's failure cannot commit them again.
     */
    private static void checkpointAfterTheAlerts(MiniCluster cluster, JobID job) throws InterruptedException {
        Recovery.checkpointNow(cluster, job, PHASE_TIMEOUT);
    }

    private static long restarts(JobID job) {
        return Recovery.restarts(METRICS, job);
    }

    private static Duration minutes(long m) {
        return Duration.ofMinutes(m);
    }
}
