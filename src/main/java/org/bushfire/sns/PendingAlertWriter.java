package org.bushfire.sns;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;

/**
 * Exactly-once: holds the notifications of the records raised since the last checkpoint and hands them to Flink
 * as committables just before the checkpoint barrier (and at the end of a bounded input). Flink stores them with
 * the checkpoint and passes them to {@link AlertCommitter} once it completes. No SNS client here: nothing is
 * published by the writer. An incident message and its CAP document are separate committables, so a retry of one
 * never sends the other again.
 */
final class PendingAlertWriter<T> implements CommittingSinkWriter<T, SnsNotification> {
    private final Notifications<T> notifications;
    private List<SnsNotification> pending = new ArrayList<>();

    PendingAlertWriter(Notifications<T> notifications) {
        this.notifications = notifications;
    }

    @Override
    public void write(T record, Context context) {
        pending.addAll(notifications.of(record));
    }

    @Override
    public void flush(boolean endOfInput) {
        // the pending notifications leave through prepareCommit, which Flink calls right after this
    }

    @Override
    public Collection<SnsNotification> prepareCommit() {
        List<SnsNotification> ready = pending;
        pending = new ArrayList<>();
        return ready;
    }

    @Override
    public void close() {
        // notifications still pending belong to a checkpoint that never completed: the restore raises them again
    }
}
