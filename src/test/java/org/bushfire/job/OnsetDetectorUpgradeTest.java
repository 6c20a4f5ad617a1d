package org.bushfire.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bushfire.job.OnsetDetectorHarnessTest.MINUTE;
import static org.bushfire.job.OnsetDetectorHarnessTest.RETENTION;
import static org.bushfire.job.OnsetDetectorHarnessTest.cold;
import static org.bushfire.job.OnsetDetectorHarnessTest.hot;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.bushfire.domain.Onset;
import org.bushfire.domain.Reading;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A savepoint of a version before {@code sensor-heat} (three values per sensor: candidate, onset, newest reading)
 * restores into this one with every sensor where it was: a burning sensor does not start again (which would
 * give its fire a new root onset, a new fire and a second alert), a waiting candidate becomes its onset when the
 * watermark passes it, and the earlier values are gone — on the heap and on RocksDB.
 */
class OnsetDetectorUpgradeTest {

    static Stream<Arguments> backends() {
        return Stream.of(
                Arguments.of("hashmap", (Supplier<StateBackend>) HashMapStateBackend::new),
                Arguments.of("rocksdb", (Supplier<StateBackend>) EmbeddedRocksDBStateBackend::new));
    }

    /**
     * What the earlier version held, written under its state names and types, with the timers it had set:
     * sensor 4 burning since minute 1, newest hot at 2; sensor 6 burning since minute 1, cooled at 3; sensor 5
     * a candidate at minute 10 (infected by 4), cooled 20 s later, its onset waiting for the watermark.
     */
    static final class EarlierVersionState extends KeyedProcessFunction<String, Reading, Onset> {
        private transient ValueState<Reading> candidate;
        private transient ValueState<Long> onset;
        private transient ValueState<Reading> newest;

        @Override
        public void open(OpenContext openContext) {
            candidate = getRuntimeContext().getState(new ValueStateDescriptor<>("candidate", Types.POJO(Reading.class)));
            onset = getRuntimeContext().getState(new ValueStateDescriptor<>("onset", Types.LONG));
            newest = getRuntimeContext().getState(new ValueStateDescriptor<>("newest-reading", Types.POJO(Reading.class)));
        }

