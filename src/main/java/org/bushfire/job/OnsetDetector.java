package org.bushfire.job;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.bushfire.domain.Onset;
import org.bushfire.domain.Reading;

/**
 * Per network and node: the onset is the hot reading with the earliest event time. Hot readings are held
 * until the watermark passes them, so one that arrives out of order (within B) but is earlier still wins.
 * After the onset the node is remembered for the state retention, then forgotten (it may burn again).
 * Only hot readings reach this operator, so a cold sensor keeps no state here.
 *
 * <p>This is where every source subtask's watermark meets. A hot reading on time for its own source subtask
 * can still be behind this combined watermark (a source that was idle and comes back behind the others): it
 * is late by the contract's rule, so it goes to the late readings and is counted, not silently lost.
 */
public final class OnsetDetector extends KeyedProcessFunction<String, Reading, Onset> {
    private final long retentionMillis;

    private transient ValueState<Reading> candidate;
    private transient ValueState<Long> onsetTimestamp;
    private transient Counter onsets;
    private transient Counter late;

    public OnsetDetector(Duration retention) {
        this.retentionMillis = retention.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        candidate = getRuntimeContext().getState(new ValueStateDescriptor<>("candidate", Types.POJO(Reading.class)));
        onsetTimestamp = getRuntimeContext().getState(new ValueStateDescriptor<>("onset", Types.LONG));
        onsets = JobMetrics.counter(getRuntimeContext(), JobMetrics.ONSETS);
        late = JobMetrics.counter(getRuntimeContext(), JobMetrics.LATE_HOT);
    }

    @Override
    public void processElement(Reading hot, Context ctx, Collector<Onset> out) throws Exception {
        if (hot.eventTimestamp <= ctx.timerService().currentWatermark()) {
            late.inc();
            ctx.output(SplitReadings.LATE_READINGS, hot);
            return;
        }
        if (onsetTimestamp.value() != null) {
            return; // already burning: later heat adds nothing to chains
        }
        Reading current = candidate.value();
        if (current == null || precedes(hot, current)) {
            if (current != null && current.eventTimestamp != hot.eventTimestamp) {
                ctx.timerService().deleteEventTimeTimer(current.eventTimestamp);
            }
            candidate.update(hot);
            ctx.timerService().registerEventTimeTimer(hot.eventTimestamp);
        }
    }

    /**
     * Earlier wins; between two hot readings of one instant (a duplicate, or a sensor repeating itself) the
     * choice must not depend on arrival order: prefer the one naming an infector, then the smaller infector.
     */
    static boolean precedes(Reading a, Reading b) {
        if (a.eventTimestamp != b.eventTimestamp) {
            return a.eventTimestamp < b.eventTimestamp;
        }
        if (a.infectedBy == null || b.infectedBy == null) {
            return a.infectedBy != null && b.infectedBy == null;
        }
        int byInfector = a.infectedBy.compareTo(b.infectedBy);
        return byInfector != 0 ? byInfector < 0 : a.temperature > b.temperature;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Onset> out) throws Exception {
        Reading current = candidate.value();
        if (current != null && current.eventTimestamp == timestamp) {
            candidate.clear();
            onsetTimestamp.update(timestamp);
            ctx.timerService().registerEventTimeTimer(timestamp + retentionMillis);
            onsets.inc();
            out.collect(new Onset(current));
            return;
        }
        Long onset = onsetTimestamp.value();
        if (onset != null && timestamp >= onset + retentionMillis) {
            onsetTimestamp.clear();
        }
    }
}
