package org.bushfire.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class WatermarkPacingHarnessTest {
    private static final long STEP = 100;

    private static OneInputStreamOperatorTestHarness<String, String> harness() throws Exception {
        OneInputStreamOperatorTestHarness<String, String> harness =
                new OneInputStreamOperatorTestHarness<>(new WatermarkPacing<>(STEP));
        harness.setProcessingTime(0);
        harness.open();
        return harness;
    }

    @Test
    void aWatermarkGoesOnOncePerStepOfEventTimeAndRecordsAllPass() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, String> harness = harness()) {
            harness.processWatermark(new Watermark(1_000));    // the first goes on at once
            harness.processElement("a", 1_010);
            harness.processWatermark(new Watermark(1_001));
            harness.processWatermark(new Watermark(1_050));
            harness.processElement("b", 1_060);
            harness.processWatermark(new Watermark(1_099));    // 99 ms after the last one passed: held
            harness.processWatermark(new Watermark(1_100));    // a whole step: goes on
            harness.processWatermark(new Watermark(1_100));    // no newer: nothing
            harness.processWatermark(new Watermark(1_450));    // more than a step at once: goes on

            assertThat(harness.getOutput()).containsExactly(
                    new Watermark(1_000), new StreamRecord<>("a", 1_010L), new StreamRecord<>("b", 1_060L),
                    new Watermark(1_100), new Watermark(1_450));
        }
    }

    @Test
    void aHeldWatermarkGoesOnAStepOfWallClockTimeLaterWhenTheStreamPauses() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, String> harness = harness()) {
            harness.processWatermark(new Watermark(5_000));
            harness.setProcessingTime(10);
            harness.processWatermark(new Watermark(5_020));    // held; due on the wall clock at 10 + STEP
            harness.processWatermark(new Watermark(5_040));    // the newest held one is what goes on
            harness.setProcessingTime(10 + STEP - 1);
            assertThat(harness.getOutput()).containsExactly(new Watermark(5_000));

            harness.setProcessingTime(10 + STEP);
            assertThat(harness.getOutput()).containsExactly(new Watermark(5_000), new Watermark(5_040));

            // Nothing held: the clock passing does nothing; the next step counts from the one passed.
            harness.setProcessingTime(10 + 5 * STEP);
            harness.processWatermark(new Watermark(5_139));
            harness.processWatermark(new Watermark(5_140));
            assertThat(harness.getOutput()).containsExactly(new Watermark(5_000), new Watermark(5_040),
                    new Watermark(5_140));
            harness.setProcessingTime(10 + 7 * STEP); // the timer 5_139 set finds nothing held: 5_140 passed it
            assertThat(harness.getOutput()).hasSize(3);
        }
    }

    @Test
    void theEndOfTheInputGoesOnAtOnce() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, String> harness = harness()) {
            harness.processWatermark(new Watermark(7_000));
            harness.processWatermark(new Watermark(7_001));
            harness.processWatermark(Watermark.MAX_WATERMARK);

            assertThat(harness.getOutput()).containsExactly(new Watermark(7_000), Watermark.MAX_WATERMARK);
        }
    }

    @Test
    void aHeldWatermarkGoesOnBeforeTheStreamIsAnnouncedIdle() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, String> harness = harness()) {
            harness.processWatermark(new Watermark(2_000));
            harness.processWatermark(new Watermark(2_030));
            harness.processWatermarkStatus(WatermarkStatus.IDLE);
            harness.processWatermarkStatus(WatermarkStatus.ACTIVE);
            harness.processWatermarkStatus(WatermarkStatus.IDLE); // nothing held this time
            harness.setProcessingTime(STEP);                      // the timer set for 2_030 finds nothing held

            assertThat(harness.getOutput()).containsExactly(new Watermark(2_000), new Watermark(2_030),
                    WatermarkStatus.IDLE, WatermarkStatus.ACTIVE, WatermarkStatus.IDLE);
        }
    }

    @Test
    void aStepUnderOneMillisecondIsRefused() {
        assertThatThrownBy(() -> new WatermarkPacing<String>(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1 ms");
    }
}
