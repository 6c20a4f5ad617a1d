package org.bushfire.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.connector.sink2.Committer.CommitRequest;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.bushfire.domain.Alert;
import org.bushfire.job.JobMetrics;
import org.bushfire.testing.ThrowawayCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What the sink does when SNS misbehaves, against a scripted SNS on 127.0.0.1 that answers Publish with the
 * responses a test queues (then success): which failures the SDK retries, how often, and what the at-least-once
 * writer and exactly-once committer do with what is left.
 */
class SnsFailuresTest {
    @RegisterExtension
    static final ThrowawayCredentials CREDENTIALS = new ThrowawayCredentials();

    static final String REGION = "ap-southeast-2";
    static final String TOPIC = "arn:aws:sns:" + REGION + ":000000000000:bushfire-alerts.fifo";

    ScriptedSns server;
    RecordingMetrics metrics;

    @BeforeEach
    void start() throws IOException {
        server = new ScriptedSns();
        metrics = new RecordingMetrics();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void serverErrorsAreRetriedByTheSdkUpToMaxAttempts() {
        server.fail(10, 503, "ServiceUnavailable", "down for maintenance");

        try (AlertPublisher publisher = AlertPublisher.open(settings(3), metrics)) {
            assertThatThrownBy(() -> publisher.publish(message()))
                    .isInstanceOfSatisfying(SdkException.class, e -> assertThat(AlertPublisher.isTransient(e)).isTrue());
        }
        assertThat(server.publishes()).isEqualTo(3);
    }

    @Test
    void throttlingIsRetriedUntilSnsAcceptsTheAlert() throws Exception {
        server.fail(2, 429, "Throttled", "Rate exceeded"); // SNS's ThrottledException

        try (AlertPublisher publisher = AlertPublisher.open(settings(4), metrics)) {
            publisher.publish(message());
        }
        assertThat(server.publishes()).isEqualTo(3);
        assertThat(metrics.count(SnsAlertSink.ALERTS_PUBLISHED)).isEqualTo(1);
    }

    @Test
    void aMissingTopicIsNotRetried() {
        server.fail(10, 404, "NotFound", "Topic does not exist");

        try (AlertPublisher publisher = AlertPublisher.open(settings(5), metrics)) {
            assertThatThrownBy(() -> publisher.publish(message()))
                    .isInstanceOfSatisfying(SdkException.class, e -> assertThat(AlertPublisher.isTransient(e)).isFalse());
        }
        assertThat(server.publishes()).isEqualTo(1);
    }

    @Test
    void aFifoPublishCarriesNetworkAsGroupAndAlertIdAsDeduplicationId() throws Exception {
        AlertMessage message = message();

        try (AlertPublisher publisher = AlertPublisher.open(settings(1), metrics)) {
            publisher.publish(message);
        }
        Map<String, String> form = server.lastPublish();
        assertThat(form).containsEntry("TopicArn", TOPIC)
                .containsEntry("MessageGroupId", "ridge-7")
                .containsEntry("MessageDeduplicationId", message.alertId())
                .containsEntry("Subject", "Bushfire alert: ridge-7 - fire spread through 5 sensors");
    }

    @Test
    void atLeastOnceLogsAndCountsWhatTheRetriesCouldNotDeliver() throws Exception {
        server.fail(10, 503, "ServiceUnavailable", "down");
        PublishingAlertWriter<Alert> writer = new PublishingAlertWriter<>(AlertPublisher.open(settings(2), metrics),
                Notifications.ofAlerts());
        Alert alert = AlertMessageTest.chain("ridge-7", false, 1, 2, 3, 4, 5);

        try (CapturedErrors errors = CapturedErrors.of(AlertPublisher.class)) {
            writer.write(alert, null);

            assertThat(errors.messages()).singleElement().asString()
                    .contains("alert " + alert.alertId + " could NOT be delivered")
                    .contains("\"alertId\":\"" + alert.alertId + "\"");
        } finally {
            writer.close();
        }
        assertThat(metrics.count(SnsAlertSink.ALERTS_UNDELIVERED)).isEqualTo(1);
        assertThat(metrics.count(SnsAlertSink.ALERTS_PUBLISHED)).isZero();
    }

    @Test
    void exactlyOnceRetriesTheCommitWhenSnsIsDown() throws Exception {
        server.fail(10, 503, "ServiceUnavailable", "down");
        RecordedRequest request = new RecordedRequest(message());

        try (AlertCommitter committer = new AlertCommitter(AlertPublisher.open(settings(2), metrics))) {
            committer.commit(List.of(request));
        }
        assertThat(request.retriedLater).as("kept for Flink to commit again").isTrue();
        assertThat(request.failed).isFalse();
        assertThat(metrics.count(SnsAlertSink.ALERTS_UNDELIVERED)).isZero();
    }

    @Test
    void exactlyOnceLogsAndCountsAnAlertSnsRefusesAndLetsTheCommitSucceed() throws Exception {
        server.fail(10, 404, "NotFound", "Topic does not exist");
        RecordedRequest request = new RecordedRequest(message());

        try (AlertCommitter committer = new AlertCommitter(AlertPublisher.open(settings(2), metrics))) {
            committer.commit(List.of(request));
        }
        assertThat(request.retriedLater).isFalse();
        assertThat(request.failed).isFalse();
        assertThat(metrics.count(SnsAlertSink.ALERTS_UNDELIVERED)).isEqualTo(1);
    }

    @Test
    void exactlyOncePublishesTheNextAlertsOfACommitAfterARefusedOne() throws Exception {
        server.fail(1, 400, "InvalidParameter", "Invalid parameter: Message");
        RecordedRequest refused = new RecordedRequest(message());
        RecordedRequest next = new RecordedRequest(AlertMessage.of(AlertMessageTest.chain("valley-2", false, 1, 2, 3)));

        try (AlertCommitter committer = new AlertCommitter(AlertPublisher.open(settings(2), metrics))) {
            committer.commit(List.of(refused, next));
        }
        assertThat(server.publishes()).isEqualTo(2);
        assertThat(metrics.count(SnsAlertSink.ALERTS_UNDELIVERED)).isEqualTo(1);
        assertThat(metrics.count(SnsAlertSink.ALERTS_PUBLISHED)).isEqualTo(1);
        assertThat(next.retriedLater).isFalse();
    }

    SnsSettings settings(int maxAttempts) {
        return SnsSettings.of(TOPIC, REGION).withEndpoint(server.endpoint()).withMaxAttempts(maxAttempts);
    }

    static AlertMessage message() {
        return AlertMessage.of(AlertMessageTest.chain("ridge-7", false, 1, 2, 3, 4, 5));
    }

    /** A commit request as Flink's committer operator hands it over, recording what the committer decided. */
    static final class RecordedRequest implements CommitRequest<AlertMessage> {
        final AlertMessage message;
        boolean retriedLater;
        boolean failed;

        RecordedRequest(AlertMessage message) {
            this.message = message;
        }

        @Override
        public AlertMessage getCommittable() {
            return message;
        }

        @Override
        public int getNumberOfRetries() {
            return 0;
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            failed = true;
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            failed = true;
        }

        @Override
        public void retryLater() {
            retriedLater = true;
        }

        @Override
        public void updateAndRetryLater(AlertMessage committable) {
            retriedLater = true;
        }

        @Override
        public void signalAlreadyCommitted() {}
    }

    /** The {@code bushfire} counters, readable by name. */
    static final class RecordingMetrics extends UnregisteredMetricsGroup {
        private final Map<String, Counter> counters = new HashMap<>();

        @Override
        public MetricGroup addGroup(String name) {
            assertThat(name).isEqualTo(JobMetrics.GROUP);
            return this;
        }

        @Override
        public Counter counter(String name) {
            return counters.computeIfAbsent(name, n -> new SimpleCounter());
        }

        long count(String name) {
            return counters.get(name).getCount();
        }
    }

    /** SNS's query protocol on 127.0.0.1: queued failures first, then a successful Publish. */
    static final class ScriptedSns implements AutoCloseable {
        private final HttpServer http;
        private final List<int[]> statusQueue = new ArrayList<>();
        private final List<String[]> errorQueue = new ArrayList<>();
        private final AtomicInteger publishes = new AtomicInteger();
        private final List<Map<String, String>> forms = new CopyOnWriteArrayList<>();

        ScriptedSns() throws IOException {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.createContext("/", exchange -> {
                Map<String, String> form = form(exchange.getRequestBody());
                int status = 200;
                String body;
                synchronized (this) {
                    if ("Publish".equals(form.get("Action"))) {
                        publishes.incrementAndGet();
                        forms.add(form);
                    }
                    if (!statusQueue.isEmpty()) {
                        status = statusQueue.remove(0)[0];
                        String[] error = errorQueue.remove(0);
                        body = "<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>"
                                + (status >= 500 ? "Receiver" : "Sender") + "</Type><Code>" + error[0]
                                + "</Code><Message>" + error[1] + "</Message></Error><RequestId>r</RequestId></ErrorResponse>";
                    } else {
                        body = "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
                                + "<MessageId>m-" + publishes.get() + "</MessageId></PublishResult>"
                                + "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>";
                    }
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/xml");
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
            http.start();
        }

        URI endpoint() {
            return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
        }

        /** The next {@code times} requests fail with this status and error code. */
        synchronized void fail(int times, int status, String code, String message) {
            for (int i = 0; i < times; i++) {
                statusQueue.add(new int[] {status});
                errorQueue.add(new String[] {code, message});
            }
        }

        int publishes() {
            return publishes.get();
        }

        Map<String, String> lastPublish() {
            return forms.get(forms.size() - 1);
        }

        private static Map<String, String> form(InputStream in) throws IOException {
            Map<String, String> form = new HashMap<>();
            for (String pair : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return form;
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }
}
