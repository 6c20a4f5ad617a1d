package org.bushfire.sns;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.bushfire.job.JobMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishResponse;

/**
 * Publishes alert and incident notifications with one SNS client, and keeps the two counters every operator of
 * the sink reports under the {@code bushfire} metric group: {@code alertsPublished} and {@code alertsUndelivered}
 * (one count per publish: an incident message and, with a CAP topic, its CAP document are two).
 * One per sink writer (at-least-once) or committer (exactly-once); never shared, never static.
 */
final class AlertPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertPublisher.class);

    private final SnsSettings settings;
    private final DefaultCredentialsProvider credentials;
    private final SnsClient client;
    private final Counter published;
    private final Counter undelivered;

    private AlertPublisher(SnsSettings settings, MetricGroup metrics) {
        this.settings = settings;
        MetricGroup group = metrics.addGroup(JobMetrics.GROUP);
        this.published = group.counter(SnsAlertSink.ALERTS_PUBLISHED);
        this.undelivered = group.counter(SnsAlertSink.ALERTS_UNDELIVERED);
        this.credentials = DefaultCredentialsProvider.builder().build();
        this.client = SnsClients.forAlerts(settings, credentials);
    }

    static AlertPublisher open(SnsSettings settings, MetricGroup metrics) {
        return new AlertPublisher(settings, metrics);
    }

    /**
     * Publishes, with the SDK's retries and backoff; what still fails afterwards is thrown for the caller to decide.
     *
     * @throws InterruptedException when the task is being cancelled mid-publish: not a delivery failure, the
     *     restore that follows brings the message back
     */
    void publish(SnsNotification message) throws InterruptedException {
        PublishResponse response;
        try {
            response = client.publish(message.request(settings));
        } catch (AbortedException e) {
            InterruptedException interrupted = new InterruptedException("publishing " + message.kind() + " "
                    + message.id() + " was interrupted");
            interrupted.initCause(e);
            throw interrupted;
        }
        published.inc();
        LOG.info("{} {} ({}) published to {} as message {}", message.kind(), message.id(), message.describe(),
                message.topicArn(settings), response.messageId());
    }

    /** Never silent: the whole record goes to the log, so an operator can still act on it, and the counter rises. */
    void reportUndelivered(SnsNotification message, SdkException cause) {
        undelivered.inc();
        LOG.error("{} {} could NOT be delivered to SNS topic {}: {}. Record: {}", message.kind(), message.id(),
                message.topicArn(settings), cause.getMessage(), message.recordJson());
    }

    /** Throttling, 5xx and I/O failures may pass; anything else (no topic, access denied, bad request) will not. */
    static boolean isTransient(SdkException e) {
        if (e instanceof AwsServiceException) {
            AwsServiceException service = (AwsServiceException) e;
            return service.isThrottlingException() || service.statusCode() >= 500;
        }
        return e instanceof SdkClientException;
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            credentials.close();
        }
    }
}
