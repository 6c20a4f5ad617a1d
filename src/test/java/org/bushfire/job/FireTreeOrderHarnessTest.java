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
    /** The hops of most tests here are a minute: shorter than this window, none of them links a chain. */
    static final Duration NO_CHAIN_WINDOW = Duration.ofSeconds(30);
    static final Duration WINDOW = Duration.ofMinutes(5);

    KeyedOneInputStreamOperatorTestHarness<String, Onset, LineageOnset> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = harness(NO_CHAIN_WINDOW);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, Onset, LineageOnset> harness(Duration window)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new FireTreeOrder(RETENTION, CHAIN_LENGTH, window), new Keys.ByNetwork(), Types.STRING);
    }

    /** Every onset released, copies or not: what the fire's incident hears. */
    List<String> fireOnsets() {
        return harness.getSideOutput(FireTreeOrder.FIRE_ONSETS).stream().map(r -> r.getValue().node())
                .collect(Collectors.toList());
    }

    List<String> copies() {
        return harness.extractOutputValues().stream().map(o -> o.onset.node() + "@" + o.chainStart)
                .collect(Collectors.toList());
    }

    /** Nodes 1, 2, 3 a minute apart, each infected by the one before: a chain of three, complete at 3 min. */
    void aChainOfThree() throws Exception {
        harness.close();
        harness = harness(WINDOW);
        add(onset("1", MINUTE, null));
        add(onset("2", 2 * MINUTE, "1"));
        add(onset("3", 3 * MINUTE, "2"));
    }

    static final List<String> CHAIN_OF_THREE_COPIES = List.of("1@1", "2@2", "2@1", "3@3", "3@2", "3@1");

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

    @Test
    void onceItsFireHasAChainALaterOnsetGoesOnlyToTheIncident() throws Exception {
        aChainOfThree();
        add(onset("4", 4 * MINUTE, "3"));
        add(onset("5", 4 * MINUTE, "2"));
        add(onset("6", 9 * MINUTE, "4"));
        harness.processWatermark(9 * MINUTE);

        assertThat(copies()).as("no copies after the chain completed at 3 min").isEqualTo(CHAIN_OF_THREE_COPIES);
        assertThat(fireOnsets()).containsExactly("1", "2", "3", "4", "5", "6");
    }

    @Test
    void anOnsetOfTheInstantTheChainCompletesStillGoesToThePattern() throws Exception {
        aChainOfThree();
        add(onset("3b", 3 * MINUTE, "2")); // a chain 1-2-3b completing at the same instant, ranked after 3
        harness.processWatermark(3 * MINUTE);

        assertThat(copies()).containsSubsequence("3b@3b", "3b@2", "3b@1");
    }

    @Test
    void anotherFireOfTheNetworkKeepsItsCopies() throws Exception {
        aChainOfThree();
        add(onset("a", 4 * MINUTE, null));
        add(onset("b", 5 * MINUTE, "a"));
        harness.processWatermark(5 * MINUTE);

        assertThat(copies()).endsWith("a@a", "b@b", "b@a");
    }

    @Test
    void aFireWhoseRootNamesAnUnknownInfectorKeepsEveryOnsetGoing() throws Exception {
        // Node 1 names z, which has no onset (yet): if z's onset is released later, the fire gets root z — a
        // new fire key with an alert of its own, whose chains may run through these later onsets.
        harness.close();
        harness = harness(WINDOW);
        add(onset("1", MINUTE, "z"));
        add(onset("2", 2 * MINUTE, "1"));
        add(onset("3", 3 * MINUTE, "2"));
        add(onset("4", 4 * MINUTE, "3"));
        harness.processWatermark(4 * MINUTE);

        assertThat(copies()).endsWith("4@4", "4@3", "4@2");
    }

    @Test
    void anOnsetWhoseChainsWouldCompleteAfterTheFireIsForgottenGoesOn() throws Exception {
        aChainOfThree();
        // Chains through an onset complete up to 2 · W = 10 min after it. Node 1 (1 min) is forgotten at 1 min + 6 h,
        // and with it the fire's root for later walks: an onset from 5 h 51 min on keeps its copies.
        long heldBack = RETENTION.toMillis() - 11 * MINUTE;
        long goesOn = RETENTION.toMillis() - 9 * MINUTE;
        add(onset("4", heldBack, "3"));
        add(onset("5", goesOn, "4"));
        harness.processWatermark(goesOn);

        assertThat(copies()).doesNotContain("4@4").endsWith("5@5", "5@4", "5@3");
        assertThat(fireOnsets()).endsWith("4", "5");
    }

    @Test
    void aFireWithAChainLeavesNoStateOrTimersAfterRetention() throws Exception {
        aChainOfThree();
        add(onset("4", 4 * MINUTE, "3"));
        harness.processWatermark(4 * MINUTE);
        assertThat(harness.numKeyedStateEntries()).isGreaterThan(0);

        harness.processWatermark(4 * MINUTE + RETENTION.toMillis());

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
