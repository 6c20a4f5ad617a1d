package org.bushfire.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.bushfire.domain.LineageOnset;
import org.bushfire.domain.Onset;
import org.bushfire.domain.Reading;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FireTreeOrderHarnessTest {
    static final Duration RETENTION = Duration.ofHours(6);
    static final long MINUTE = 60_000L;
    static final int CHAIN_LENGTH = 3;

    KeyedOneInputStreamOperatorTestHarness<String, Onset, LineageOnset> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new FireTreeOrder(RETENTION, CHAIN_LENGTH), new Keys.ByNetwork(), Types.STRING);
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

    /** The released onsets, one per node: the copy each sends to its own lineage. */
    List<Onset> released() {
        return harness.extractOutputValues().stream().filter(LineageOnset::startsLineage).map(o -> o.onset)
                .collect(Collectors.toList());
    }

    @Test
    void eachOnsetGoesToItsOwnLineageAndToItsNearestAncestorsUpToChainLengthMinusOne() throws Exception {
        add(onset("1", MINUTE, null));
        add(onset("2", 2 * MINUTE, "1"));
        add(onset("3", 3 * MINUTE, "2"));
        add(onset("4", 4 * MINUTE, "3"));
        harness.processWatermark(4 * MINUTE);

        assertThat(harness.extractOutputValues()).extracting(o -> o.onset.node() + "@" + o.chainStart)
                .containsExactly("1@1", "2@2", "2@1", "3@3", "3@2", "3@1", "4@4", "4@3", "4@2");
    }

    @Test
    void onsetsOfOneInstantAreRankedInTheOrderTheyLeave() throws Exception {
        add(onset("c", MINUTE, "b"));
        add(onset("b", MINUTE, null));
        add(onset("a", MINUTE, null));
        harness.processWatermark(MINUTE);

        assertThat(released()).extracting(o -> o.node() + "#" + o.releaseRank).containsExactly("a#0", "b#1", "c#2");
    }

    @Test
    void onsetsOfOneInstantLeaveInfectorFirstStampedWithTheirRoot() throws Exception {
        add(onset("1", MINUTE, null));
        harness.processWatermark(MINUTE);
        add(onset("4", 2 * MINUTE, "3"));
        add(onset("3", 2 * MINUTE, "2"));
        add(onset("2", 2 * MINUTE, "1"));
        assertThat(released()).extracting(Onset::node).containsExactly("1");

        harness.processWatermark(2 * MINUTE);

        List<Onset> out = released();
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

        assertThat(released()).extracting(o -> o.fireRoot).containsExactly("4", "4");
    }

    @Test
    void aCycleInTheDataStillGivesOneRoot() throws Exception {
        add(onset("b", MINUTE, "a"));
        add(onset("a", MINUTE, "b"));
        harness.processWatermark(MINUTE);

        assertThat(released()).extracting(o -> o.fireRoot).containsExactly("a", "a");
        assertThat(harness.extractOutputValues()).as("a cycle's nodes are each other's only ancestors")
                .extracting(o -> o.onset.node() + "@" + o.chainStart).containsExactly("a@a", "a@b", "b@b", "b@a");
    }

    @Test
    void stateAndTimersAreGoneAfterRetention() throws Exception {
        add(onset("1", MINUTE, null));
        add(onset("2", 2 * MINUTE, "1"));
        harness.processWatermark(2 * MINUTE);
        assertThat(harness.numKeyedStateEntries()).isGreaterThan(0);

        harness.processWatermark(2 * MINUTE + RETENTION.toMillis());

        assertThat(released()).hasSize(2);
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

        Onset second = released().get(1);
        assertThat(second.fireRoot).as("node 1's onset is forgotten").isEqualTo("2");
    }
}
