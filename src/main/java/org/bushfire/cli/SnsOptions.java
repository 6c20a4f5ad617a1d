package org.bushfire.cli;

import java.net.URI;
import org.bushfire.cap.CapSettings;
import org.bushfire.sns.AlertDelivery;
import org.bushfire.sns.SnsSettings;
import picocli.CommandLine.Option;

/** Where alerts are published. */
public final class SnsOptions {
    @Option(names = "--sns-topic-arn", required = true, paramLabel = "ARN",
            description = "SNS topic alerts are published to (a .fifo topic gets group = network, dedup id = alertId).")
    String topicArn;

    @Option(names = "--sns-endpoint", paramLabel = "URL",
            description = "SNS endpoint override, for a local stand-in (e.g. http://127.0.0.1:4575).")
    URI endpoint;

    @Option(names = "--alert-delivery", paramLabel = "MODE", defaultValue = "at-least-once",
            converter = DeliveryConverter.class,
            description = "at-least-once: publish at once; a restore may re-send with the same alertId. "
                    + "exactly-once: publish when the checkpoint that produced the alert completes "
                    + "(default: at-least-once).")
    AlertDelivery delivery;

    @Option(names = "--sns-max-attempts", paramLabel = "N", defaultValue = "6",
            description = "Attempts per alert, with backoff, on throttling and 5xx (default: ${DEFAULT-VALUE}).")
    int maxAttempts;

    @Option(names = "--cap-topic-arn", paramLabel = "ARN",
            description = "Also publish each incident message's CAP 1.2 document (XML) to this topic, for agencies' "
                    + "CAP ingest (a .fifo topic gets group = network, dedup id = message id).")
    String capTopicArn;

    @Option(names = "--cap-sender", paramLabel = "ID", defaultValue = CapSettings.DEFAULT_SENDER,
            description = "The CAP sender of the CAP documents, e.g. bushfire-alerts@agency.example: no spaces, "
                    + "commas, '<' or '&' (default: ${DEFAULT-VALUE}).")
    String capSender;

    @Option(names = "--cap-status", paramLabel = "STATUS", defaultValue = "Actual",
            converter = CapStatusConverter.class,
            description = "CAP status: Actual for a deployed mesh, Exercise for simulated and demo data "
                    + "(default: ${DEFAULT-VALUE}).")
    CapSettings.Status capStatus;

    SnsSettings toSettings(String region) {
        SnsSettings settings = SnsSettings.of(topicArn, region).withDelivery(delivery).withMaxAttempts(maxAttempts)
                .withCapTopicArn(capTopicArn).withCap(CapSettings.of(capSender, capStatus));
        if (endpoint != null) {
            settings = settings.withEndpoint(endpoint);
        }
        return settings.validate();
    }

    static final class CapStatusConverter implements picocli.CommandLine.ITypeConverter<CapSettings.Status> {
        @Override
        public CapSettings.Status convert(String value) {
            return CapSettings.Status.fromCliName(value);
        }
    }

    static final class DeliveryConverter implements picocli.CommandLine.ITypeConverter<AlertDelivery> {
        @Override
        public AlertDelivery convert(String value) {
            return AlertDelivery.fromCliName(value);
        }
    }
}