        @Override
        public void processElement(Reading r, Context ctx, Collector<Onset> out) throws Exception {
            switch (r.node) {
                case "4" -> {
                    onset.update(MINUTE);
                    newest.update(hot("4", 2 * MINUTE, "3"));
                    ctx.timerService().registerEventTimeTimer(MINUTE + RETENTION.toMillis());
                }
                case "6" -> {
                    onset.update(MINUTE);
                    newest.update(cold("6", 3 * MINUTE));
                    ctx.timerService().registerEventTimeTimer(MINUTE + RETENTION.toMillis());
                }
                case "5" -> {
                    candidate.update(hot("5", 10 * MINUTE, "4"));
                    newest.update(cold("5", 10 * MINUTE + 20_000));
                    ctx.timerService().registerEventTimeTimer(10 * MINUTE);
                }
                default -> throw new IllegalArgumentException(r.node);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void anEarlierVersionsSavepointRestoresWithEverySensorWhereItWas(String name, Supplier<StateBackend> backend)
            throws Exception {
        OperatorSubtaskState earlier;
        try (KeyedOneInputStreamOperatorTestHarness<String, Reading, Onset> before =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new EarlierVersionState()),
                        new Keys.ByNode(), Types.STRING)) {
            before.setStateBackend(backend.get());
            before.open();
            before.processWatermark(5 * MINUTE);
            for (String node : List.of("4", "5", "6")) {
                before.processElement(hot(node, 5 * MINUTE + 1, null), 5 * MINUTE + 1);
            }
            assertThat(entries(before)).as("the earlier version's values").isEqualTo(6);
            earlier = before.snapshot(1L, 1L);
        }

        try (KeyedOneInputStreamOperatorTestHarness<String, Reading, Onset> after = restored(earlier, backend)) {
            after.processWatermark(5 * MINUTE);
            assertThat(entries(after)).as("one sensor-heat value per sensor, the earlier ones cleared")
                    .isEqualTo(3);

            after.processElement(hot("4", 6 * MINUTE, "3"), 6 * MINUTE);
            after.processElement(hot("6", 7 * MINUTE, "3"), 7 * MINUTE);
            assertThat(after.extractOutputValues()).as("burning sensors do not start again").isEmpty();
            after.processElement(hot("4", 8 * MINUTE, "3"), 8 * MINUTE);
            assertThat(heatReports(after))
                    .as("a burning sensor's first reading after a restore is reported (its newest heat is not state: "
                            + "the incident ignores what changes nothing), later ones only when the heat turns")
                    .extracting(r -> r.node + "@" + r.eventTimestamp / MINUTE).containsExactly("4@6", "6@7");

            after.processWatermark(11 * MINUTE);
            List<Onset> onsets = after.extractOutputValues();
            assertThat(onsets).extracting(Onset::node).containsExactly("5");
            assertThat(onsets.get(0).timestamp()).isEqualTo(10 * MINUTE);
            assertThat(onsets.get(0).infectedBy()).isEqualTo("4");
            assertThat(heatReports(after)).as("5 cooled while its onset waited").extracting(r -> r.node)
                    .containsExactly("4", "6", "5");

            after.processWatermark(MINUTE + RETENTION.toMillis());
            assertThat(entries(after)).as("4 and 6 forgotten after the retention, by their own timers")
                    .isEqualTo(1);
            after.processWatermark(10 * MINUTE + RETENTION.toMillis());
            assertThat(entries(after)).isZero();
            assertThat(after.numEventTimeTimers()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void thisVersionsOwnSavepointRestoresMidFire(String name, Supplier<StateBackend> backend) throws Exception {
        OperatorSubtaskState taken;
        try (KeyedOneInputStreamOperatorTestHarness<String, Reading, Onset> before =
                OnsetDetectorHarnessTest.onsetsStep()) {
            before.setStateBackend(backend.get());
            before.open();
            before.processElement(hot("4", MINUTE, "3"), MINUTE);
            before.processWatermark(MINUTE);
            before.processElement(cold("4", 2 * MINUTE), 2 * MINUTE);
            before.processElement(hot("5", 3 * MINUTE, "4"), 3 * MINUTE);
            assertThat(before.extractOutputValues()).extracting(Onset::node).containsExactly("4");
            taken = before.snapshot(1L, 1L);
        }
        try (KeyedOneInputStreamOperatorTestHarness<String, Reading, Onset> after = restored(taken, backend)) {
            after.processElement(hot("4", 4 * MINUTE, "3"), 4 * MINUTE);
            after.processElement(hot("4", 5 * MINUTE, "3"), 5 * MINUTE);
            after.processElement(cold("4", 6 * MINUTE), 6 * MINUTE);
            after.processWatermark(5 * MINUTE);

            assertThat(after.extractOutputValues()).as("5's candidate decided; 4 burning still").extracting(Onset::node)
                    .containsExactly("5");
            assertThat(heatReports(after)).as("4's first reading after the restore, then its next turn")
                    .extracting(r -> r.eventTimestamp).containsExactly(4 * MINUTE, 6 * MINUTE);
            assertThat(entries(after)).isEqualTo(2);
        }
    }

    /** This version's step on the backend, restored from a snapshot and opened. */
    private static KeyedOneInputStreamOperatorTestHarness<String, Reading, Onset> restored(
            OperatorSubtaskState snapshot, Supplier<StateBackend> backend) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, Reading, Onset> h = OnsetDetectorHarnessTest.onsetsStep();
        h.setStateBackend(backend.get());
        h.initializeState(snapshot);
        h.open();
        return h;
    }

    /** Values under the step's state names, this version's and the earlier one's (on either backend). */
    private static long entries(KeyedOneInputStreamOperatorTestHarness<String, Reading, Onset> h) throws Exception {
        long n = 0;
        for (String state : List.of(OnsetDetector.SENSOR_HEAT, OnsetDetector.EARLIER_CANDIDATE, OnsetDetector.EARLIER_ONSET,
                OnsetDetector.EARLIER_NEWEST)) {
            KeyedStateBackend<String> backend = h.getOperator().getKeyedStateBackend();
            try (Stream<String> keys = backend.getKeys(state, VoidNamespace.INSTANCE)) {
                n += keys.count();
            }
        }
        return n;
    }

    private static List<Reading> heatReports(KeyedOneInputStreamOperatorTestHarness<String, Reading, Onset> h) {
        return h.getSideOutput(OnsetDetector.HEAT_REPORTS) == null ? List.of()
                : h.getSideOutput(OnsetDetector.HEAT_REPORTS).stream().map(r -> r.getValue()).toList();
    }
}
