package org.bushfire.testing;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bushfire.kinesis.KinesisSettings;
import org.bushfire.kinesis.KinesisStreams;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Test-side access to the local AWS stand-ins. The job and the Kinesis helpers take credentials from the default
 * provider chain, like production; the stand-ins accept any, so tests set throwaway ones as system properties
 * ({@link ThrowawayCredentials}). The SNS and SQS clients of the tests themselves carry the same ones.
 */
public final class LocalAws {
    public static final String REGION = "us-east-1";
    private static final StaticCredentialsProvider THROWAWAY = StaticCredentialsProvider.create(
            AwsBasicCredentials.create(ThrowawayCredentials.KEY, ThrowawayCredentials.KEY));

    private LocalAws() {}

    /** A test's own SNS client for the local stand-in, in {@code region}. */
    public static SnsClient snsClient(String region) {
        return SnsClient.builder().region(Region.of(region)).endpointOverride(LocalServices.Service.SNS.endpoint())
                .credentialsProvider(THROWAWAY).build();
    }

    /** A test's own SQS client for the local stand-in (fauxqs serves SQS beside SNS), in {@code region}. */
    public static SqsClient sqsClient(String region) {
        return SqsClient.builder().region(Region.of(region)).endpointOverride(LocalServices.Service.SNS.endpoint())
                .credentialsProvider(THROWAWAY).build();
    }

    public static KinesisSettings kinesis(String stream) {
        KinesisSettings settings = new KinesisSettings();
        settings.stream = stream;
        settings.region = REGION;
        settings.endpoint = LocalServices.Service.KINESIS.endpoint();
        settings.initialPosition = KinesisSettings.InitialPosition.TRIM_HORIZON;
        return settings;
    }

    public static KinesisClient kinesisClient(URI endpoint) {
        KinesisSettings settings = kinesis("unused");
        settings.endpoint = endpoint;
        return KinesisStreams.client(settings, Duration.ofSeconds(30));
    }

    /** Creates a stream and waits until it is active. */
    public static void createStream(KinesisClient kinesis, String stream, int shards) throws InterruptedException {
        kinesis.createStream(b -> b.streamName(stream).shardCount(shards));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (kinesis.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamStatus()
                != StreamStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("stream " + stream + " did not become active");
            }
            Thread.sleep(100);
        }
    }

    /** Puts lines as records, in order, a node's readings under one partition key so they stay in order. */
    public static void put(KinesisClient kinesis, String stream, List<String> lines) {
        List<PutRecordsRequestEntry> batch = new ArrayList<>();
        for (String line : lines) {
            batch.add(PutRecordsRequestEntry.builder()
                    .partitionKey(partitionKeyOf(line))
                    .data(SdkBytes.fromString(line, StandardCharsets.UTF_8))
                    .build());
            if (batch.size() == 100) {
                send(kinesis, stream, batch);
            }
        }
        if (!batch.isEmpty()) {
            send(kinesis, stream, batch);
        }
    }

    private static void send(KinesisClient kinesis, String stream, List<PutRecordsRequestEntry> batch) {
        PutRecordsResponse response = kinesis.putRecords(b -> b.streamName(stream).records(batch));
        if (response.failedRecordCount() != null && response.failedRecordCount() > 0) {
            throw new IllegalStateException(response.failedRecordCount() + " records failed: " + response.records());
        }
        batch.clear();
    }

    private static String partitionKeyOf(String line) {
        int node = line.indexOf("\"node\":");
        if (node < 0) {
            return "malformed";
        }
        int end = line.indexOf(',', node);
        return end < 0 ? line : line.substring(node, end);
    }
}
