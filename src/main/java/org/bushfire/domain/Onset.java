package org.bushfire.domain;

import java.util.Objects;

/**
 * A node's onset: its hot reading with the earliest event time. The onset also carries the root of the fire
 * the node belongs to, as known when the onset was placed into its fire tree (in event-time order).
 */
public class Onset {
    public Reading reading;
    public String fireRoot;
    public boolean fireRootNumeric;
    public long fireRootOnsetTimestamp;
    /**
     * Position among the onsets released at the same event time, in infection order (infectors first): which
     * of two chains completing at one instant completed first.
     */
    public int releaseRank;

    public Onset() {}

    public Onset(Reading reading) {
        this.reading = reading;
    }

    public String network() {
        return reading.network;
    }

    public String node() {
        return reading.node;
    }

    public long timestamp() {
        return reading.eventTimestamp;
    }

    /** The infector named by the onset reading, or null. */
    public String infectedBy() {
        return reading.infectedBy;
    }

    public Onset withFireRoot(SensorId root, long rootOnsetTimestamp) {
        Onset o = new Onset(reading);
        o.fireRoot = root.text();
        o.fireRootNumeric = root.numeric();
        o.fireRootOnsetTimestamp = rootOnsetTimestamp;
        return o;
    }

    /** This onset as released into its fire tree: stamped with its fire's root and its rank in the instant. */
    public Onset released(SensorId root, long rootOnsetTimestamp, int rank) {
        Onset o = withFireRoot(root, rootOnsetTimestamp);
        o.releaseRank = rank;
        return o;
    }

    /** Identifies the fire this onset was placed in (see {@link Fire#key}). */
    public String fireKey() {
        return Fire.key(network(), fireRoot, fireRootOnsetTimestamp);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Onset)) {
            return false;
        }
        Onset other = (Onset) o;
        return Objects.equals(reading, other.reading) && Objects.equals(fireRoot, other.fireRoot)
                && fireRootNumeric == other.fireRootNumeric
                && fireRootOnsetTimestamp == other.fireRootOnsetTimestamp && releaseRank == other.releaseRank;
    }

    @Override
    public int hashCode() {
        return Objects.hash(reading, fireRoot);
    }

    @Override
    public String toString() {
        return "Onset[" + reading + (fireRoot == null ? "" : " root " + fireRoot) + "]";
    }
}
