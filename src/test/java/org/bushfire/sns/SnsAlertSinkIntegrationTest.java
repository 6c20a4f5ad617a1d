package org.bushfire.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.bushfire.domain.Alert;
import org.bushfire.file.JsonLinesReadingsSource;
import org.bushfire.job.AlertingConfig;
import org.bushfire.job.AlertingJob;
import org.bushfire.job.AlertingSinks;
import org.bushfire.job.JobMetrics;
import org.bushfire.testing.AlertSubscription;
import org.bushfire.testing.LocalAws;
import org.bushfire.testing.LocalServices;
import org.bushfire.testing.TestCluster;
import org.bushfire.testing.ThrowawayCredentials;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The SNS sink against fauxqs (real SNS and SQS wire protocols, on 127.0.0.1 only): each test creates its own
 * topic with an SQS queue subscribed to it, runs a Flink job into the sink on a MiniCluster at parallelism 2, and
 * reads what a subscriber would receive. Subscriptions keep RawMessageDelivery off, so each SQS message is the
 * SNS envelope with Subject and MessageAttributes, and FIFO ids arrive as SQS system attributes.
 */
class SnsAlertSinkIntegrationTest {
    @RegisterExtension
    @Order(1)
    static final LocalServices SERVICES = LocalServices.of(LocalServices.Service.SNS);

    static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension MINI_CLUSTER = TestCluster.twoSlots(METRICS.addToConfiguration(new Configuration()));

    static final String REGION = "ap-southeast-2";
    static final URI ENDPOINT = LocalServices.Service.SNS.endpoint();
    static final Path REFERENCE = Path.of("examples", "reference-11-nodes.jsonl");
    /** The reference scenario's fire: network "default", root node 1 with its onset at 00:01 (batch 2). */
    static final String REFERENCE_ALERT_ID = Alert.idOf("default", "1", 1732147260000L);
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    @Order(3)
    static final ThrowawayCredentials CREDENTIALS = new ThrowawayCredentials();

    static SnsClient sns;
    static SqsClient sqs;

    @BeforeAll
    static void clients() {
        sns = LocalAws.snsClient(REGION);
        sqs = LocalAws.sqsClient(REGION);
    }

    @AfterAll
    static void closeClients() {
        sns.close();
        sqs.close();
    }

    // ------------------------------------------------------------------ delivery through the real job

    @Test
    void atLeastOncePublishesTheReferenceAlertToAFifoTopic() throws Exception {
        Subscriber subscriber = Subscriber.fifo();
        StreamExecutionEnvironment env = environment();

        JobExecutionResult result = runReferenceJob(env, settings(subscriber.topicArn, AlertDelivery.AT_LEAST_ONCE));

        assertThat(result.getAllAccumulatorResults()).containsEntry(JobMetrics.ALERTS, 1L);
        List<Message> messages = subscriber.receive(1);
        assertThat(messages).hasSize(1);
        assertReferenceAlert(messages.get(0));
        assertThat(counter(result.getJobID(), SnsAlertSink.ALERTS_PUBLISHED)).isEqualTo(1L);
        assertThat(counter(result.getJobID(), SnsAlertSink.ALERTS_UNDELIVERED)).isZero();
    }

    @Test
    void exactlyOncePublishesFromTheCommitterWhenTheCheckpointCompletes() throws Exception {
        Subscriber subscriber = Subscriber.fifo();
        StreamExecutionEnvironment env = environment();
        env.enableCheckpointing(100);

        JobExecutionResult result = runReferenceJob(env, settings(subscriber.topicArn, AlertDelivery.EXACTLY_ONCE));

        List<Message> messages = subscriber.receive(1);
        assertThat(messages).hasSize(1);
        assertReferenceAlert(messages.get(0));
        Map<String, Metric> published = METRICS.findMetrics(result.getJobID(), SnsAlertSink.ALERTS_PUBLISHED);
        assertThat(published.keySet()).as("published by the committer, not the writer")
                .isNotEmpty().allMatch(id -> id.contains("Committer"));
        assertThat(counter(result.getJobID(), SnsAlertSink.ALERTS_PUBLISHED)).isEqualTo(1L);
    }

    // ------------------------------------------------------------------ delivery of given alerts

