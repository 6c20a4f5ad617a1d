package org.bushfire.job;

import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Passes every reading on, and the source's watermark at most once per {@code step} of event time — or, when the
 * stream pauses with a watermark held back, {@code step} of wall-clock time after it was held.
 *
 * <p>Why: the source's watermark moves with every reading that is newer than all before it ({@link
 * ReadingWatermarks}: that is what makes lateness exact). Sensors report at their own moments, so a live stream
 * of 40,000 sensors brings about 670 new event times a second, and a replay or a catch-up brings them as fast
 * as it reads. Each watermark crosses every exchange and every operator after it (onsets, fire tree, chain
 * pattern, alerts, incidents, on every subtask): a watermark per reading made the job's cold path 2.7 times
 * slower than the same readings in batches of one timestamp (docs/performance.md). Nothing after the split needs
 * a finer watermark than this: lateness is decided before it ({@link SplitReadings} sees each watermark as it
 * is), and every step after it orders what the watermark releases by event time, so a coarser watermark
 * releases the same onsets in the same order, in larger steps. The price is at most {@code step} on an alert's
 * way out.
 *
 * <p>The end of the input ({@link Watermark#MAX_WATERMARK}) goes on at once; a watermark held back goes on before
 * the stream is announced idle, so that idleness never hides a watermark already reached. Nothing here is state:
 * after a restore the source's watermark starts again anyway.
 */
final class WatermarkPacing<T> extends AbstractStreamOperator<T>
        implements OneInputStreamOperator<T, T>, ProcessingTimeCallback {
    private static final long serialVersionUID = 1L;

    private final long stepMillis;
    /** The last watermark passed on. */
    private transient long passed;
    /** A newer watermark than {@link #passed}, held back; {@code Long.MIN_VALUE} when none is. */
    private transient long held;
    /** Whether a wall-clock timer is due to pass {@link #held} on. */
    private transient boolean timerSet;

    WatermarkPacing(long stepMillis) {
        if (stepMillis < 1) {
            throw new IllegalArgumentException("the watermark step must be at least 1 ms, got " + stepMillis);
        }
        this.stepMillis = stepMillis;
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    @Override
    public void open() throws Exception {
        super.open();
        passed = Long.MIN_VALUE;
        held = Long.MIN_VALUE;
        timerSet = false;
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) {
        long time = mark.getTimestamp();
        if (time <= passed) {
            return;
        }
        if (time == Long.MAX_VALUE || passed == Long.MIN_VALUE || time - passed >= stepMillis) {
            pass(time);
            return;
        }
        held = time;
        if (!timerSet) {
            timerSet = true;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(now + stepMillis, this);
        }
    }

    @Override
    public void onProcessingTime(long time) {
        timerSet = false;
        if (held > passed) {
            pass(held);
        }
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus watermarkStatus) throws Exception {
        if (watermarkStatus.isIdle() && held > passed) {
            pass(held);
        }
        super.processWatermarkStatus(watermarkStatus);
    }

    private void pass(long time) {
        passed = time;
        held = Long.MIN_VALUE;
        output.emitWatermark(new Watermark(time));
    }
}
