package org.bushfire.cli;

import java.net.URI;
import java.time.Instant;
import org.bushfire.kinesis.KinesisSettings;
import picocli.CommandLine.Option;

/** Where readings come from. Credentials come from the AWS default provider chain, never from options. */
public final class KinesisOptions {
    @Option(names = "--stream", required = true, paramLabel = "NAME|ARN",
            description = "Kinesis stream of readings (name or ARN).")
    String stream;

    @Option(names = "--region", paramLabel = "REGION", defaultValue = "${env:AWS_REGION}",
            description = "AWS region of the stream and the topic (default: $AWS_REGION).")
    String region;

    @Option(names = "--kinesis-endpoint", paramLabel = "URL",
            description = "Kinesis endpoint override, for a local stand-in (e.g. http://127.0.0.1:4568).")
    URI endpoint;

    @Option(names = "--initial-position", paramLabel = "POSITION", defaultValue = "LATEST",
            description = "Where a job without a checkpoint starts: LATEST, TRIM_HORIZON or AT_TIMESTAMP "
                    + "(default: ${DEFAULT-VALUE}).")
    KinesisSettings.InitialPosition initialPosition;

    @Option(names = "--initial-timestamp", paramLabel = "ISO-8601",
            description = "With AT_TIMESTAMP: the instant to start from, e.g. 2024-11-21T00:00:00Z.")
    Instant initialTimestamp;

    @Option(names = "--kinesis-reader", paramLabel = "polling|efo", defaultValue = "polling",
            converter = ReaderConverter.class,
            description = "polling (GetRecords, shared throughput) or efo (enhanced fan-out) (default: polling).")
    KinesisSettings.Reader reader;

    @Option(names = "--efo-consumer-name", paramLabel = "NAME", defaultValue = "bushfire-alerting",
            description = "Enhanced fan-out consumer name (default: ${DEFAULT-VALUE}).")
    String efoConsumerName;

    KinesisSettings toSettings() {
        KinesisSettings settings = new KinesisSettings();
        settings.stream = stream;
        settings.region = region;
        settings.endpoint = endpoint;
        settings.initialPosition = initialPosition;
        settings.initialTimestamp = initialTimestamp;
        settings.reader = reader;
        settings.efoConsumerName = efoConsumerName;
        return settings.validate();
    }

    static final class ReaderConverter implements picocli.CommandLine.ITypeConverter<KinesisSettings.Reader> {
        @Override
        public KinesisSettings.Reader convert(String value) {
            switch (value.trim().toLowerCase()) {
                case "polling": return KinesisSettings.Reader.POLLING;
                case "efo": return KinesisSettings.Reader.EFO;
                default: throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not polling or efo");
            }
        }
    }
}
