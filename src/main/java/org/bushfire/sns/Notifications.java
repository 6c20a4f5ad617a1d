package org.bushfire.sns;

import java.io.Serializable;
import java.util.List;
import org.bushfire.domain.Alert;
import org.bushfire.domain.IncidentMessage;

/** What one record of the job's output becomes on SNS. Serializable: the sink carries it to its writers. */
@FunctionalInterface
interface Notifications<T> extends Serializable {
    List<SnsNotification> of(T record);

    /** An alert: one message to the alert topic. */
    static Notifications<Alert> ofAlerts() {
        return alert -> List.of(AlertMessage.of(alert));
    }

    /** An incident message: one to the topic, and its CAP document to the CAP topic when there is one. */
    static Notifications<IncidentMessage> ofIncidents(SnsSettings settings) {
        return message -> IncidentNotice.of(message, settings);
    }
}
