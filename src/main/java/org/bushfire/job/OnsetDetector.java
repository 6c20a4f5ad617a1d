package org.bushfire.job;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
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
 * cool down (the all-clear). Each time the newest reading (by event time) of a burning sensor changes between
 * hot and cold it goes to {@link #HEAT_REPORTS} — once when the onset is decided if the sensor has already
 * cooled, then at each change. Few readings change it, so few reach the incidents.
 *
 * <p><b>A reading touches state only when it changes what the state says.</b> The state of a sensor is one value
 * ({@link SensorHeat}): its candidate and newest readings while the onset waits for the watermark, then its
 * onset. Beside it, in memory, the step keeps which sensors it holds state for and, for the burning ones, the
 * newest reading's event time and heat ({@link Remembered}, some 150 bytes of heap a sensor, as many as there are
 * sensors with state: bounded by the retention). So a cold sensor's reading and a burning sensor's every later
 * reading cost no state access at all — on RocksDB, as the job runs on EMR, each access is a call into the store
 * and every write is something its flushes and compactions carry — and state is read and written only for a
 * candidate, an onset and its end. The newest heat is not state: after a restore the step does not know it, so
 * it reports a burning sensor's first reading again, and the incident, which keeps each sensor's newest heat
 * itself, ignores a report that changes nothing. What the step remembers is rebuilt from the state on restore.
 *
 * <p>This is where every source subtask's watermark meets. A hot reading on time for its own source subtask
 * can still be behind this combined watermark (a source that was idle and comes back behind the others): it
 * is late by the contract's rule, so it goes to the late readings and is counted, not silently lost.
 */
public final class OnsetDetector extends KeyedProcessFunction<String, Reading, Onset> {
    /** Readings of burning sensors whose newest reading turned from hot to cold or back. */
    public static final OutputTag<Reading> HEAT_REPORTS = new OutputTag<>("heat-reports", Types.POJO(Reading.class));

    /** The state of versions before {@link SensorHeat}: three values per sensor, taken over on restore. */
    static final String EARLIER_CANDIDATE = "candidate";
    static final String EARLIER_ONSET = "onset";
    static final String EARLIER_NEWEST = "newest-reading";
    static final String SENSOR_HEAT = "sensor-heat";

    private final long retentionMillis;
    private final double threshold;

    private transient ValueState<SensorHeat> heat;
    /** Sensor key → what the step remembers of it: exactly the sensors with a {@code sensor-heat} value. */
    private transient Map<String, Remembered> remembered;
    private transient Counter onsets;
    private transient Counter late;

    public OnsetDetector(Duration retention, double threshold) {
        this.retentionMillis = retention.toMillis();
        this.threshold = threshold;
    }

    /** The step as the job runs it: on restore, earlier versions' state is taken over and the memory rebuilt. */
    public static KeyedProcessOperator<String, Reading, Onset> operator(Duration retention, double threshold) {
        return new Operator(new OnsetDetector(retention, threshold));
    }

    /** The state of one sensor with a hot reading. No state at all: the sensor is cold and has no candidate. */
    public static class SensorHeat {
        /** The earliest hot reading, while the onset waits for the watermark; null once it is decided. */
        public Reading candidate;
        /** The newest reading by event time, while the onset waits; null once it is decided. */
        public Reading newestBeforeOnset;
        /** The onset's event time once decided, until the retention has passed; null before. */
        public Long onsetTimestamp;

        public SensorHeat() {}
    }

    /** In memory, per sensor with state: whether its onset is decided, and after it its newest reading's heat. */
    static final class Remembered {
        boolean burning;
        /** Long.MIN_VALUE: not known (just restored): the next reading is reported whatever its heat. */
        long newestTimestamp = Long.MIN_VALUE;
        boolean newestHot;
    }

