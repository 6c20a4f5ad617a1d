package org.bushfire.domain;

/**
 * One message of a fire incident — the alert when the fire's first chain of N completes, an update while it
 * grows, the all-clear when it is out. Every field derives from the readings and event time, so replay,
 * restore and both delivery modes give exactly the same messages, with the same ids.
 *
 * <p>Ids: {@link #messageId} is the fire's {@link Alert#alertId} and the {@link #sequence} number (the alert
 * is 1); every message after the alert names the one before it and lists all earlier ones, which is what a CAP
 * {@code references} element needs (identifier and sent time of each).
 */
public class IncidentMessage {
    /** Where the incident is: the CAP {@code msgType} follows from it (all-clear is an Update, AllClear). */
    public enum Stage { ALERT, UPDATE, ALL_CLEAR }

    /** Why this message was sent now. */
    public enum Reason {
        /** The first chain of N completed: the alert. */
        FIRST_CHAIN,
        /** The burning count crossed a milestone (2N, 4N, 8N, …). */
        MILESTONE,
        /** {@code --update-every} of event time passed since the last message and more sensors burnt since. */
        PERIODIC,
        /** No new onset for {@code --quiet-after} and every burning sensor has reported below T since. */
        BURNT_OUT
    }

    /** An earlier message of the same incident: its id, and the event time it was sent at. */
    public static class Reference {
        public String messageId;
        public long sentTimestamp;

        public Reference() {}

        public Reference(String messageId, long sentTimestamp) {
            this.messageId = messageId;
            this.sentTimestamp = sentTimestamp;
        }
    }

    public String messageId;
    /** 1 for the alert, then 2, 3, … without a gap. */
    public int sequence;
    public Stage stage;
    public Reason reason;
    /** The message before this one, or null for the alert. */
    public String previousMessageId;
    /** Every earlier message of this incident, oldest first; empty for the alert. */
    public Reference[] references = new Reference[0];

    /** The fire: the same identity, and the same id, as its alert. */
    public String alertId;
    public String network;
    public String fireRoot;
    public boolean fireRootNumeric;
    public long fireRootOnsetTimestamp;

    /** The event time this message was decided at; also its CAP {@code sent}. */
    public long sentTimestamp;
    /** The newest onset of the fire so far. */
    public long lastOnsetTimestamp;

    /** Sensors of the fire that have an onset (burning or burnt) at {@link #sentTimestamp}. */
    public int burningSensors;
    /** The highest milestone (2N, 4N, 8N, …) the burning count has crossed, 0 before the first. */
    public int milestone;
    /** The path of the fire's first chain of N: the alert's chain, in infection order. */
    public Onset[] firstChain = new Onset[0];
    /** The newest onsets, newest first (at most a handful). */
    public Onset[] newestOnsets = new Onset[0];

    /** Burning sensors that reported a position: the geometry below is theirs. */
    public int positionedSensors;
    /** Convex hull of the positioned burning sensors, counter-clockwise, not closed; empty below three. */
    public GeoPoint[] hull = new GeoPoint[0];
    /** Area of the hull in km², 0 without one. */
    public double areaKm2;
    /** Null without positions. */
    public GeoPoint centroid;
    /** South-west and north-east corners of the positioned sensors; null without positions. */
    public GeoPoint boundingBoxMin;
    public GeoPoint boundingBoxMax;
    /** Direction the front moves toward, degrees clockwise from true north; null when it cannot be estimated. */
    public Double headingDegrees;
    /** Speed of the front, metres per minute of event time; null when it cannot be estimated. */
    public Double rateOfSpreadMetresPerMinute;

    public IncidentMessage() {}

    /** The fire's alert, as every message of its incident carries it: its identity and its first chain. */
    public Alert alert() {
        Alert a = new Alert();
        a.alertId = alertId;
        a.network = network;
        a.fireRoot = fireRoot;
        a.fireRootNumeric = fireRootNumeric;
        a.fireRootOnsetTimestamp = fireRootOnsetTimestamp;
        a.chain = firstChain.clone();
        a.completedTimestamp = a.chain.length == 0 ? sentTimestamp : a.chain[a.chain.length - 1].timestamp();
        return a;
    }

    /** The id of message {@code sequence} of the fire whose alert id is {@code alertId}. */
    public static String idOf(String alertId, int sequence) {
        return alertId + "." + sequence;
    }

    @Override
    public String toString() {
        return "IncidentMessage[" + messageId + " " + stage + " " + reason + " " + network + " root " + fireRoot
                + ": " + burningSensors + " burning]";
    }
}
