package org.bushfire.sns;

import java.util.Map;
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
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.PublishResponse;

/**
 * Publishes alert messages to the topic with one SNS client, and keeps the two counters every operator of the
 * sink reports under the {@code bushfire} metric group: {@code alertsPublished} and {@code alertsUndelivered}.
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
     *     restore that follows brings the alert back
     */
    void publish(AlertMessage message) throws InterruptedException {
        PublishResponse response;
        try {
            response = client.publish(request(settings, message));
        } catch (AbortedException e) {
            InterruptedException interrupted = new InterruptedException("publishing alert " + message.alertId() + " was interrupted");
            interrupted.initCause(e);
            throw interrupted;
        }
        published.inc();
        LOG.info("alert {} ({}, {} sensors) published to {} as message {}", message.alertId(),
                AlertMessage.displayed(message.network()), message.chainLength(), settings.topicArn(), response.messageId());
    }

    /** Never silent: the whole alert goes to the log, so an operator can still act on it, and the counter rises. */
    void reportUndelivered(AlertMessage message, SdkException cause) {
        undelivered.inc();
        LOG.error("alert {} could NOT be delivered to SNS topic {}: {}. Alert: {}",
                message.alertId(), settings.topicArn(), cause.getMessage(), message.alertJson());
    }

    /** Throttling, 5xx and I/O failures may pass; anything else (no topic, access denied, bad request) will not. */
    static boolean isTransient(SdkException e) {
        if (e instanceof AwsServiceException) {
            AwsServiceException service = (AwsServiceException) e;
            return service.isThrottlingException() || service.statusCode() >= 500;
        }
        return e instanceof SdkClientException;
    }

    static PublishRequest request(SnsSettings settings, AlertMessage message) {
        PublishRequest.Builder request = PublishRequest.builder()
                .topicArn(settings.topicArn())
                .subject(message.subject())
                .message(message.body())
                .messageAttributes(Map.of(
                        AlertMessage.ALERT_ID, text(message.alertId()),
                        AlertMessage.NETWORK, text(message.network()),
                        AlertMessage.CHAIN_LENGTH, number(message.chainLength())));
        if (settings.isFifoTopic()) {
            request.messageGroupId(message.fifoGroupId()).messageDeduplicationId(message.fifoDeduplicationId());
        }
        return request.build();
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    private static MessageAttributeValue number(long value) {
        return MessageAttributeValue.builder().dataType("Number").stringValue(Long.toString(value)).build();
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