    @Override
    public void open(OpenContext openContext) {
        heat = getRuntimeContext().getState(new ValueStateDescriptor<>(SENSOR_HEAT, Types.POJO(SensorHeat.class)));
        remembered = new HashMap<>();
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
        Remembered sensor = remembered.get(ctx.getCurrentKey());
        if (sensor == null && !isHot) {
            return; // a cold sensor keeps no state
        }
        if (sensor != null && sensor.burning) {
            // already burning: later heat adds nothing to chains, but the incident follows hot and cold
            boolean unknown = sensor.newestTimestamp == Long.MIN_VALUE;
            if (unknown || isNewer(reading.eventTimestamp, isHot, sensor.newestTimestamp, sensor.newestHot)) {
                boolean turned = unknown || sensor.newestHot != isHot;
                sensor.newestTimestamp = reading.eventTimestamp;
                sensor.newestHot = isHot;
                if (turned) {
                    ctx.output(HEAT_REPORTS, reading);
                }
            }
            return;
        }
        // no onset yet: a hot reading makes or replaces the candidate; the newest reading is kept whole, for
        // the incident hears at the onset whether the sensor has cooled since
        SensorHeat state = sensor == null ? null : heat.value();
        if (state == null) {
            state = new SensorHeat();
            remembered.put(ctx.getCurrentKey(), new Remembered());
        }
        Reading newest = state.newestBeforeOnset;
        if (newest == null || isNewer(reading.eventTimestamp, isHot, newest.eventTimestamp, newest.isHot(threshold))) {
            state.newestBeforeOnset = reading;
        }
        Reading current = state.candidate;
        if (isHot && (current == null || precedes(reading, current))) {
            if (current != null && current.eventTimestamp != reading.eventTimestamp) {
                ctx.timerService().deleteEventTimeTimer(current.eventTimestamp);
            }
            state.candidate = reading;
            ctx.timerService().registerEventTimeTimer(reading.eventTimestamp);
        }
        heat.update(state);
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
    private static boolean isNewer(long timestamp, boolean hot, long thanTimestamp, boolean thanHot) {
        return timestamp > thanTimestamp || (timestamp == thanTimestamp && thanHot && !hot);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Onset> out) throws Exception {
        String key = ctx.getCurrentKey();
        SensorHeat state = heat.value();
        if (state == null) {
            remembered.remove(key);
            return;
        }
        Reading current = state.candidate;
        if (state.onsetTimestamp == null && current != null && current.eventTimestamp == timestamp) {
            Reading newest = state.newestBeforeOnset != null ? state.newestBeforeOnset : current;
            state.onsetTimestamp = timestamp;
            state.candidate = null;
            state.newestBeforeOnset = null;
            heat.update(state);
            Remembered sensor = remembered.computeIfAbsent(key, k -> new Remembered());
            sensor.burning = true;
            sensor.newestTimestamp = newest.eventTimestamp;
            sensor.newestHot = newest.isHot(threshold);
            ctx.timerService().registerEventTimeTimer(timestamp + retentionMillis);
            onsets.inc();
            out.collect(new Onset(current));
            if (!sensor.newestHot) {
                ctx.output(HEAT_REPORTS, newest); // it cooled while its onset waited for the watermark
            }
            return;
        }
        if (state.onsetTimestamp != null && timestamp >= state.onsetTimestamp + retentionMillis) {
            heat.clear();
            remembered.remove(key);
        }
    }

    /** On restore: what the step remembers, from the state (its keys and whether each onset is decided). */
    void rememberFromState(KeyedStateBackend<String> backend) throws Exception {
        List<String> keys;
        try (Stream<String> withState = backend.getKeys(SENSOR_HEAT, VoidNamespace.INSTANCE)) {
            keys = withState.collect(Collectors.toList());
        }
        for (String key : keys) {
            backend.setCurrentKey(key);
            SensorHeat state = heat.value();
            if (state != null) {
                remembered.computeIfAbsent(key, k -> new Remembered()).burning = state.onsetTimestamp != null;
            }
        }
    }

    /**
     * Versions before {@link SensorHeat} kept three values per sensor (candidate, onset, newest reading). A
     * restore from their savepoint takes each sensor's over into one {@code sensor-heat} value, once, before the
     * first reading, and clears them; the timers they set (candidate, retention) are restored as they were and
     * mean the same. Only sensors with a candidate or an onset have any, so this is bounded by the burning
     * sensors of the last retention.
     */
    void takeOverEarlierState(KeyedStateBackend<String> backend) throws Exception {
        Set<String> keys = new LinkedHashSet<>();
        for (String name : List.of(EARLIER_ONSET, EARLIER_CANDIDATE)) {
            try (Stream<String> named = backend.getKeys(name, VoidNamespace.INSTANCE)) {
                named.forEach(keys::add);
            }
        }
        if (keys.isEmpty()) {
            return; // a fresh start or this version's own savepoint: nothing registered under those names
        }
        ValueState<Reading> earlierCandidate =
                earlier(backend, new ValueStateDescriptor<>(EARLIER_CANDIDATE, Types.POJO(Reading.class)));
        ValueState<Long> earlierOnset = earlier(backend, new ValueStateDescriptor<>(EARLIER_ONSET, Types.LONG));
        ValueState<Reading> earlierNewest =
                earlier(backend, new ValueStateDescriptor<>(EARLIER_NEWEST, Types.POJO(Reading.class)));
        for (String key : keys) {
            backend.setCurrentKey(key);
            Reading candidate = earlierCandidate.value();
            Long onset = earlierOnset.value();
            Reading newest = earlierNewest.value();
            SensorHeat state = new SensorHeat();
            if (onset != null) {
                state.onsetTimestamp = onset; // its newest heat is not state any more: reported again, below
            } else if (candidate != null) {
                state.candidate = candidate;
                state.newestBeforeOnset = newest != null ? newest : candidate;
            } else {
                continue;
            }
            heat.update(state);
            earlierCandidate.clear();
            earlierOnset.clear();
            earlierNewest.clear();
        }
    }

    private static <T> ValueState<T> earlier(KeyedStateBackend<String> backend, ValueStateDescriptor<T> descriptor)
            throws Exception {
        return backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor);
    }

    /** Runs the detector and, when restored, takes over earlier versions' state and rebuilds what it remembers. */
    static final class Operator extends KeyedProcessOperator<String, Reading, Onset> {
        private static final long serialVersionUID = 1L;
        private final OnsetDetector detector;
        private transient boolean restored;

        Operator(OnsetDetector detector) {
            super(detector);
            this.detector = detector;
        }

        @Override
        public void initializeState(StateInitializationContext context) throws Exception {
            super.initializeState(context);
            restored = context.isRestored();
        }

        @Override
        public void open() throws Exception {
            super.open();
            if (restored) {
                detector.takeOverEarlierState(getKeyedStateBackend());
                detector.rememberFromState(getKeyedStateBackend());
            }
        }
    }
}