    @Test
    void exactlyOnceCommitsEverythingPendingAtTheEndOfABoundedInput() throws Exception {
        Subscriber subscriber = Subscriber.fifo();
        StreamExecutionEnvironment env = environment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        Alert[] alerts = {
                AlertMessageTest.chain("ridge-7", true, 1, 2, 3, 4, 5),
                AlertMessageTest.chain("valley-2", false, 1, 2, 3, 4, 5),
                AlertMessageTest.chain("coast-1", false, 7, 8, 9, 10, 11)};

        JobExecutionResult result = run(env, settings(subscriber.topicArn, AlertDelivery.EXACTLY_ONCE), alerts);

        List<Message> messages = subscriber.receive(3);
        List<String> ids = new ArrayList<>();
        for (Message m : messages) {
            ids.add(envelope(m).at("/MessageAttributes/alertId/Value").asText());
        }
        assertThat(ids).containsExactlyInAnyOrder(alerts[0].alertId, alerts[1].alertId, alerts[2].alertId);
        assertThat(counter(result.getJobID(), SnsAlertSink.ALERTS_PUBLISHED)).isEqualTo(3L);
    }

    @Test
    void theSameAlertPublishedTwiceToAFifoTopicIsDeliveredOnce() throws Exception {
        Subscriber subscriber = Subscriber.fifo();
        Alert alert = AlertMessageTest.chain("ridge-7", false, 1, 2, 3, 4, 5);
        Alert replayed = AlertMessageTest.chain("ridge-7", false, 1, 2, 3, 4, 5);
        assertThat(replayed.alertId).isEqualTo(alert.alertId);

        JobExecutionResult result = run(environment(), settings(subscriber.topicArn, AlertDelivery.AT_LEAST_ONCE),
                alert, replayed);

        assertThat(counter(result.getJobID(), SnsAlertSink.ALERTS_PUBLISHED)).as("SNS accepted both").isEqualTo(2L);
        List<Message> messages = subscriber.receive(2);
        assertThat(messages).as("the deduplication id dropped the second").hasSize(1);
        assertThat(messages.get(0).attributesAsStrings()).containsEntry("MessageDeduplicationId", alert.alertId);
    }

    @Test
    void aStandardTopicGetsTheAlertWithItsMapLinkAndNoFifoIds() throws Exception {
        Subscriber subscriber = Subscriber.standard();
        Alert alert = AlertMessageTest.chain("ridge-7", true, 11, 12, 13, 14, 15);

        run(environment(), settings(subscriber.topicArn, AlertDelivery.AT_LEAST_ONCE), alert);

        List<Message> messages = subscriber.receive(1);
        assertThat(messages).hasSize(1);
        JsonNode envelope = envelope(messages.get(0));
        assertThat(envelope.get("Subject").asText()).isEqualTo("Bushfire alert: ridge-7 - fire spread through 5 sensors");
        assertThat(envelope.get("Message").asText())
                .contains("11 → 12 → 13 → 14 → 15")
                .contains("https://www.openstreetmap.org/?mlat=-33.74000&mlon=150.34000#map=14/-33.74000/150.34000");
        assertThat(envelope.at("/MessageAttributes/network/Value").asText()).isEqualTo("ridge-7");
        assertThat(messages.get(0).attributesAsStrings()).doesNotContainKeys("MessageGroupId", "MessageDeduplicationId");
    }

    // ------------------------------------------------------------------ restore

    @Test
    void atLeastOnceSendsAnAlertAgainAfterARestoreWithTheSameAlertId() throws Exception {
        Subscriber subscriber = Subscriber.standard();
        Alert alert = AlertMessageTest.chain("ridge-7", false, 1, 2, 3, 4, 5);
        StreamExecutionEnvironment env = environmentThatRestartsOnce();

        SnsAlertSink.streamSink(settings(subscriber.topicArn, AlertDelivery.AT_LEAST_ONCE))
                .attach(env.fromData(alert).flatMap(new FailOnceAfterForwarding()).name("fail once"));
        env.execute("alert, failure, restore");

        List<Message> messages = subscriber.receive(2);
        assertThat(messages).as("published before the failure, and again after the restore").hasSize(2);
        for (Message m : messages) {
            assertThat(envelope(m).at("/MessageAttributes/alertId/Value").asText()).isEqualTo(alert.alertId);
        }
    }

    @Test
    void exactlyOnceNeverSendsAnAlertWhoseCheckpointDidNotComplete() throws Exception {
        Subscriber subscriber = Subscriber.standard();
        Alert alert = AlertMessageTest.chain("ridge-7", false, 1, 2, 3, 4, 5);
        StreamExecutionEnvironment env = environmentThatRestartsOnce();
        env.enableCheckpointing(100);

        SnsAlertSink.streamSink(settings(subscriber.topicArn, AlertDelivery.EXACTLY_ONCE))
                .attach(env.fromData(alert).flatMap(new FailOnceAfterForwarding()).name("fail once"));
        env.execute("alert, failure, restore");

        List<Message> messages = subscriber.receive(2);
        assertThat(messages).as("the alert the failure rolled back was discarded, its replay published").hasSize(1);
        assertThat(envelope(messages.get(0)).at("/MessageAttributes/alertId/Value").asText()).isEqualTo(alert.alertId);
    }

