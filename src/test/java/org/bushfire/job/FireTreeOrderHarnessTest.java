package org.bushfire.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.bushfire.domain.Onset;
import org.bushfire.domain.Reading;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FireTreeOrderHarnessTest {
    static final Duration RETENTION = Duration.ofHours(6);
    static final long MINUTE = 60_000L;

    KeyedOneInputStreamOperatorTestHarness<String, Onset, Onset> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new FireTreeOrder(RETENTION), new Keys.ByNetwork(), Types.STRING);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    static Onset onset(String node, long t, String infectedBy) {
        return new Onset(new Reading("ridge-7", node, t, 60.0, infectedBy));
    }

    void add(Onset onset) throws Exception {
        harness.processElement(onset, onset.timestamp());
    }

    @Test
    void onsetsOfOneInstantLeaveInfectorFirstStampedWithTheirRoot() throws Exception {
        add(onset("1", MINUTE, null));
        harness.processWatermark(MINUTE);
        add(onset("4", 2 * MINUTE, "3"));
        add(onset("3", 2 * MINUTE, "2"));
        add(onset("2", 2 * MINUTE, "1"));
        assertThat(harness.extractOutputValues()).extracting(Onset::node).containsExactly("1");

        harness.processWatermark(2 * MINUTE);

        List<Onset> out = harness.extractOutputValues();
        assertThat(out).extracting(Onset::node).containsExactly("1", "2", "3", "4");
        assertThat(out).allSatisfy(o -> {
            assertThat(o.fireRoot).isEqualTo("1");
            assertThat(o.fireRootOnsetTimestamp).isEqualTo(MINUTE);
        });
    }

    @Test
    void anInfectorWithoutAnOnsetEndsTheWalk() throws Exception {
        add(onset("4", MINUTE, "3"));
        add(onset("5", 2 * MINUTE, "4"));
        harness.processWatermark(2 * MINUTE);

        assertThat(harness.extractOutputValues()).extracting(o -> o.fireRoot).containsExactly("4", "4");
    }

    @Test
    void aCycleInTheDataStillGivesOneRoot() throws Exception {
        add(onset("b", MINUTE, "a"));
        add(onset("a", MINUTE, "b"));
        harness.processWatermark(MINUTE);

        assertThat(harness.extractOutputValues()).extracting(o -> o.fireRoot).containsExactly("a", "a");
    }

    @Test
    void stateAndTimersAreGoneAfterRetention() throws Exception {
        add(onset("1", MINUTE, null));
        add(onset("2", 2 * MINUTE, "1"));
        harness.processWatermark(2 * MINUTE);
        assertThat(harness.numKeyedStateEntries()).isGreaterThan(0);

        harness.processWatermark(2 * MINUTE + RETENTION.toMillis());

        assertThat(harness.extractOutputValues()).hasSize(2);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void afterRetentionTheSameNodeStartsANewFire() throws Exception {
        add(onset("1", MINUTE, null));
        harness.processWatermark(MINUTE + RETENTION.toMillis());
        long later = 2 * MINUTE + RETENTION.toMillis();
        add(onset("2", later, "1"));
        harness.processWatermark(later);

        Onset second = harness.extractOutputValues().get(1);
        assertThat(second.fireRoot).as("node 1's onset is forgotten").isEqualTo("2");
    }
}
