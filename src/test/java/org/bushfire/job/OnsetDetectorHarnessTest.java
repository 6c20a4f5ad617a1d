package org.bushfire.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.bushfire.domain.Onset;
import org.bushfire.domain.Reading;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OnsetDetectorHarnessTest {
    static final Duration RETENTION = Duration.ofHours(24);
    static final long MINUTE = 60_000L;

    KeyedOneInputStreamOperatorTestHarness<String, Reading, Onset> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = onsetsStep();
        harness.open();
    }

    /** The step as the job runs it ({@link OnsetDetector#operator}), not yet opened. */
    static KeyedOneInputStreamOperatorTestHarness<String, Reading, Onset> onsetsStep() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                OnsetDetector.operator(RETENTION, 50.0), new Keys.ByNode(), Types.STRING);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    static Reading hot(String node, long t, String infectedBy) {
        return new Reading("ridge-7", node, t, 60.0, infectedBy);
    }

    @Test
    void theEarliestHotReadingIsTheOnsetEvenWhenItArrivesSecond() throws Exception {
        harness.processElement(hot("4", 10 * MINUTE, "3"), 10 * MINUTE);
        harness.processElement(hot("4", 9 * MINUTE, "2"), 9 * MINUTE);
        assertThat(harness.extractOutputValues()).as("held until the watermark passes").isEmpty();

        harness.processWatermark(10 * MINUTE);

        List<Onset> onsets = harness.extractOutputValues();
        assertThat(onsets).hasSize(1);
        assertThat(onsets.get(0).timestamp()).isEqualTo(9 * MINUTE);
        assertThat(onsets.get(0).infectedBy()).isEqualTo("2");
    }

    @Test
    void laterHeatAddsNothingAndStateIsGoneAfterRetention() throws Exception {
        harness.processElement(hot("4", MINUTE, "3"), MINUTE);
        harness.processWatermark(MINUTE);
        harness.processElement(hot("4", 2 * MINUTE, "7"), 2 * MINUTE);
        harness.processWatermark(3 * MINUTE);
        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(harness.numKeyedStateEntries()).as("the node is remembered as burning: one value")
                .isEqualTo(1);

        harness.processWatermark(MINUTE + RETENTION.toMillis());

        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aNodeMayBurnAgainAfterRetention() throws Exception {
        harness.processElement(hot("4", MINUTE, null), MINUTE);
        harness.processWatermark(MINUTE + RETENTION.toMillis());
        long again = 2 * MINUTE + RETENTION.toMillis();
        harness.processElement(hot("4", again, null), again);
        harness.processWatermark(again);

        assertThat(harness.extractOutputValues()).extracting(Onset::timestamp).containsExactly(MINUTE, again);
    }

    @Test
    void readingsOfOneInstantGiveTheSameOnsetWhateverTheirOrder() throws Exception {
        harness.processElement(hot("4", MINUTE, null), MINUTE);
        harness.processElement(hot("4", MINUTE, "3"), MINUTE);
        harness.processWatermark(MINUTE);

        KeyedOneInputStreamOperatorTestHarness<String, Reading, Onset> other = onsetsStep();
        other.open();
        other.processElement(hot("4", MINUTE, "3"), MINUTE);
        other.processElement(hot("4", MINUTE, null), MINUTE);
        other.processWatermark(MINUTE);

        assertThat(harness.extractOutputValues()).isEqualTo(other.extractOutputValues());
        assertThat(harness.extractOutputValues().get(0).infectedBy()).isEqualTo("3");
        other.close();
    }

    @Test
    void aHotReadingBehindTheWatermarkIsLateNotAnOnset() throws Exception {
        harness.processWatermark(10 * MINUTE);
        harness.processElement(hot("4", 9 * MINUTE, "3"), 9 * MINUTE);
        harness.processWatermark(11 * MINUTE);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(harness.getSideOutput(SplitReadings.LATE_READINGS)).extracting(r -> r.getValue().node)
                .containsExactly("4");
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void nodesAreKeptApart() throws Exception {
        harness.processElement(hot("4", 2 * MINUTE, "3"), 2 * MINUTE);
        harness.processElement(hot("5", MINUTE, "4"), MINUTE);
        harness.processWatermark(2 * MINUTE);

        assertThat(harness.extractOutputValues()).extracting(Onset::node).containsExactlyInAnyOrder("4", "5");
    }

    static Reading cold(String node, long t) {
        return new Reading("ridge-7", node, t, 21.0, null);
    }

    private List<Reading> heatReports() {
        return harness.getSideOutput(OnsetDetector.HEAT_REPORTS) == null ? List.of()
                : harness.getSideOutput(OnsetDetector.HEAT_REPORTS).stream().map(r -> r.getValue()).toList();
    }

    @Test
    void aColdSensorKeepsNoStateAndReportsNothing() throws Exception {
        for (int i = 0; i < 5; i++) {
            harness.processElement(cold("9", i * MINUTE), i * MINUTE);
        }
        harness.processWatermark(10 * MINUTE);

        assertThat(harness.extractOutputValues()).isEmpty();
        assertThat(heatReports()).isEmpty();
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aBurningSensorReportsEachChangeOfItsNewestReadingBetweenHotAndCold() throws Exception {
        harness.processElement(hot("4", MINUTE, "3"), MINUTE);
        harness.processWatermark(MINUTE);
        harness.processElement(hot("4", 2 * MINUTE, "3"), 2 * MINUTE);   // still hot: no news
        harness.processElement(cold("4", 4 * MINUTE), 4 * MINUTE);      // cooled
        harness.processElement(cold("4", 5 * MINUTE), 5 * MINUTE);      // still cold: no news
        harness.processElement(hot("4", 3 * MINUTE, "3"), 3 * MINUTE);   // older than the newest: no news
        harness.processElement(hot("4", 6 * MINUTE, "3"), 6 * MINUTE);   // flares up again

        assertThat(heatReports()).extracting(r -> r.eventTimestamp).containsExactly(4 * MINUTE, 6 * MINUTE);
        assertThat(harness.extractOutputValues()).hasSize(1);
    }

    @Test
    void aSensorThatCooledBeforeItsOnsetWasDecidedReportsItWithTheOnset() throws Exception {
        harness.processElement(hot("4", MINUTE, "3"), MINUTE);
        harness.processElement(cold("4", MINUTE + 20_000), MINUTE + 20_000);
        assertThat(heatReports()).as("nothing before the onset").isEmpty();

        harness.processWatermark(MINUTE);

        assertThat(harness.extractOutputValues()).extracting(Onset::timestamp).containsExactly(MINUTE);
        assertThat(heatReports()).extracting(r -> r.eventTimestamp).containsExactly(MINUTE + 20_000);
    }
}
