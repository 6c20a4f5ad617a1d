package org.bushfire.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.RestoredCheckpointStats;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.bushfire.domain.IncidentMessage;
import org.bushfire.elasticsearch.ElasticsearchSettings;
import org.bushfire.elasticsearch.ElasticsearchSinks;
import org.bushfire.elasticsearch.IndexTemplates;
import org.bushfire.job.AlertingConfig;
import org.bushfire.job.AlertingJob;
import org.bushfire.job.AlertingSinks;
import org.bushfire.job.DeadLetterLog;
import org.bushfire.job.StreamSink;
import org.bushfire.kinesis.KinesisReadingsSource;
import org.bushfire.reliability.AlertInbox.Notification;
import org.bushfire.reliability.FireReadings.Fire;
import org.bushfire.sns.AlertDelivery;
import org.bushfire.sns.SnsAlertSink;
import org.bushfire.sns.SnsSettings;
import org.bushfire.testing.LocalAws;
import org.bushfire.testing.ThrowawayCredentials;
import org.bushfire.testing.LocalServices;
import org.bushfire.testing.LocalServices.Service;
import org.bushfire.testing.QuietMachine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The upgrade path of EMR operators: stop the running job with a savepoint, deploy the new version, start it from
 * the savepoint. Here the production job runs from kinesis-local with exactly-once alerts to a STANDARD SNS topic
 * and both Elasticsearch sinks; it sees the first part of the readings, is stopped with a savepoint while one
 * fire is half-way through its chain, and a NEW job — built again, with one more operator, as a new version
 * would be — resumes from the savepoint and sees the rest. No alert may be lost or repeated, no reading lost or
 * indexed twice.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@ResourceLock(QuietMachine.LOCK)
class SavepointUpgradeIntegrationTest {
    @RegisterExtension
    @Order(1)
    static final LocalServices SERVICES = LocalServices.of(Service.KINESIS, Service.SNS, Service.ELASTICSEARCH);

