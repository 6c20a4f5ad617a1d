package org.bushfire.job;

import java.util.Objects;
import org.bushfire.domain.Alert;
import org.bushfire.domain.DeadLetter;
import org.bushfire.domain.Reading;

/**
 * The job's outputs. Alerts are required; dead letters, late readings and raw readings are optional (a
 * missing one is still counted in metrics). Raw readings receive every valid reading, late ones included.
 */
public final class AlertingSinks {
    final StreamSink<Alert> alerts;
    StreamSink<DeadLetter> deadLetters;
    StreamSink<Reading> lateReadings;
    StreamSink<Reading> rawReadings;

    private AlertingSinks(StreamSink<Alert> alerts) {
        this.alerts = Objects.requireNonNull(alerts, "alerts");
    }

    public static AlertingSinks alertsTo(StreamSink<Alert> alerts) {
        return new AlertingSinks(alerts);
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
