package org.bushfire.job;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.bushfire.domain.DeadLetter;
import org.bushfire.domain.Reading;
import org.bushfire.domain.SensorRecord;

/**
 * Right after the source: valid, on-time readings go on; malformed records become dead letters; readings
 * behind the watermark (more than B behind the newest) are late. Nothing is dropped and each is counted.
 */
public final class SplitReadings extends ProcessFunction<SensorRecord, Reading> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};
    public static final OutputTag<Reading> LATE_READINGS = new OutputTag<>("late-readings", ReadingWire.TYPE);

    private transient Counter readings;
    private transient Counter malformed;
    private transient Counter late;

    @Override
    public void open(OpenContext openContext) {
        readings = JobMetrics.counter(getRuntimeContext(), JobMetrics.READINGS);
        malformed = JobMetrics.counter(getRuntimeContext(), JobMetrics.MALFORMED);
        late = JobMetrics.counter(getRuntimeContext(), JobMetrics.LATE);
    }

    @Override
    public void processElement(SensorRecord record, Context ctx, Collector<Reading> out) {
        if (!record.isReading()) {
            malformed.inc();
            ctx.output(DEAD_LETTERS, record.deadLetter);
            return;
        }
        readings.inc();
        if (record.reading.eventTimestamp <= ctx.timerService().currentWatermark()) {
            late.inc();
            ctx.output(LATE_READINGS, record.reading);
        } else {
            out.collect(record.reading);
        }
    }
}
