package org.bushfire.job;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.bushfire.domain.Onset;
import org.bushfire.domain.Reading;

/**
 * Per network and node: the onset is the hot reading with the earliest event time. Hot readings are held
 * until the watermark passes them, so one that arrives out of order (within B) but is earlier still wins.
 * After the onset the node is remembered for the state retention, then forgotten (it may burn again).
 *
 * <p>Every reading comes here, cold ones too, because a fire's incident must learn when its burning sensors
 * cool down (the all-clear). A cold sensor without a hot reading keeps no state: its reading costs one state
 * read. For a sensor with a candidate or an onset, the newest reading by event time is kept, and each time
 * the newest reading of a burning sensor changes between hot and cold it goes to {@link #HEAT_REPORTS} — once
 * when the onset is decided if the sensor has already cooled, then at each change. Few readings change it, so
 * few reach the incidents.
 *
 * <p>This is where every source subtask's watermark meets. A hot reading on time for its own source subtask
 * can still be behind this combined watermark (a source that was idle and comes back behind the others): it
 * is late by the contract's rule, so it goes to the late readings and is counted, not silently lost.
 */
public final class OnsetDetector extends KeyedProcessFunction<String, Reading, Onset> {
    /** Readings of burning sensors whose newest reading turned from hot to cold or back. */
    public static final OutputTag<Reading> HEAT_REPORTS = new OutputTag<>("heat-reports", Types.POJO(Reading.class));

    private final long retentionMillis;
    private final double threshold;

    private transient ValueState<Reading> candidate;
    private transient ValueState<Long> onsetTimestamp;
    private transient ValueState<Reading> newest;
    private transient Counter onsets;
    private transient Counter late;

    public OnsetDetector(Duration retention, double threshold) {
        this.retentionMillis = retention.toMillis();
        this.threshold = threshold;
    }

    @Override
    public void open(OpenContext openContext) {
        candidate = getRuntimeContext().getState(new ValueStateDescriptor<>("candidate", Types.POJO(Reading.class)));
        onsetTimestamp = getRuntimeContext().getState(new ValueStateDescriptor<>("onset", Types.LONG));
        newest = getRuntimeContext().getState(new ValueStateDescriptor<>("newest-reading", Types.POJO(Reading.class)));
        onsets = JobMetrics.counter(getRuntimeContext(), JobMetrics.ONSETS);
        late = JobMetrics.counter(getRuntimeContext(), JobMetrics.LATE_HOT);
    }

    @Override
    public void processElement(Reading reading, Context ctx, Collector<Onset> out) throws Exception {
        boolean isHot = reading.isHot(threshold);
        if (reading.eventTimestamp <= ctx.timerService().currentWatermark()) {
            if (isHot) {
                late.inc();
                ctx.output(SplitReadings.LATE_READINGS, reading);
            }
            return; // a late cold reading was on time at the source and is indexed; it changes no heat here
        }
        if (onsetTimestamp.value() != null) {
            // already burning: later heat adds nothing to chains, but the incident follows hot and cold
            Reading before = newest.value();
            if (isNewer(reading, before)) {
                newest.update(reading);
                if (before == null || before.isHot(threshold) != isHot) {
                    ctx.output(HEAT_REPORTS, reading);
                }
            }
            return;
        }
        Reading current = candidate.value();
        if (!isHot) {
            if (current != null && isNewer(reading, newest.value())) {
                newest.update(reading); // cooling before its onset is decided: the incident hears it then
            }
            return; // a cold sensor keeps no state
        }
        Reading hot = reading;
        if (isNewer(hot, newest.value())) {
            newest.update(hot);
        }
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

    /** Newer by event time; between two of one instant, a cold one wins (a sensor that reports cold is out). */
    private boolean isNewer(Reading r, Reading than) {
        if (than == null || r.eventTimestamp > than.eventTimestamp) {
            return true;
        }
        return r.eventTimestamp == than.eventTimestamp && than.isHot(threshold) && !r.isHot(threshold);
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
            Reading latest = newest.value();
            if (latest != null && !latest.isHot(threshold)) {
                ctx.output(HEAT_REPORTS, latest); // it cooled while its onset waited for the watermark
            }
            return;
        }
        Long onset = onsetTimestamp.value();
        if (onset != null && timestamp >= onset + retentionMillis) {
            onsetTimestamp.clear();
            newest.clear();
        }
    }
}
