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

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Onset)) {
            return false;
        }
        Onset other = (Onset) o;
        return Objects.equals(reading, other.reading) && Objects.equals(fireRoot, other.fireRoot)
                && fireRootNumeric == other.fireRootNumeric
                && fireRootOnsetTimestamp == other.fireRootOnsetTimestamp;
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
