package org.bushfire.job;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Passes records and watermarks on unchanged but never tells downstream that the stream went idle: source
 * idleness ends here, at the first operator after the shuffle out of the sources.
 *
 * <p>Idleness exists so that a silent source subtask stops holding the watermark back, and the operator right
 * after the first shuffle is where that is decided: each of its subtasks reads every source subtask, leaves
 * the idle ones out of its minimum, and flushes to the highest watermark when all of them are idle. Past that
 * point idleness has nothing left to give — after an all-to-all exchange every subtask has the same inputs,
 * so none of them is ever idle while a sibling holds the watermark back — but it still does harm. When the sources come back, these
 * subtasks announce ACTIVE independently, each when its network buffers are next flushed (every 100 ms by
 * default, on each subtask's own clock), and Flink's input valve leaves a channel that is still IDLE out of
 * the minimum: the next operator follows the first subtask to come back, alone, and the onsets its sibling
 * is about to send arrive behind its watermark. They are late, and the chain they belonged to never
 * completes. Staying active instead, at the watermark the subtask flushed to, makes the next operator wait
 * for the slowest of them, as it should.
 */
final class NeverIdle<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {
    private static final long serialVersionUID = 1L;

    NeverIdle() {
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        output.collect(element);
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus watermarkStatus) {
        // Neither IDLE nor ACTIVE goes on: downstream has never been told anything but ACTIVE.
    }
}
