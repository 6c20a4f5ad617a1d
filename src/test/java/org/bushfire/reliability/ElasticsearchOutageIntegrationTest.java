package org.bushfire.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.bushfire.elasticsearch.ElasticsearchSettings;
import org.bushfire.elasticsearch.ElasticsearchSinks;
import org.bushfire.elasticsearch.IndexTemplates;
import org.bushfire.job.AlertingConfig;
import org.bushfire.job.AlertingJob;
import org.bushfire.job.AlertingSinks;
import org.bushfire.kinesis.KinesisReadingsSource;
import org.bushfire.reliability.FireReadings.Fire;
import org.bushfire.sns.SnsAlertSink;
import org.bushfire.sns.SnsSettings;
import org.bushfire.testing.ElasticsearchProxy;
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
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Elasticsearch cannot hold alerts hostage. The two production jobs — alerting ({@code bushfire run}: Kinesis
 * to SNS) and indexing ({@code bushfire index}: Kinesis to Elasticsearch) — read one two-shard stream on
 * kinesis-local, each with its own consumer, with the product's defaults (idle timeout included) and no
 * trickle keeping shards warm. The indexing job reaches the real node through an {@link ElasticsearchProxy}.
 *
 * <ol>
 *   <li>A first phase of fires, with Elasticsearch up: alerted and indexed.</li>
 *   <li>Elasticsearch goes down for two minutes (connections reset, the port refuses connections: what a
 *       client sees of a killed node — the shared local node itself is not killed, other runs use it). A fire
 *       spreads meanwhile. Its alert must arrive through SNS within B + 2 s of putting the readings that
 *       complete its chain, and the alerting job must not restart at all.</li>
 *   <li>Elasticsearch is back: the indexing job, which failed and restarted meanwhile, catches up; every
 *       reading of both phases is indexed exactly once, and both phases' alerts are in the alerts index.</li>
 * </ol>
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
@ResourceLock(QuietMachine.LOCK)
class ElasticsearchOutageIntegrationTest {
    @RegisterExtension
    @Order(1)
    static final LocalServices SERVICES = LocalServices.of(Service.KINESIS, Service.SNS, Service.ELASTICSEARCH);

    static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    /** Room for both jobs at parallelism 2. */
    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    static final Duration OUTAGE = Duration.ofMinutes(2);
    static final Duration PHASE_TIMEOUT = Duration.ofMinutes(4);

    String run;
    AlertInbox inbox;
    KinesisClient kinesis;
    ElasticsearchProxy proxy;
    ElasticsearchSettings es;
    JobClient alerting;
    JobClient indexing;

    @RegisterExtension
    static final ThrowawayCredentials CREDENTIALS = new ThrowawayCredentials();

