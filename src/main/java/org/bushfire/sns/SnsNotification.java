package org.bushfire.sns;

import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * One publish to SNS, decided before it is sent: an {@link AlertMessage} (the alert path), or an
 * {@link IncidentNotice} (an incident message, or its CAP document for the CAP topic). It is what the at-least-once
 * writer publishes and what the exactly-once writer hands to Flink as a committable, so it holds only plain
 * values; the AWS request is built from it when it is sent.
 */
interface SnsNotification {
    /** What it is, for the log: {@code alert}, {@code incident message}, {@code CAP document}. */
    String kind();

    /** Its deterministic id: the alertId or the incident message id. */
    String id();

    /** A few words for the log line of a successful publish (network, sensors). */
    String describe();

    /** The whole record as JSON: logged at ERROR when it cannot be delivered, so an operator can still act on it. */
    String recordJson();

    /** The topic it goes to, among those of the settings. */
    String topicArn(SnsSettings settings);

    PublishRequest request(SnsSettings settings);
}
