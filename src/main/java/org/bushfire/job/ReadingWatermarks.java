package org.bushfire.job;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.bushfire.domain.SensorRecord;

/**
 * Bounded out-of-orderness watermarks, emitted as soon as the newest event time advances rather than on a
 * processing-time period. That makes "late" depend on event time and arrival order only — a replay decides
 * lateness exactly as the contract says, however fast it runs — and lets an alert leave as soon as the
 * watermark allows. Dead letters carry no event time and never move the watermark. A source applies the
 * strategy per split (per shard); when a split stops holding the watermark back is {@link ShardIdleness}'s call.
 */
public final class ReadingWatermarks implements WatermarkGenerator<SensorRecord> {
    private final long outOfOrdernessMillis;
    private long maxTimestamp = Long.MIN_VALUE;
    private long emitted = Long.MIN_VALUE;

    public ReadingWatermarks(long outOfOrdernessMillis) {
        this.outOfOrdernessMillis = outOfOrdernessMillis;
    }

    public static WatermarkStrategy<SensorRecord> strategy(AlertingConfig config) {
        long bound = config.outOfOrderness().toMillis();
        return WatermarkStrategy.<SensorRecord>forGenerator(
                        ShardIdleness.around(context -> new ReadingWatermarks(bound), config.idleTimeout(),
                                config.outOfOrderness()))
                .withTimestampAssigner((record, recordTimestamp) ->
                        record.isReading() ? record.reading.eventTimestamp : recordTimestamp);
    }

    @Override
    public void onEvent(SensorRecord record, long eventTimestamp, WatermarkOutput output) {
        if (!record.isReading() || eventTimestamp <= maxTimestamp) {
            return;
        }
        maxTimestamp = eventTimestamp;
        // A reading exactly B behind the newest one is still on time: the watermark sits 1 ms below that.
        long watermark = maxTimestamp - outOfOrdernessMillis - 1;
        if (watermark > emitted) {
            emitted = watermark;
            output.emitWatermark(new Watermark(watermark));
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        // Everything is emitted on event; idleness is ShardIdleness's.
    }
}