    @AfterEach
    void cleanUp() throws Exception {
        try {
            for (JobClient job : new JobClient[] {alerting, indexing}) {
                if (job != null) {
                    try {
                        job.cancel().get(60, TimeUnit.SECONDS);
                    } catch (Exception alreadyOver) {
                        // failed or cancelled already
                    }
                }
            }
        } finally {
            if (proxy != null) {
                proxy.close();
            }
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
    void aFireIsAlertedInTimeWhileElasticsearchIsDownAndIndexedOnceItIsBack() throws Exception {
        run = "es-outage-" + UUID.randomUUID().toString().substring(0, 8);
        inbox = AlertInbox.standard(run);
        kinesis = LocalAws.kinesisClient(Service.KINESIS.endpoint());
        LocalAws.createStream(kinesis, run, 2);
        proxy = new ElasticsearchProxy(Service.ELASTICSEARCH.endpoint());
        es = ElasticsearchSettings.defaults()
                .withHosts(List.of(proxy.endpoint()))
                .withReadingsIndex(run + "-readings")
                .withAlertsIndex(run + "-alerts")
                .resolve(Map.of());
        IndexTemplates.install(es);
        AlertingConfig config = AlertingConfig.defaults();

        FireReadings before = new FireReadings()
                .reference("ref-east", Duration.ZERO)
                .quiet(Duration.ofMinutes(6)).quiet(Duration.ofMinutes(7));
        FireReadings during = new FireReadings()
                .chain("ridge-north", Duration.ofMinutes(20), Duration.ofMinutes(2), 101, 6)
                .quiet(Duration.ofMinutes(38)).quiet(Duration.ofMinutes(39));

        alerting = startAlerting(config);
        indexing = startIndexing(config);

        // 1. Elasticsearch up.
        LocalAws.put(kinesis, run, before.lines());
        inbox.awaitFires(before.fires(), PHASE_TIMEOUT);
        IndexedDocuments.awaitIds(es.readingsIndex(), before.readingIds(), PHASE_TIMEOUT);

        // 2. Elasticsearch down for two minutes, while a fire spreads.
        long down = System.nanoTime();
        proxy.goDown();
        long put = System.nanoTime();
        LocalAws.put(kinesis, run, during.lines());
        inbox.awaitFires(during.fires(), PHASE_TIMEOUT);
        Duration alertLatency = Duration.ofNanos(System.nanoTime() - put);
        long restartsWhileDown = restarts(alerting.getJobID());
        Thread.sleep(Math.max(0, OUTAGE.toMillis() - Duration.ofNanos(System.nanoTime() - down).toMillis()));
        long indexingRestarts = restarts(indexing.getJobID());
        assertThat(IndexedDocuments.ids(es.readingsIndex()))
                .as("nothing of the outage's phase could be indexed yet").hasSameElementsAs(before.readingIds());

        // 3. Elasticsearch back.
        proxy.comeBack();
        long back = System.nanoTime();
        Set<String> readingIds = new HashSet<>(before.readingIds());
        readingIds.addAll(during.readingIds());
        List<String> indexed = IndexedDocuments.awaitIds(es.readingsIndex(), readingIds, PHASE_TIMEOUT);
        Duration catchUp = Duration.ofNanos(System.nanoTime() - back);
        Set<String> alertIds = new HashSet<>();
        before.fires().forEach(f -> alertIds.add(f.alertId()));
        during.fires().forEach(f -> alertIds.add(f.alertId()));
        List<String> indexedAlerts = IndexedDocuments.awaitIds(es.alertsIndex(), alertIds, PHASE_TIMEOUT);

        System.out.printf("elasticsearch outage: alert %d ms after the completing readings (bound %d ms); alerting "
                        + "job restarts %d; indexing job restarts during the outage %d; caught up %d ms after "
                        + "Elasticsearch came back%n", alertLatency.toMillis(),
                config.outOfOrderness().plusSeconds(2).toMillis(), restartsWhileDown, indexingRestarts, catchUp.toMillis());
        assertThat(alertLatency).as("alert latency with Elasticsearch down").isLessThan(config.outOfOrderness().plusSeconds(2));
        assertThat(restarts(alerting.getJobID())).as("alerting job restarts").isZero();
        assertThat(indexingRestarts).as("the indexing job was really hit").isPositive();
        assertThat(indexed).as("every reading indexed exactly once").hasSize(readingIds.size());
        assertThat(new HashSet<>(indexed)).isEqualTo(readingIds);
        assertThat(new HashSet<>(indexedAlerts)).isEqualTo(alertIds);
        inbox.pollFor(Duration.ofSeconds(3));
        Map<Fire, ?> received = inbox.byFire();
        assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(
                java.util.stream.Stream.concat(before.fires().stream(), during.fires().stream()).toList());
    }

    private JobClient startAlerting(AlertingConfig config) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.configure(Recovery.restartsAndCheckpoints(Duration.ofSeconds(1)));
        SnsSettings sns = SnsSettings.of(inbox.topicArn, LocalAws.REGION).withEndpoint(Service.SNS.endpoint()).checkReachable();
        new AlertingJob(config, new KinesisReadingsSource(LocalAws.kinesis(run)),
                AlertingSinks.incidentsTo(SnsAlertSink.incidentStreamSink(sns))).build(env);   // as run wires it
        return env.executeAsync("alerting " + run);
    }

    private JobClient startIndexing(AlertingConfig config) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        Configuration conf = Recovery.restartsAndCheckpoints(Duration.ofSeconds(1));
        // Restarts until the node is back, however long it takes; Flink's default strategy with checkpoints.
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, Duration.ofSeconds(1));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, Duration.ofSeconds(10));
        env.configure(conf);
        new AlertingJob(config, new KinesisReadingsSource(LocalAws.kinesis(run)),
                AlertingSinks.incidentsTo(ElasticsearchSinks.incidents(es))                     // as index wires it
                        .rawReadingsTo(ElasticsearchSinks.rawReadings(es, config.threshold()))).build(env);
        return env.executeAsync("indexing " + run);
    }

    private static long restarts(JobID job) {
        return Recovery.restarts(METRICS, job);
    }
}
