package org.bushfire.cli;

import java.net.URI;
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

    SnsSettings toSettings(String region) {
        SnsSettings settings = SnsSettings.of(topicArn, region).withDelivery(delivery).withMaxAttempts(maxAttempts);
        if (endpoint != null) {
            settings = settings.withEndpoint(endpoint);
        }
        return settings.validate();
    }

    static final class DeliveryConverter implements picocli.CommandLine.ITypeConverter<AlertDelivery> {
        @Override
        public AlertDelivery convert(String value) {
            return AlertDelivery.fromCliName(value);
        }
    }
}
