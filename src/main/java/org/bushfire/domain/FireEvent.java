package org.bushfire.domain;

/**
 * What a network's fire incidents learn, one of three: a released onset (stamped with its fire root), a
 * fire's alert, or a heat report — a reading of a burning sensor whose newest reading turned hot or cold.
 * A POJO with exactly one field set, so one keyed stream carries all three in event time.
 */
public class FireEvent {
    public Onset onset;
    public Alert alert;
    public Reading heatReport;

    public FireEvent() {}

    public static FireEvent onset(Onset onset) {
        FireEvent e = new FireEvent();
        e.onset = onset;
        return e;
    }

    public static FireEvent alert(Alert alert) {
        FireEvent e = new FireEvent();
        e.alert = alert;
        return e;
    }

    public static FireEvent heatReport(Reading reading) {
        FireEvent e = new FireEvent();
        e.heatReport = reading;
        return e;
    }

    public String network() {
        return onset != null ? onset.network() : alert != null ? alert.network : heatReport.network;
    }

    /** The event time it happened at: an onset's, an alert's completion, a report's reading. */
    public long timestamp() {
        return onset != null ? onset.timestamp() : alert != null ? alert.completedTimestamp : heatReport.eventTimestamp;
    }

    /** Within one instant: onsets first (in release order), then heat reports, then alerts. */
    public int orderInInstant() {
        return onset != null ? 0 : heatReport != null ? 1 : 2;
    }

    @Override
    public String toString() {
        return onset != null ? "FireEvent[" + onset + "]" : alert != null ? "FireEvent[" + alert + "]"
                : "FireEvent[heat " + heatReport + "]";
    }
}