    static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setConfiguration(METRICS.addToConfiguration(new Configuration()))
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(4) // the rescale test restores at parallelism 4
                    .build());

    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);
    static final Duration TIMEOUT = Duration.ofMinutes(4);
    /** Readings before this (event time from T0) go to the old job, the rest to the new one. */
    static final Duration UPGRADE = Duration.ofMinutes(14);

    @TempDir
    Path savepoints;

    String run;
    AlertInbox inbox;
    KinesisClient kinesis;
    ElasticsearchSettings es;
    final List<JobClient> jobs = new ArrayList<>();

    @RegisterExtension
    static final ThrowawayCredentials CREDENTIALS = new ThrowawayCredentials();

    @AfterEach
    void cleanUp() throws Exception {
        try {
            for (JobClient job : jobs) {
                if (!job.getJobStatus().get(30, TimeUnit.SECONDS).isGloballyTerminalState()) {
                    job.cancel().get(60, TimeUnit.SECONDS);
                }
            }
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

    @Test
    void aNewJobResumedFromTheSavepointLosesAndRepeatsNothing(
            @InjectClusterClient ClusterClient<?> client, @InjectMiniCluster MiniCluster cluster) throws Exception {
        prepare("upgrade");
        FireReadings readings = new FireReadings()
                // over before the upgrade
                .reference("ref-east", Duration.ZERO)
                // alerted before the upgrade (chain complete at 10 min), still spreading after it: no second alert
                .chain("ridge-north", minutes(2), minutes(2), 101, 8)
                // four sensors burning before the upgrade, the fifth after it: the alert needs the old job's state
                .chain("ridge-south", minutes(4), minutes(3), 201, 6)
                // entirely after the upgrade
                .chain("coast", minutes(15), minutes(1), 301, 5)
                .quiet(minutes(12)).quiet(minutes(13))
                .quiet(minutes(25)).quiet(minutes(26));
        List<Fire> fires = readings.fires();
        List<Fire> alertedBefore = List.of(fires.get(0), fires.get(1));
        List<Fire> alertedAfter = List.of(fires.get(2), fires.get(3));

        JobClient oldJob = start(false, null, CHECKPOINT_INTERVAL);
        LocalAws.put(kinesis, run, readings.linesBefore(UPGRADE));
        List<String> before = readings.linesBefore(UPGRADE);
        inbox.awaitFires(alertedBefore, TIMEOUT);
        assertThat(inbox.byFire().keySet()).as("alerted by the old job").containsExactlyInAnyOrderElementsOf(alertedBefore);

        String savepoint = client.stopWithSavepoint(oldJob.getJobID(), false, savepoints.toUri().toString(),
                SavepointFormatType.CANONICAL).get(TIMEOUT.toMinutes(), TimeUnit.MINUTES);
        assertThat(oldJob.getJobStatus().get(1, TimeUnit.MINUTES)).isEqualTo(JobStatus.FINISHED);

        LocalAws.put(kinesis, run, readings.linesFrom(UPGRADE));
        List<String> after = readings.linesFrom(UPGRADE);
        JobClient newJob = start(true, savepoint, CHECKPOINT_INTERVAL);
        assertThat(restoredFrom(cluster, newJob.getJobID())).as("the new job's state comes from the savepoint")
                .isEqualTo(savepoint);
        inbox.awaitFires(alertedAfter, TIMEOUT);
        Recovery.checkpointNow(cluster, newJob.getJobID(), TIMEOUT);
        inbox.pollFor(Duration.ofSeconds(5));

        List<String> indexed = assertEveryFireAlertedOnceAndEveryReadingIndexedOnce(fires, readings);
        Set<String> alertIds = new HashSet<>();
        fires.forEach(f -> alertIds.add(f.alertId()));
        List<String> indexedAlerts = IndexedDocuments.awaitIds(es.alertsIndex(), alertIds, TIMEOUT);
        assertThat(new HashSet<>(indexedAlerts)).hasSize(indexedAlerts.size()).isEqualTo(alertIds);
    }

    /**
     * Where exactly-once ends on the upgrade path. An alert raised after the last checkpoint waits in the sink
     * writer for the next one, and the savepoint is that one: the old job publishes the alert when the savepoint
     * completes, and the savepoint also holds it as a pending commit, which the new job commits again when it
     * restores. On a standard topic the fire officer gets the alert twice, with the same alertId; on a FIFO topic
     * SNS drops the copy if the new job starts within its 5-minute deduplication window. (At-least-once mode does
     * not repeat it: its alert was published before the savepoint, and the savepoint records the fire as alerted.)
     * A checkpoint interval of an hour makes sure the alert is still pending when the savepoint is taken.
     */
    @Test
    void anAlertPendingAtTheSavepointIsPublishedByTheOldJobAndAgainByTheNewOne(
            @InjectClusterClient ClusterClient<?> client, @InjectMiniCluster MiniCluster cluster) throws Exception {
        prepare("pending");
        FireReadings readings = new FireReadings().reference("ref-east", Duration.ZERO).quiet(minutes(6)).quiet(minutes(7));
        Fire fire = readings.fires().get(0);

        JobClient oldJob = start(false, null, Duration.ofHours(1));
        LocalAws.put(kinesis, run, readings.lines());
        // The alerts index gets the alert as soon as it is raised; SNS only when a checkpoint completes.
        IndexedDocuments.awaitIds(es.alertsIndex(), List.of(fire.alertId()), TIMEOUT);
        inbox.pollFor(Duration.ofSeconds(3));
        assertThat(inbox.size()).as("held for a checkpoint").isZero();

        String savepoint = client.stopWithSavepoint(oldJob.getJobID(), false, savepoints.toUri().toString(),
                SavepointFormatType.CANONICAL).get(TIMEOUT.toMinutes(), TimeUnit.MINUTES);
        inbox.awaitFires(List.of(fire), TIMEOUT);
        assertThat(inbox.size()).as("published when the savepoint completed").isEqualTo(1);

        JobClient newJob = start(true, savepoint, CHECKPOINT_INTERVAL);
        assertThat(restoredFrom(cluster, newJob.getJobID())).isEqualTo(savepoint);
        Recovery.checkpointNow(cluster, newJob.getJobID(), TIMEOUT);
        inbox.pollFor(Duration.ofSeconds(5));

        List<Notification> copies = inbox.byFire().get(fire);
        assertThat(copies).extracting(Notification::alertId).containsOnly(fire.alertId());
        assertThat(copies).as("published at the savepoint, and again when the new job restored it").hasSize(2);
        assertThat(inbox.byFire()).containsOnlyKeys(fire);
    }

    /**
     * What an operator does when the EMR cluster is resized: stop with a savepoint at parallelism 2, restore it
     * at 4, stop again, restore at 1. Fires cross both rescales (a chain half-burnt at each savepoint), so the
     * keyed state — onsets, fire trees, CEP partial matches, alerted fires — must be redistributed over the new
     * key groups. Same alerts (exactly once each, on a standard topic), every reading indexed once. Here each
     * phase's readings arrive once the rescaled job runs; {@link #aRescaleWithABacklogWaitingInTheStream} is the
     * same with the readings already waiting in the stream.
     *
     * <p>Before per-shard watermarks (issue 10) this lost ridge-south at parallelism 4: the restored job's
     * source subtasks woke one at a time and the first one back made the others' readings late.
     */
    @Test
    void aSavepointTakenAtParallelism2RestoresAt4AndBackAt1(@InjectClusterClient ClusterClient<?> client,
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        rescale2To4To1(client, cluster, false);
    }

    /**
     * The same rescale with each phase put before the rescaled job starts, as readings pile up during a real
     * resize: the catch-up reads both shards' backlogs, and neither may make the other's readings late (before
     * issue 10 it did, at parallelism 1: 26 readings of one shard late, their fires never alerted).
     */
    @Test
    void aRescaleWithABacklogWaitingInTheStream(@InjectClusterClient ClusterClient<?> client,
            @InjectMiniCluster MiniCluster cluster) throws Exception {
        rescale2To4To1(client, cluster, true);
    }

    private void rescale2To4To1(ClusterClient<?> client, MiniCluster cluster, boolean backlog) throws Exception {
        prepare("rescale");
        Duration firstRescale = minutes(14);
        Duration secondRescale = minutes(28);
        FireReadings readings = new FireReadings()
                .reference("ref-east", Duration.ZERO)
                // four sensors before the first rescale, the rest after it
                .chain("ridge-south", minutes(4), minutes(3), 201, 6)
                // four sensors between the rescales, the fifth after the second one
                .chain("ridge-west", minutes(17), minutes(3), 401, 5)
                // entirely at parallelism 1
                .chain("coast", minutes(30), minutes(1), 301, 5)
                .quiet(minutes(12)).quiet(minutes(13))
                .quiet(minutes(26)).quiet(minutes(27))
                .quiet(minutes(38)).quiet(minutes(39));
        List<Fire> fires = readings.fires();
        List<String> first = readings.linesBefore(firstRescale);
        List<String> second = new ArrayList<>(readings.linesFrom(firstRescale));
        second.retainAll(readings.linesBefore(secondRescale));
        List<String> third = readings.linesFrom(secondRescale);

        JobClient atTwo = start(false, null, CHECKPOINT_INTERVAL, 2);
        LocalAws.put(kinesis, run, first);
        inbox.awaitFires(List.of(fires.get(0)), TIMEOUT);
        Recovery.checkpointNow(cluster, atTwo.getJobID(), TIMEOUT);
        String savepointAtTwo = client.stopWithSavepoint(atTwo.getJobID(), false, savepoints.toUri().toString(),
                SavepointFormatType.CANONICAL).get(TIMEOUT.toMinutes(), TimeUnit.MINUTES);

        if (backlog) {
            LocalAws.put(kinesis, run, second);
        }
        JobClient atFour = start(true, savepointAtTwo, CHECKPOINT_INTERVAL, 4);
        assertThat(restoredFrom(cluster, atFour.getJobID())).isEqualTo(savepointAtTwo);
        if (!backlog) {
            awaitRunning(cluster, atFour.getJobID());
            LocalAws.put(kinesis, run, second);
        }
        awaitFires(List.of(fires.get(1)), atFour, "parallelism 4");
        Recovery.checkpointNow(cluster, atFour.getJobID(), TIMEOUT);
        String savepointAtFour = client.stopWithSavepoint(atFour.getJobID(), false, savepoints.toUri().toString(),
                SavepointFormatType.CANONICAL).get(TIMEOUT.toMinutes(), TimeUnit.MINUTES);

        if (backlog) {
            LocalAws.put(kinesis, run, third);
        }
        JobClient atOne = start(true, savepointAtFour, CHECKPOINT_INTERVAL, 1);
        assertThat(restoredFrom(cluster, atOne.getJobID())).isEqualTo(savepointAtFour);
        if (!backlog) {
            awaitRunning(cluster, atOne.getJobID());
            LocalAws.put(kinesis, run, third);
        }
        awaitFires(List.of(fires.get(2), fires.get(3)), atOne, "parallelism 1");
        Recovery.checkpointNow(cluster, atOne.getJobID(), TIMEOUT);
        inbox.pollFor(Duration.ofSeconds(5));

        List<String> indexed = assertEveryFireAlertedOnceAndEveryReadingIndexedOnce(fires, readings);
        System.out.printf("rescale 2 -> 4 -> 1: %d fires, %d alerts, %d readings indexed%n", fires.size(),
                inbox.size(), indexed.size());
    }

    /** Exactly one alert per fire, with its alertId; every reading in Elasticsearch exactly once (its ids). */
    private List<String> assertEveryFireAlertedOnceAndEveryReadingIndexedOnce(List<Fire> fires, FireReadings readings)
            throws Exception {
        Map<Fire, List<Notification>> received = inbox.byFire();
        assertThat(received.keySet()).as("alerted fires").containsExactlyInAnyOrderElementsOf(fires);
        for (Map.Entry<Fire, List<Notification>> fire : received.entrySet()) {
            assertThat(fire.getValue()).as("alerts published for %s", fire.getKey()).hasSize(1);
            assertThat(fire.getValue().get(0).alertId()).isEqualTo(fire.getKey().alertId());
        }
        Set<String> readingIds = readings.readingIds();
        List<String> indexed = IndexedDocuments.awaitIds(es.readingsIndex(), readingIds, TIMEOUT);
        assertThat(indexed).as("every reading in Elasticsearch exactly once").hasSize(readingIds.size());
        assertThat(new HashSet<>(indexed)).isEqualTo(readingIds);
        return indexed;
    }

    private void prepare(String label) {
        run = label + "-" + UUID.randomUUID().toString().substring(0, 8);
        inbox = AlertInbox.standard(run);
        kinesis = LocalAws.kinesisClient(Service.KINESIS.endpoint());
        try {
            LocalAws.createStream(kinesis, run, 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        es = ElasticsearchSettings.defaults()
                .withHosts(List.of(Service.ELASTICSEARCH.endpoint().toString()))
                .withReadingsIndex(run + "-readings")
                .withAlertsIndex(run + "-alerts")
                .resolve(Map.of());
        IndexTemplates.install(es);
    }

    /**
     * The production graph (as {@code bushfire run} wires it), checked for operators without a uid before it is
     * submitted. The new version adds the dead-letters log, an operator the savepoint knows nothing about.
     */
    private JobClient start(boolean newVersion, String savepoint, Duration checkpointInterval) throws Exception {
        return start(newVersion, savepoint, checkpointInterval, 2);
    }

    private JobClient start(boolean newVersion, String savepoint, Duration checkpointInterval, int parallelism)
            throws Exception {
        Configuration conf = Recovery.restartsAndCheckpoints(checkpointInterval);
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);

        AlertingConfig config = AlertingConfig.defaults();
        SnsSettings sns = SnsSettings.of(inbox.topicArn, LocalAws.REGION).withEndpoint(Service.SNS.endpoint())
                .withDelivery(AlertDelivery.EXACTLY_ONCE).checkReachable();
        // As run and index wire them: each fire's incident messages to SNS and the alerts index.
        StreamSink<IncidentMessage> toSns = SnsAlertSink.incidentStreamSink(sns);
        StreamSink<IncidentMessage> toAlertsIndex = ElasticsearchSinks.incidents(es);
        AlertingSinks sinks = AlertingSinks
                .incidentsTo(stream -> {
                    toSns.attach(stream);
                    toAlertsIndex.attach(stream);
                })
                .rawReadingsTo(ElasticsearchSinks.rawReadings(es, config.threshold()));
        if (newVersion) {
            sinks.deadLettersTo(StreamSink.of(new DeadLetterLog(), "dead letters log"));
        }
        new AlertingJob(config, new KinesisReadingsSource(LocalAws.kinesis(run)), sinks).build(env);

        StreamGraph graph = env.getStreamGraph();
        List<String> withoutUid = new ArrayList<>();
        for (StreamNode node : graph.getStreamNodes()) {
            if (node.getTransformationUID() == null) {
                withoutUid.add(node.getOperatorName());
            }
        }
        assertThat(withoutUid).as("operators without a uid cannot be mapped reliably to a savepoint").isEmpty();
        JobClient job = env.executeAsync(graph);
        jobs.add(job);
        return job;
    }

    /** Waits for the fires' alerts; on a timeout, says where each operator's watermark stood. */
    private void awaitFires(List<Fire> fires, JobClient job, String stage) throws InterruptedException {
        try {
            inbox.awaitFires(fires, TIMEOUT);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nwatermarks at " + stage + ":\n"
                    + Recovery.watermarks(METRICS, job.getJobID()), e);
        }
    }

    /** Until every task of the job runs (so readings put now arrive live, not as a backlog). */
    private static void awaitRunning(MiniCluster cluster, JobID job) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            boolean running = true;
            for (var vertex : cluster.getExecutionGraph(job).get(30, TimeUnit.SECONDS).getAllExecutionVertices()) {
                running &= vertex.getExecutionState() == org.apache.flink.runtime.execution.ExecutionState.RUNNING;
            }
            if (running) {
                return;
            }
            assertThat(System.nanoTime()).as("every task of " + job + " running within " + TIMEOUT).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static String restoredFrom(MiniCluster cluster, JobID job) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                RestoredCheckpointStats restored = cluster.getExecutionGraph(job).get(30, TimeUnit.SECONDS)
                        .getCheckpointStatsSnapshot().getLatestRestoredCheckpoint();
                if (restored != null) {
                    return restored.getExternalPath();
                }
            } catch (ExecutionException | NullPointerException notYetScheduled) {
                // the job is still being created
            }
            if (System.nanoTime() > deadline) {
                return null;
            }
            Thread.sleep(200);
        }
    }

    private static Duration minutes(long m) {
        return Duration.ofMinutes(m);
    }
}
