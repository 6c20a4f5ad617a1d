package org.bushfire.reliability;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * Keeps every shard of a stream busy between the phases of a test, the way a real sensor mesh does (each sensor
 * reports every minute or so): every {@value #PERIOD_MILLIS} ms it puts one copy of a cold reading of the current
 * phase on each shard (explicit hash keys, so no shard is missed however the partition keys hash). A copy of a
 * reading changes nothing (same document id, no onset); it only tells the job the shard is alive.
 *
 * <p>Why: without it, a restore or a pause between phases can leave every source subtask silent for longer than
 * the idle timeout. A fire after such a quiet spell can then lose its alert: the known source-idleness hazard
 * that the idleness work fixes (onset subtasks come back from IDLE one by one, and the next operator's watermark
 * runs ahead of the other's onsets). That is not what these tests are about, and it made them flaky under load.
 */
final class SensorTrickle implements AutoCloseable {
    static final long PERIOD_MILLIS = 2000;

    private final KinesisClient kinesis;
    private final String stream;
    private final List<String> hashKeys = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sensor trickle");
        t.setDaemon(true);
        return t;
    });
    private volatile String reading;

    private SensorTrickle(KinesisClient kinesis, String stream) {
        this.kinesis = kinesis;
        this.stream = stream;
        for (Shard shard : kinesis.listShards(r -> r.streamName(stream)).shards()) {
            hashKeys.add(shard.hashKeyRange().startingHashKey());
        }
    }

    /** Starts trickling {@code reading} (a JSON line) onto every shard of {@code stream}. */
    static SensorTrickle start(KinesisClient kinesis, String stream, String reading) {
        SensorTrickle trickle = new SensorTrickle(kinesis, stream);
        trickle.reading = reading;
        trickle.timer.scheduleWithFixedDelay(trickle::put, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        return trickle;
    }

    /** From now on trickles {@code reading}: the latest cold reading of the phase just put. */
    void follow(String reading) {
        this.reading = reading;
    }

    private void put() {
        List<PutRecordsRequestEntry> records = new ArrayList<>();
        for (String hashKey : hashKeys) {
            records.add(PutRecordsRequestEntry.builder()
                    .partitionKey("trickle")
                    .explicitHashKey(hashKey)
                    .data(SdkBytes.fromString(reading, StandardCharsets.UTF_8))
                    .build());
        }
        try {
            kinesis.putRecords(r -> r.streamName(stream).records(records));
        } catch (RuntimeException e) {
            // a missed beat is harmless; the next one comes in PERIOD_MILLIS
        }
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(30, TimeUnit.SECONDS);
    }
}
