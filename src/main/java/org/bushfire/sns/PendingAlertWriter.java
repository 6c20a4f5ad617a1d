package org.bushfire.sns;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.bushfire.domain.Alert;

/**
 * Exactly-once: holds the alerts raised since the last checkpoint and hands them to Flink as committables just
 * before the checkpoint barrier (and at the end of a bounded input). Flink stores them with the checkpoint and
 * passes them to {@link AlertCommitter} once it completes. No SNS client here: nothing is published by the writer.
 */
final class PendingAlertWriter implements CommittingSinkWriter<Alert, AlertMessage> {
    private List<AlertMessage> pending = new ArrayList<>();

    @Override
    public void write(Alert alert, Context context) {
        pending.add(AlertMessage.of(alert));
    }

    @Override
    public void flush(boolean endOfInput) {
        // the pending alerts leave through prepareCommit, which Flink calls right after this
    }

    @Override
    public Collection<AlertMessage> prepareCommit() {
        List<AlertMessage> ready = pending;
        pending = new ArrayList<>();
        return ready;
    }

    @Override
    public void close() {
        // alerts still pending belong to a checkpoint that never completed: the restore raises them again
    }
}
