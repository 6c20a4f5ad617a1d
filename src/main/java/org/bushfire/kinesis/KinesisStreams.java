package org.bushfire.kinesis;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;

/** Start-up checks against Kinesis with the AWS SDK v2, so a wrong stream or endpoint fails fast and says so. */
public final class KinesisStreams {
    private KinesisStreams() {}

    /** A client for the settings' region and endpoint, credentials from the default provider chain. */
    public static KinesisClient client(KinesisSettings settings, Duration callTimeout) {
        KinesisClientBuilder builder = KinesisClient.builder()
                .region(Region.of(settings.region))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(callTimeout)
                        .apiCallAttemptTimeout(callTimeout.dividedBy(2))
                        .build());
        if (settings.endpoint != null) {
            builder.endpointOverride(settings.endpoint);
        }
        return builder.build();
    }

    /** The stream's ARN; fails with a message naming the option to fix when the stream cannot be read. */
    public static String describe(KinesisSettings settings) {
        DescribeStreamSummaryRequest.Builder request = DescribeStreamSummaryRequest.builder();
        if (settings.stream.startsWith("arn:")) {
            request.streamARN(settings.stream);
        } else {
            request.streamName(settings.stream);
        }
        try (KinesisClient kinesis = client(settings, Duration.ofSeconds(10))) {
            StreamDescriptionSummary summary = kinesis.describeStreamSummary(request.build()).streamDescriptionSummary();
            return summary.streamARN();
        } catch (ResourceNotFoundException e) {
            throw new IllegalArgumentException("Kinesis stream '" + settings.stream + "' does not exist in region "
                    + settings.region + where(settings) + " (check --stream and --region)");
        } catch (KinesisException e) {
            throw new IllegalArgumentException("Kinesis refused to describe stream '" + settings.stream + "'"
                    + where(settings) + ": " + e.awsErrorDetails().errorMessage()
                    + " (check --stream, --region and the credentials' permissions)");
        } catch (SdkClientException e) {
            throw new IllegalArgumentException("cannot reach Kinesis" + where(settings) + ": " + e.getMessage()
                    + " (check --kinesis-endpoint and --region)");
        }
    }

    private static String where(KinesisSettings settings) {
        return settings.endpoint == null ? "" : " at " + settings.endpoint;
    }
}