    // ------------------------------------------------------------------ failing fast and failing loudly

    @Test
    void theStartUpCheckPassesForAnExistingTopic() {
        Subscriber subscriber = Subscriber.fifo();

        SnsSettings checked = settings(subscriber.topicArn, AlertDelivery.AT_LEAST_ONCE).checkReachable();

        assertThat(checked.topicArn()).isEqualTo(subscriber.topicArn);
    }

    @Test
    void theStartUpCheckNamesAMissingTopic() {
        String missing = "arn:aws:sns:" + REGION + ":000000000000:no-such-topic-" + unique();

        assertThatThrownBy(() -> settings(missing, AlertDelivery.AT_LEAST_ONCE).checkReachable())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("SNS topic " + missing + " does not exist")
                .hasMessageEndingWith("(--sns-topic-arn)");
    }

    @Test
    void theStartUpCheckNamesAnUnreachableEndpointWithinSeconds() throws IOException {
        URI nobody = URI.create("http://127.0.0.1:" + portWithNothingListening());
        SnsSettings settings = SnsSettings.of("arn:aws:sns:" + REGION + ":000000000000:alerts.fifo", REGION)
                .withEndpoint(nobody);

        long start = System.nanoTime();
        assertThatThrownBy(settings::checkReachable)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot reach SNS at " + nobody + " (--sns-endpoint)");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void exactlyOnceRefusesAStreamingJobWithoutCheckpoints() {
        StreamExecutionEnvironment env = environment();

        assertThatThrownBy(() -> SnsAlertSink.streamSink(
                        settings("arn:aws:sns:" + REGION + ":000000000000:alerts.fifo", AlertDelivery.EXACTLY_ONCE))
                .attach(env.fromData(AlertMessageTest.chain("ridge-7", false, 1, 2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--alert-delivery exactly-once")
                .hasMessageContaining("checkpointing is off");
    }

    @Test
    void anAlertToATopicThatDoesNotExistIsLoggedAndCountedNotDropped() throws Exception {
        String missing = "arn:aws:sns:" + REGION + ":000000000000:deleted-" + unique() + ".fifo";
        JobExecutionResult result;
        try (CapturedErrors errors = CapturedErrors.of(AlertPublisher.class)) {
            result = runReferenceJob(environment(), settings(missing, AlertDelivery.AT_LEAST_ONCE));

            assertThat(errors.messages()).hasSize(1);
            assertThat(errors.messages().get(0))
                    .contains("alert " + REFERENCE_ALERT_ID + " could NOT be delivered to SNS topic " + missing)
                    .contains("\"alertId\":\"" + REFERENCE_ALERT_ID + "\"")
                    .contains("\"chain\":[1,2,3,4,5]");
        }
        assertThat(result.getAllAccumulatorResults()).containsEntry(JobMetrics.ALERTS, 1L);
        assertThat(counter(result.getJobID(), SnsAlertSink.ALERTS_UNDELIVERED)).isEqualTo(1L);
        assertThat(counter(result.getJobID(), SnsAlertSink.ALERTS_PUBLISHED)).isZero();
    }

    @Test
    void exactlyOnceLogsAndCountsAnAlertToADeletedTopicInsteadOfRestartingForever() throws Exception {
        Subscriber subscriber = Subscriber.fifo();
        sns.deleteTopic(r -> r.topicArn(subscriber.topicArn));
        StreamExecutionEnvironment env = environment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        Alert alert = AlertMessageTest.chain("ridge-7", false, 1, 2, 3, 4, 5);
        JobExecutionResult result;
        try (CapturedErrors errors = CapturedErrors.of(AlertPublisher.class)) {
            result = run(env, settings(subscriber.topicArn, AlertDelivery.EXACTLY_ONCE), alert);

            // The log line is where the alert survives: it must carry the whole alert, not just its id.
            assertThat(errors.messages()).singleElement().asString()
                    .contains("alert " + alert.alertId + " could NOT be delivered").contains("Topic does not exist")
                    .contains("\"alertId\":\"" + alert.alertId + "\"").contains("\"network\":\"ridge-7\"");
        }
        // (Polling the deleted topic's queue could never fail: nothing reaches it.) The job ended instead of
        // restarting forever — run() returned — and counted the alert as undelivered, never as published.
        assertThat(counter(result.getJobID(), SnsAlertSink.ALERTS_UNDELIVERED)).isEqualTo(1L);
        assertThat(counter(result.getJobID(), SnsAlertSink.ALERTS_PUBLISHED)).isZero();
    }

    // ------------------------------------------------------------------ helpers

    static void assertReferenceAlert(Message message) throws IOException {
        JsonNode envelope = envelope(message);
        assertThat(envelope.get("Subject").asText()).isEqualTo("Bushfire alert: default - fire spread through 5 sensors");
        assertThat(envelope.get("Message").asText())
                .contains("1 → 2 → 3 → 4 → 5")
                .contains("1. sensor 1: onset 2024-11-21T00:01:00Z, 51.0 °C, no infector reported (ignition)")
                .contains("2. sensor 2: onset 2024-11-21T00:02:00Z, 52.0 °C, infected by 1, position unknown")
                .contains("Chain completed at 2024-11-21T00:04:00Z")
                .contains("Fire root: sensor 1")
                .contains("Map: no sensor of this chain reported a position.")
                .contains("Alert id: " + REFERENCE_ALERT_ID);
        assertThat(envelope.at("/MessageAttributes/alertId/Type").asText()).isEqualTo("String");
        assertThat(envelope.at("/MessageAttributes/alertId/Value").asText()).isEqualTo(REFERENCE_ALERT_ID);
        assertThat(envelope.at("/MessageAttributes/network/Value").asText()).isEqualTo("default");
        assertThat(envelope.at("/MessageAttributes/chainLength/Type").asText()).isEqualTo("Number");
        assertThat(envelope.at("/MessageAttributes/chainLength/Value").asText()).isEqualTo("5");
        assertThat(message.attributesAsStrings())
                .containsEntry("MessageGroupId", "default")
                .containsEntry("MessageDeduplicationId", REFERENCE_ALERT_ID);
    }

    static JsonNode envelope(Message message) throws IOException {
        JsonNode envelope = JSON.readTree(message.body());
        assertThat(envelope.get("Type").asText()).isEqualTo("Notification");
        return envelope;
    }

    static StreamExecutionEnvironment environment() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        return env;
    }

    /** Fixed-delay restarts, so a failure restores instead of ending the job. */
    static StreamExecutionEnvironment environmentThatRestartsOnce() {
        StreamExecutionEnvironment env = environment();
        Configuration restarts = new Configuration();
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        env.configure(restarts);
        return env;
    }

    /**
     * Passes each alert on, then fails the task in its first attempt. The sink is chained to it, so the alert has
     * been through the sink writer (published, or held for the checkpoint) when the failure strikes.
     */
    static final class FailOnceAfterForwarding extends RichFlatMapFunction<Alert, Alert> {
        @Override
        public void flatMap(Alert alert, Collector<Alert> out) {
            out.collect(alert);
            if (getRuntimeContext().getTaskInfo().getAttemptNumber() == 0) {
                throw new IllegalStateException("injected failure after alert " + alert.alertId);
            }
        }
    }

    static SnsSettings settings(String topicArn, AlertDelivery delivery) {
        return SnsSettings.of(topicArn, REGION).withEndpoint(ENDPOINT).withDelivery(delivery).withMaxAttempts(3);
    }

    /** The real path: the alerting job over the reference readings file, alerts to SNS. */
    static JobExecutionResult runReferenceJob(StreamExecutionEnvironment env, SnsSettings settings) throws Exception {
        new AlertingJob(AlertingConfig.defaults(), new JsonLinesReadingsSource(REFERENCE),
                AlertingSinks.alertsTo(SnsAlertSink.streamSink(settings))).build(env);
        return env.execute("reference alerts to SNS");
    }

    static JobExecutionResult run(StreamExecutionEnvironment env, SnsSettings settings, Alert... alerts) throws Exception {
        SnsAlertSink.streamSink(settings).attach(env.fromData(alerts));
        return env.execute("alerts to SNS");
    }

    /** The sum over the sink's subtasks (writers or committers) of one of its counters. */
    static long counter(JobID job, String name) {
        return counter(METRICS, job, name);
    }

    static long counter(InMemoryReporter metrics, JobID job, String name) {
        long total = 0;
        for (Metric metric : metrics.findMetrics(job, name).values()) {
            total += ((Counter) metric).getCount();
        }
        return total;
    }

    static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    static int portWithNothingListening() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The test's view of an {@link AlertSubscription}: what the queue received. */
    static final class Subscriber {
        final AlertSubscription subscription;
        final String topicArn;

        private Subscriber(AlertSubscription subscription) {
            this.subscription = subscription;
            this.topicArn = subscription.topicArn;
        }

        static Subscriber fifo() {
            return new Subscriber(AlertSubscription.fifo(sns, sqs, "bushfire-alerts-" + unique()));
        }

        static Subscriber standard() {
            return new Subscriber(AlertSubscription.standard(sns, sqs, "bushfire-alerts-" + unique()));
        }

        List<Message> receive(int expected) {
            return subscription.receive(sqs, expected);
        }
    }
}
