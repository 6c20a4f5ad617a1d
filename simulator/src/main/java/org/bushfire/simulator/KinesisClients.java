package org.bushfire.simulator;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** The simulator's Kinesis client, and the check that its stream can be written to before a run starts. */
public final class KinesisClients {
    private KinesisClients() {}

    /**
     * Credentials from the AWS default provider chain. The SDK's standard retry strategy retries throttling,
     * 5xx and I/O errors of whole requests, backing off longer on throttling; {@code maxAttempts} in all.
     */
    public static KinesisClient client(String region, URI endpoint, int maxAttempts) {
        KinesisClientBuilder builder = KinesisClient.builder()
                .region(Region.of(region))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(maxAttempts)
                                .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(100),
                                        Duration.ofSeconds(5)))
                                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(500),
                                        Duration.ofSeconds(20)))
                                .build())
                        .apiCallAttemptTimeout(Duration.ofSeconds(15))
                        .build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }

    /**
     * Waits (up to {@code patience}) while the stream is being created or updated; fails within seconds, with a
     * message naming the option to fix, when it does not exist, is being deleted, or cannot be reached.
     */
    public static void awaitWritable(String stream, String region, URI endpoint, Duration patience)
            throws InterruptedException {
        try (KinesisClient impatient = client(region, endpoint, 2)) {
            awaitWritable(impatient, stream, region, endpoint, patience);
        }
    }

    static void awaitWritable(KinesisClient kinesis, String stream, String region, URI endpoint, Duration patience)
            throws InterruptedException {
        String where = " in region " + region + (endpoint == null ? "" : " at " + endpoint);
        DescribeStreamSummaryRequest request = stream.startsWith("arn:")
                ? DescribeStreamSummaryRequest.builder().streamARN(stream).build()
                : DescribeStreamSummaryRequest.builder().streamName(stream).build();
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            StreamStatus status;
            try {
                status = kinesis.describeStreamSummary(request).streamDescriptionSummary().streamStatus();
            } catch (ResourceNotFoundException e) {
                throw new IllegalArgumentException("Kinesis stream '" + stream + "' does not exist" + where
                        + " (check --stream, --region and --endpoint)");
            } catch (KinesisException e) {
                throw new IllegalArgumentException("Kinesis refused to describe stream '" + stream + "'" + where + ": "
                        + e.awsErrorDetails().errorMessage() + " (check --stream, --region and the credentials)");
            } catch (SdkClientException e) {
                throw new IllegalArgumentException("cannot reach Kinesis" + where + ": " + e.getMessage()
                        + " (check --endpoint and --region)");
            }
            if (status == StreamStatus.ACTIVE || status == StreamStatus.UPDATING) {
                return;
            }
            if (status == StreamStatus.DELETING) {
                throw new IllegalArgumentException("Kinesis stream '" + stream + "' is being deleted" + where);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalArgumentException("Kinesis stream '" + stream + "' is still " + status + where
                        + " after " + patience.toSeconds() + "s");
            }
            Thread.sleep(250);
        }
    }
}
