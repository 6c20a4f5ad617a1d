package org.bushfire.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class NeverIdleHarnessTest {
    @Test
    void recordsAndWatermarksPassButIdlenessStops() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, String> harness =
                new OneInputStreamOperatorTestHarness<>(new NeverIdle<>())) {
            harness.open();

            harness.processElement("before", 1L);
            harness.processWatermark(new Watermark(5L));
            harness.processWatermarkStatus(WatermarkStatus.IDLE);
            harness.processWatermarkStatus(WatermarkStatus.ACTIVE);
            harness.processElement("after", 7L);
            harness.processWatermark(new Watermark(9L));

            assertThat(harness.getOutput()).containsExactly(
                    new StreamRecord<>("before", 1L), new Watermark(5L), new StreamRecord<>("after", 7L),
                    new Watermark(9L));
        }
    }
}
