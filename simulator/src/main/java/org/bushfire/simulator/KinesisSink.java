package org.bushfire.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Readings into a Kinesis stream with {@code PutRecords}, in batches of up to 500 records and 5 MB.
 *
 * <p>Order. The partition key is the sensor ({@code network/node}), so a sensor's readings land on one shard.
 * A batch never holds two readings of one sensor, and a batch is finished — its failed entries resent — before
 * the next one starts, so a sensor's readings reach its shard in the order they were sent even when some fail.
 *
 * <p>Failures. A whole request refused for throttling, a 5xx or an I/O error is retried by the SDK's own retry
 * strategy (see {@link KinesisClients#client}). A request that succeeds with {@code FailedRecordCount > 0}
 * (an entry throttled by its shard, or an internal failure) has only its failed entries resent, after a jittered
 * exponential backoff, at most {@code maxAttempts} times in all; then the run fails naming the error codes.
 */
public final class KinesisSink implements ReadingSink {
    public static final int MAX_RECORDS = 500;
    public static final int MAX_REQUEST_BYTES = 5 * 1024 * 1024;
    public static final int MAX_RECORD_BYTES = 1024 * 1024;

    /** The one call the sink makes: a Kinesis client's, or a test's. */
    @FunctionalInterface
    public interface PutRecords {
        PutRecordsResponse putRecords(PutRecordsRequest request);
    }

    /** How the sink waits between resends (a test's records the waits instead). */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** Resends of failed entries: attempts in all, first and longest backoff. */
    public record Retry(int maxAttempts, Duration firstBackoff, Duration maxBackoff) {
        public static final Retry DEFAULT = new Retry(8, Duration.ofMillis(100), Duration.ofSeconds(5));

        public Retry {
            if (maxAttempts < 1 || maxAttempts > 100) {
                throw new IllegalArgumentException("--max-attempts must be between 1 and 100 (was " + maxAttempts + ")");
            }
        }

        /** Attempt {@code n} (1 = the first resend) waits between half and all of first · 2^(n−1), capped. */
        Duration backoff(int n) {
            long cap = Math.min(maxBackoff.toMillis(), firstBackoff.toMillis() << Math.min(20, n - 1));
            long half = cap / 2;
            return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(cap - half + 1));
        }
    }

    /** The entries of one batch still failed after every attempt. */
    public static final class PutFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PutFailed(String message) {
            super(message);
        }
    }

    private final PutRecords client;
    private final String stream;
    private final int batchSize;
    private final Retry retry;
    private final Sleeper sleeper;
    private final List<PutRecordsRequestEntry> batch = new ArrayList<>();
    private final Set<String> keysInBatch = new HashSet<>();
    private long batchBytes;
    private long requests;
    private long resentRecords;

    public KinesisSink(PutRecords client, String stream, int batchSize, Retry retry, Sleeper sleeper) {
        if (batchSize < 1 || batchSize > MAX_RECORDS) {
            throw new IllegalArgumentException("--batch-size must be between 1 and " + MAX_RECORDS + " (was " + batchSize + ")");
        }
        this.client = client;
        this.stream = stream;
        this.batchSize = batchSize;
        this.retry = retry;
        this.sleeper = sleeper;
    }

    @Override
    public void send(String line, String partitionKey) {
        byte[] data = line.getBytes(StandardCharsets.UTF_8);
        long size = data.length + partitionKey.getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("a record of " + size + " bytes is over Kinesis' 1 MB limit");
        }
        if (batch.size() == batchSize || batchBytes + size > MAX_REQUEST_BYTES || keysInBatch.contains(partitionKey)) {
            flush();
        }
        batch.add(PutRecordsRequestEntry.builder().partitionKey(partitionKey).data(SdkBytes.fromByteArray(data)).build());
        keysInBatch.add(partitionKey);
        batchBytes += size;
    }

    @Override
    public void flush() {
        if (batch.isEmpty()) {
            return;
        }
        List<PutRecordsRequestEntry> pending = new ArrayList<>(batch);
        batch.clear();
        keysInBatch.clear();
        batchBytes = 0;
        for (int attempt = 1; ; attempt++) {
            PutRecordsResponse response = client.putRecords(request(pending));
            requests++;
            Integer failedCount = response.failedRecordCount();
            if (failedCount == null || failedCount == 0) {
                return;
            }
            List<PutRecordsRequestEntry> failed = new ArrayList<>();
            Set<String> codes = new TreeSet<>();
            List<PutRecordsResultEntry> results = response.records();
            for (int i = 0; i < pending.size(); i++) {
                PutRecordsResultEntry result = i < results.size() ? results.get(i) : null;
                if (result == null || result.errorCode() != null) {
                    failed.add(pending.get(i));
                    codes.add(result == null ? "no result" : result.errorCode());
                }
            }
            if (attempt == retry.maxAttempts()) {
                throw new PutFailed(failed.size() + " of " + pending.size() + " records could not be put into Kinesis "
                        + "stream " + stream + " after " + attempt + " attempts: " + String.join(", ", codes));
            }
            resentRecords += failed.size();
            pending = failed;
            try {
                sleeper.sleep(retry.backoff(attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PutFailed("interrupted while resending " + failed.size() + " records to Kinesis stream " + stream);
            }
        }
    }

    private PutRecordsRequest request(List<PutRecordsRequestEntry> entries) {
        PutRecordsRequest.Builder request = PutRecordsRequest.builder().records(entries);
        return (stream.startsWith("arn:") ? request.streamARN(stream) : request.streamName(stream)).build();
    }

    /** PutRecords requests made, resends included. */
    public long requests() {
        return requests;
    }

    /** Entries resent after they failed. */
    public long resentRecords() {
        return resentRecords;
    }

    @Override
    public String describe() {
        return "kinesis stream " + stream;
    }

    @Override
    public void close() {
        flush();
    }
}
