package org.bushfire.job;

import java.util.Objects;
import org.bushfire.domain.Alert;
import org.bushfire.domain.DeadLetter;
import org.bushfire.domain.IncidentMessage;
import org.bushfire.domain.Reading;

/**
 * The job's outputs. Alerts or incidents (or both) are required: an incident's first message is its fire's
 * alert. Dead letters, late readings and raw readings are optional (a missing one is still counted in
 * metrics). Raw readings receive every valid reading, late ones included.
 */
public final class AlertingSinks {
    StreamSink<Alert> alerts;
    StreamSink<IncidentMessage> incidents;
    StreamSink<DeadLetter> deadLetters;
    StreamSink<Reading> lateReadings;
    StreamSink<Reading> rawReadings;

    private AlertingSinks() {}

    public static AlertingSinks alertsTo(StreamSink<Alert> alerts) {
        AlertingSinks sinks = new AlertingSinks();
        sinks.alerts = Objects.requireNonNull(alerts, "alerts");
        return sinks;
    }

    /** Every message of every fire's incident: the alert, its updates, its all-clear. */
    public static AlertingSinks incidentsTo(StreamSink<IncidentMessage> incidents) {
        AlertingSinks sinks = new AlertingSinks();
        sinks.incidents = Objects.requireNonNull(incidents, "incidents");
        return sinks;
    }

    /** Alerts besides the incidents; null: none. */
    public AlertingSinks alsoAlertsTo(StreamSink<Alert> sink) {
        this.alerts = sink;
        return this;
    }

    /** Incidents besides the alerts. */
    public AlertingSinks alsoIncidentsTo(StreamSink<IncidentMessage> sink) {
        this.incidents = sink;
        return this;
    }

    public AlertingSinks deadLettersTo(StreamSink<DeadLetter> sink) {
        this.deadLetters = sink;
        return this;
    }

    public AlertingSinks lateReadingsTo(StreamSink<Reading> sink) {
        this.lateReadings = sink;
        return this;
    }

    public AlertingSinks rawReadingsTo(StreamSink<Reading> sink) {
        this.rawReadings = sink;
        return this;
    }
}
