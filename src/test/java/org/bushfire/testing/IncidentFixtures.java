package org.bushfire.testing;

import java.util.ArrayList;
import java.util.List;
import org.bushfire.domain.Alert;
import org.bushfire.domain.GeoPoint;
import org.bushfire.domain.IncidentMessage;
import org.bushfire.domain.IncidentMessage.Reason;
import org.bushfire.domain.IncidentMessage.Reference;
import org.bushfire.domain.IncidentMessage.Stage;
import org.bushfire.domain.Onset;
import org.bushfire.domain.Reading;
import org.bushfire.domain.SensorId;

/**
 * Incident messages built by hand, as the incident step would emit them, for the formats and delivery tests: one
 * fire in a network, its alert (a chain of five numeric sensors one minute apart), an update with a square hull,
 * and the all-clear. The geometry is given, not computed: these tests check how a message is written and
 * delivered, not how its geometry is found.
 */
public final class IncidentFixtures {
    public static final long T0 = Scenario.T0.toEpochMilli();
    public static final long MINUTE = 60_000L;

    private IncidentFixtures() {}

    /** Message 1: the alert, with positions on the chain when {@code positions}. */
    public static IncidentMessage alert(String network, boolean positions) {
        Onset[] chain = chain(network, positions, 5);
        IncidentMessage m = fire(network, chain);
        m.sequence = 1;
        m.messageId = IncidentMessage.idOf(m.alertId, 1);
        m.stage = Stage.ALERT;
        m.reason = Reason.FIRST_CHAIN;
        m.sentTimestamp = T0 + 4 * MINUTE;
        m.lastOnsetTimestamp = m.sentTimestamp;
        m.burningSensors = 5;
        m.newestOnsets = reversed(chain);
        if (positions) {
            m.positionedSensors = 5;
            m.centroid = new GeoPoint(-33.72, 150.32);
            m.boundingBoxMin = new GeoPoint(-33.74, 150.30);
            m.boundingBoxMax = new GeoPoint(-33.70, 150.34);
        }
        return m;
    }

    /**
     * Message 2: the update at the 2N milestone, 20 minutes in: 10 sensors burning, the located ones within a
     * rectangle of 0.05° by 0.04° (about 5.6 km north-south by 3.7 km east-west at this latitude, 20.6 km²), the
     * front heading north-east at 30 m/min; the newest two onsets came after the alert.
     */
    public static IncidentMessage update(String network) {
        IncidentMessage alert = alert(network, true);
        IncidentMessage m = fire(network, alert.firstChain);
        m.sequence = 2;
        m.messageId = IncidentMessage.idOf(m.alertId, 2);
        m.stage = Stage.UPDATE;
        m.reason = Reason.MILESTONE;
        m.milestone = 10;
        m.previousMessageId = alert.messageId;
        m.references = new Reference[] {new Reference(alert.messageId, alert.sentTimestamp)};
        m.sentTimestamp = T0 + 20 * MINUTE + 500;
        m.lastOnsetTimestamp = T0 + 20 * MINUTE + 500;
        m.burningSensors = 10;
        m.newestOnsets = new Onset[] {
                onset(network, "10", T0 + 20 * MINUTE + 500, "9", -33.69, 150.33, m.firstChain[0]),
                onset(network, "9", T0 + 12 * MINUTE, "8", -33.70, 150.32, m.firstChain[0]),
                alert.firstChain[4]};
        m.positionedSensors = 10;
        m.hull = new GeoPoint[] {
                new GeoPoint(-33.74, 150.30), new GeoPoint(-33.74, 150.34),
                new GeoPoint(-33.69, 150.34), new GeoPoint(-33.69, 150.30)};
        m.areaKm2 = 20.6;
        m.centroid = new GeoPoint(-33.715, 150.32);
        m.boundingBoxMin = new GeoPoint(-33.74, 150.30);
        m.boundingBoxMax = new GeoPoint(-33.69, 150.34);
        m.headingDegrees = 45.0;
        m.rateOfSpreadMetresPerMinute = 30.0;
        return m;
    }

    /** Message 3: the all-clear, two hours in, the same fire as {@link #update}. */
    public static IncidentMessage allClear(String network) {
        IncidentMessage update = update(network);
        IncidentMessage m = update(network);
        m.sequence = 3;
        m.messageId = IncidentMessage.idOf(m.alertId, 3);
        m.stage = Stage.ALL_CLEAR;
        m.reason = Reason.BURNT_OUT;
        m.previousMessageId = update.messageId;
        m.references = new Reference[] {update.references[0], new Reference(update.messageId, update.sentTimestamp)};
        m.sentTimestamp = T0 + 120 * MINUTE;
        m.headingDegrees = null;
        m.rateOfSpreadMetresPerMinute = null;
        return m;
    }

    private static IncidentMessage fire(String network, Onset[] chain) {
        IncidentMessage m = new IncidentMessage();
        m.network = network;
        m.fireRoot = chain[0].node();
        m.fireRootNumeric = true;
        m.fireRootOnsetTimestamp = T0;
        m.alertId = Alert.idOf(network, m.fireRoot, T0);
        m.firstChain = chain;
        return m;
    }

    /** Numeric sensors 1…n, one minute apart, each infected by the one before. */
    public static Onset[] chain(String network, boolean positions, int n) {
        List<Onset> onsets = new ArrayList<>();
        SensorId root = new SensorId("1", true);
        for (int i = 0; i < n; i++) {
            Reading r = new Reading(network, String.valueOf(i + 1), T0 + i * MINUTE, 60.0 + i * 1.125,
                    i == 0 ? null : String.valueOf(i));
            r.nodeNumeric = true;
            r.infectedByNumeric = i > 0;
            if (positions) {
                r.lat = -33.70 - i * 0.01;
                r.lon = 150.30 + i * 0.01;
            }
            onsets.add(new Onset(r).withFireRoot(root, T0));
        }
        return onsets.toArray(new Onset[0]);
    }

    private static Onset onset(String network, String node, long t, String infector, double lat, double lon, Onset root) {
        Reading r = new Reading(network, node, t, 55.0, infector);
        r.nodeNumeric = true;
        r.infectedByNumeric = true;
        r.lat = lat;
        r.lon = lon;
        Onset o = new Onset(r);
        o.fireRoot = root.fireRoot;
        o.fireRootNumeric = true;
        o.fireRootOnsetTimestamp = T0;
        return o;
    }

    private static Onset[] reversed(Onset[] onsets) {
        Onset[] r = new Onset[onsets.length];
        for (int i = 0; i < onsets.length; i++) {
            r[i] = onsets[onsets.length - 1 - i];
        }
        return r;
    }
}
