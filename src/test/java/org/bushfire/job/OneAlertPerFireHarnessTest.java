package org.bushfire.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.bushfire.domain.Alert;
import org.bushfire.domain.InfectionChain;
import org.bushfire.domain.Onset;
import org.bushfire.domain.Reading;
import org.bushfire.domain.SensorId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OneAlertPerFireHarnessTest {
    static final Duration RETENTION = Duration.ofHours(6);
    static final long MINUTE = 60_000L;

    KeyedOneInputStreamOperatorTestHarness<String, InfectionChain, Alert> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new OneAlertPerFire(RETENTION), new Keys.ByFire(), Types.STRING);
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    /** A chain of the fire rooted at {@code root} (onset at minute 1), its nodes a minute apart from {@code start}. */
    static InfectionChain chain(String root, long start, String... nodes) {
        List<Onset> onsets = new ArrayList<>();
        for (int i = 0; i < nodes.length; i++) {
            Reading r = new Reading("ridge-7", nodes[i], (start + i) * MINUTE, 60.0, i == 0 ? null : nodes[i - 1]);
            onsets.add(new Onset(r).withFireRoot(new SensorId(root, false), MINUTE));
        }
        return new InfectionChain(onsets);
    }

    void add(InfectionChain chain) throws Exception {
        harness.processElement(chain, chain.completedTimestamp());
    }

    @Test
    void theFirstChainOfAFireAlertsAndLaterOnesDoNot() throws Exception {
        add(chain("r", 1, "r", "a", "b", "c", "d"));
        add(chain("r", 2, "a", "x", "y", "z", "w"));
        add(chain("q", 3, "q", "m", "n", "o", "p"));
        assertThat(harness.extractOutputValues()).as("held until the watermark passes the completion").isEmpty();
        harness.processWatermark(10 * MINUTE);

        List<Alert> alerts = harness.extractOutputValues();
        assertThat(alerts).extracting(a -> a.fireRoot).containsExactly("r", "q");
        assertThat(alerts.get(0).chainNodes()).containsExactly("r", "a", "b", "c", "d");
        assertThat(alerts.get(0).alertId).isEqualTo(Alert.idOf("ridge-7", "r", MINUTE));
    }

    @Test
    void theChainCompletingFirstInEventTimeAlertsWhateverOrderChainsArriveIn() throws Exception {
        // Chains of one fire come from parallel pattern instances: the later one may arrive first.
        add(chain("r", 3, "b", "c", "d", "e", "f"));
        add(chain("r", 1, "r", "a", "b", "c", "d"));
        harness.processWatermark(10 * MINUTE);

        assertThat(harness.extractOutputValues()).singleElement()
                .satisfies(a -> assertThat(a.chainNodes()).containsExactly("r", "a", "b", "c", "d"));
    }

    @Test
    void ofChainsCompletingAtOneInstantTheOneReleasedFirstAlerts() throws Exception {
        InfectionChain second = ranked(chain("r", 1, "r", "a", "b", "c", "e"), 7);
        InfectionChain first = ranked(chain("r", 1, "r", "a", "b", "c", "d"), 2);
        add(second);
        add(first);
        harness.processWatermark(10 * MINUTE);

        assertThat(harness.extractOutputValues()).singleElement()
                .satisfies(a -> assertThat(a.chainNodes()).endsWith("d"));
    }

    /** The chain with its last onset at this rank among the onsets released at its instant. */
    static InfectionChain ranked(InfectionChain chain, int rank) {
        chain.last().releaseRank = rank;
        return chain;
    }

    @Test
    void stateAndTimersAreGoneAfterRetention() throws Exception {
        InfectionChain chain = chain("r", 1, "r", "a", "b", "c", "d");
        add(chain);
        harness.processWatermark(chain.completedTimestamp());
        assertThat(harness.extractOutputValues()).hasSize(1);
        assertThat(harness.numKeyedStateEntries()).as("the fire is remembered as alerted").isEqualTo(1);
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);

        harness.processWatermark(chain.completedTimestamp() + RETENTION.toMillis());

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }
}
