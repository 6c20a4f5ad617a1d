package org.bushfire.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.bushfire.domain.Alert;
import org.bushfire.domain.FireEvent;
import org.bushfire.domain.IncidentMessage;
import org.bushfire.domain.IncidentMessage.Reason;
import org.bushfire.domain.IncidentMessage.Stage;
import org.bushfire.domain.InfectionChain;
import org.bushfire.domain.Onset;
import org.bushfire.domain.Reading;
import org.bushfire.domain.SensorId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The incident rules on hand-made fires (N = 5, update every 10 min, all clear after 60 quiet minutes): sensor
 * k of the fire burns at minute k unless said otherwise, 100 m east of the one before.
 */
class FireIncidentsHarnessTest {
    static final long MINUTE = 60_000L;
    static final long T0 = 1732147200000L;
    static final String NETWORK = "ridge";
    static final AlertingConfig CONFIG = AlertingConfig.defaults();

    KeyedOneInputStreamOperatorTestHarness<String, FireEvent, IncidentMessage> harness;
    final List<Onset> chain = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness();
    }

    static KeyedOneInputStreamOperatorTestHarness<String, FireEvent, IncidentMessage> newHarness() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, FireEvent, IncidentMessage> h =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(new FireIncidents(CONFIG),
                        new Keys.ByEventNetwork(), Types.STRING);
        return h;
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    static Onset onset(int sensor, long t) {
        Reading r = new Reading(NETWORK, String.valueOf(sensor), t, 70.0, sensor == 1 ? null : String.valueOf(sensor - 1));
        r.nodeNumeric = true;
        r.lat = -33.70;
        r.lon = 150.30 + sensor * 0.001;
        return new Onset(r).released(new SensorId("1", true), T0 + MINUTE, 0);
    }

    static FireEvent cold(int sensor, long t) {
        return FireEvent.heatReport(new Reading(NETWORK, String.valueOf(sensor), t, 20.0, null));
    }

    static FireEvent hot(int sensor, long t) {
        return FireEvent.heatReport(new Reading(NETWORK, String.valueOf(sensor), t, 70.0, null));
    }

    static long minute(double m) {
        return T0 + Math.round(m * MINUTE);
    }

    /** Sensors 1…5 at minutes 1…5, and the alert of their chain at minute 5. */
    List<FireEvent> alertedFire() {
        List<FireEvent> events = new ArrayList<>();
        for (int k = 1; k <= 5; k++) {
            Onset o = onset(k, minute(k));
            chain.add(o);
            events.add(FireEvent.onset(o));
        }
        events.add(FireEvent.alert(Alert.of(new InfectionChain(chain))));
        return events;
    }

    void put(List<FireEvent> events) throws Exception {
        for (FireEvent e : events) {
            put(e);
        }
    }

    void put(FireEvent e) throws Exception {
        harness.processElement(e, e.timestamp());
    }

    List<IncidentMessage> messages() {
        return harness.extractOutputValues();
    }

    @Test
    void theAlertIsMessageOneAndMilestonesWithinAMinuteMergeIntoOneUpdate() throws Exception {
        put(alertedFire());
        harness.processWatermark(minute(5));
        assertThat(messages()).hasSize(1);
        IncidentMessage alert = messages().get(0);
        String alertId = Alert.of(new InfectionChain(chain)).alertId;
        assertThat(alert.messageId).isEqualTo(alertId + ".1");
        assertThat(alert.stage).isEqualTo(Stage.ALERT);
        assertThat(alert.reason).isEqualTo(Reason.FIRST_CHAIN);
        assertThat(alert.previousMessageId).isNull();
        assertThat(alert.references).isEmpty();
        assertThat(alert.burningSensors).isEqualTo(5);
        assertThat(alert.sentTimestamp).isEqualTo(minute(5));
        assertThat(alert.firstChain).extracting(Onset::node).containsExactly("1", "2", "3", "4", "5");

        for (int k = 6; k <= 10; k++) {          // 2N = 10 crossed at minute 10 …
            put(FireEvent.onset(onset(k, minute(k))));
        }
        for (int k = 11; k <= 20; k++) {         // … and 4N = 20 at 10:50, within the minute: one update
            put(FireEvent.onset(onset(k, minute(10 + (k - 10) * 5 / 60.0))));
        }
        harness.processWatermark(minute(11.5));
        assertThat(messages()).as("the merged update waits a minute after the last crossing").hasSize(1);
        harness.processWatermark(minute(12));

        assertThat(messages()).hasSize(2);
        IncidentMessage update = messages().get(1);
        assertThat(update.messageId).isEqualTo(alertId + ".2");
        assertThat(update.stage).isEqualTo(Stage.UPDATE);
        assertThat(update.reason).isEqualTo(Reason.MILESTONE);
        assertThat(update.milestone).isEqualTo(20);
        assertThat(update.burningSensors).isEqualTo(20);
        assertThat(update.sentTimestamp).isEqualTo(minute(10 + 50 / 60.0) + MINUTE);
        assertThat(update.previousMessageId).isEqualTo(alert.messageId);
        assertThat(update.references).extracting(r -> r.messageId).containsExactly(alert.messageId);
        assertThat(update.references[0].sentTimestamp).isEqualTo(alert.sentTimestamp);
        assertThat(update.newestOnsets).extracting(Onset::node).containsExactly("20", "19", "18", "17", "16");
        assertThat(update.positionedSensors).isEqualTo(20);
        assertThat(update.areaKm2).as("the sensors lie on one line: no area").isZero();
    }

    @Test
    void aPeriodicUpdateOnlyWhenMoreSensorsBurntSinceTheLastMessage() throws Exception {
        put(alertedFire());
        put(FireEvent.onset(onset(6, minute(7))));
        harness.processWatermark(minute(14.9));
        assertThat(messages()).hasSize(1);
        harness.processWatermark(minute(15));
        assertThat(messages()).hasSize(2);
        assertThat(messages().get(1).reason).isEqualTo(Reason.PERIODIC);
        assertThat(messages().get(1).sentTimestamp).isEqualTo(minute(15));
        assertThat(messages().get(1).burningSensors).isEqualTo(6);

        harness.processWatermark(minute(40));
        assertThat(messages()).as("nothing new burnt: no update").hasSize(2);

        put(FireEvent.onset(onset(7, minute(41))));
        harness.processWatermark(minute(41));
        assertThat(messages()).hasSize(3);
        assertThat(messages().get(2).reason).isEqualTo(Reason.PERIODIC);
        assertThat(messages().get(2).sentTimestamp).as("due since 25: sent with the next onset").isEqualTo(minute(41));
    }

    @Test
    void allClearOnlyWhenQuietAndEveryBurningSensorReportedCold() throws Exception {
        put(alertedFire());
        for (int k = 1; k <= 4; k++) {
            put(cold(k, minute(20)));
        }
        harness.processWatermark(minute(70));
        assertThat(messages()).as("sensor 5 still hot at 65").extracting(m -> m.stage).containsExactly(Stage.ALERT);

        put(cold(5, minute(72)));
        harness.processWatermark(minute(72));
        assertThat(messages()).extracting(m -> m.stage).containsExactly(Stage.ALERT, Stage.ALL_CLEAR);
        IncidentMessage clear = messages().get(1);
        assertThat(clear.reason).isEqualTo(Reason.BURNT_OUT);
        assertThat(clear.sentTimestamp).isEqualTo(minute(72));
        assertThat(clear.messageId).endsWith(".2");

        put(FireEvent.onset(onset(6, minute(80))));
        harness.processWatermark(minute(200));
        assertThat(messages()).as("nothing after the all-clear").hasSize(2);
    }

    @Test
    void aSensorThatFlaresUpAgainHoldsTheAllClearBack() throws Exception {
        put(alertedFire());
        for (int k = 1; k <= 5; k++) {
            put(cold(k, minute(20)));
        }
        put(hot(3, minute(30)));
        harness.processWatermark(minute(66));
        assertThat(messages()).hasSize(1);
        put(cold(3, minute(67)));
        harness.processWatermark(minute(67));
        assertThat(messages()).extracting(m -> m.stage).containsExactly(Stage.ALERT, Stage.ALL_CLEAR);
    }

    @Test
    void theSameEventsInAnotherArrivalOrderGiveTheSameMessages() throws Exception {
        List<FireEvent> events = new ArrayList<>(alertedFire());
        for (int k = 6; k <= 12; k++) {
            events.add(FireEvent.onset(onset(k, minute(5 + k * 0.5))));
        }
        for (int k = 1; k <= 12; k++) {
            events.add(cold(k, minute(30)));
        }
        put(events);
        harness.processWatermark(minute(200));
        List<IncidentMessage> inOrder = messages();

        KeyedOneInputStreamOperatorTestHarness<String, FireEvent, IncidentMessage> other = newHarness();
        List<FireEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new java.util.Random(7));
        for (FireEvent e : shuffled) {
            other.processElement(e, e.timestamp());
        }
        other.processWatermark(minute(200));
        List<IncidentMessage> reordered = other.extractOutputValues();
        other.close();

        assertThat(inOrder).extracting(m -> m.stage).containsExactly(Stage.ALERT, Stage.UPDATE, Stage.ALL_CLEAR);
        assertThat(reordered).usingRecursiveFieldByFieldElementComparator().isEqualTo(inOrder);
    }

    @Test
    void anIncidentIsForgottenAfterTheStateRetention() throws Exception {
        put(alertedFire());
        for (int k = 1; k <= 5; k++) {
            put(cold(k, minute(20)));
        }
        harness.processWatermark(minute(65));
        assertThat(messages()).hasSize(2);
        assertThat(harness.numKeyedStateEntries()).isPositive();

        harness.processWatermark(minute(65) + CONFIG.stateRetention().toMillis());
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aFireThatNeverAlertsSendsNothing() throws Exception {
        for (int k = 1; k <= 4; k++) {
            put(FireEvent.onset(onset(k, minute(k))));
        }
        harness.processWatermark(minute(500));
        assertThat(messages()).isEmpty();
        assertThat(Duration.ofMillis(minute(500) - T0)).isLessThan(CONFIG.stateRetention());
    }

    @Test
    void aPeriodicUpdateThatGoesOutWhileAMilestoneIsPendingAnnouncesIt() throws Exception {
        put(alertedFire());
        for (int k = 6; k <= 9; k++) {
            put(FireEvent.onset(onset(k, minute(k))));
        }
        put(FireEvent.onset(onset(10, minute(14.5))));     // 2N at 14:30; the periodic update is due at 15:00
        harness.processWatermark(minute(20));

        assertThat(messages()).extracting(m -> m.reason).containsExactly(Reason.FIRST_CHAIN, Reason.PERIODIC);
        assertThat(messages().get(1).sentTimestamp).isEqualTo(minute(15));
        assertThat(messages().get(1).milestone).isEqualTo(10);
        assertThat(messages().get(1).burningSensors).isEqualTo(10);
    }

    /**
     * A restore mid-incident — from a checkpoint taken between the alert and the all-clear, the events after it
     * delivered again, as a source replays them — continues the sequence without a gap or a copy: the messages
     * after the checkpoint are exactly those of a run that never failed.
     */
    @Test
    void aRestoreMidIncidentContinuesTheSequenceWithoutAGapOrACopy() throws Exception {
        List<FireEvent> before = new ArrayList<>(alertedFire());
        for (int k = 6; k <= 12; k++) {
            before.add(FireEvent.onset(onset(k, minute(5 + k * 0.5))));
        }
        List<FireEvent> after = new ArrayList<>();
        for (int k = 13; k <= 22; k++) {
            after.add(FireEvent.onset(onset(k, minute(20 + k * 0.2))));
        }
        for (int k = 1; k <= 22; k++) {
            after.add(cold(k, minute(40)));
        }

        put(before);
        harness.processWatermark(minute(12));
        int sentBefore = messages().size();
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState checkpoint = harness.snapshot(1L, minute(12));
        put(after);
        harness.processWatermark(minute(200));
        List<IncidentMessage> uninterrupted = messages();

        KeyedOneInputStreamOperatorTestHarness<String, FireEvent, IncidentMessage> restored =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new org.apache.flink.streaming.api.operators.KeyedProcessOperator<>(new FireIncidents(CONFIG)),
                        new Keys.ByEventNetwork(), Types.STRING);
        restored.setup();
        restored.initializeState(checkpoint);
        restored.open();
        for (FireEvent e : after) {
            restored.processElement(e, e.timestamp());
        }
        restored.processWatermark(minute(200));
        List<IncidentMessage> afterRestore = restored.extractOutputValues();
        restored.close();

        assertThat(sentBefore).isEqualTo(2);
        for (int i = 0; i < uninterrupted.size(); i++) {
            assertThat(uninterrupted.get(i).sequence).isEqualTo(i + 1);
        }
        assertThat(uninterrupted.size()).as("updates and the all-clear after the checkpoint").isGreaterThan(sentBefore + 1);
        assertThat(afterRestore).usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(uninterrupted.subList(sentBefore, uninterrupted.size()));
        assertThat(afterRestore.get(afterRestore.size() - 1).stage).isEqualTo(Stage.ALL_CLEAR);
    }
}
