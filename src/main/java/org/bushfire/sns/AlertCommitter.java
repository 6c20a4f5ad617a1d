package org.bushfire.sns;

import java.util.Collection;
import org.apache.flink.api.connector.sink2.Committer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Exactly-once: publishes the notifications (alerts, or incident messages and their CAP documents) of a
 * checkpoint once Flink reports it complete (or at the end of a bounded input). See {@link SnsAlertSink} for what
 * happens when SNS fails.
 */
final class AlertCommitter<M extends SnsNotification> implements Committer<M> {
    private static final Logger LOG = LoggerFactory.getLogger(AlertCommitter.class);

    private final AlertPublisher publisher;

    AlertCommitter(AlertPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void commit(Collection<CommitRequest<M>> requests) throws InterruptedException {
        for (CommitRequest<M> request : requests) {
            M message = request.getCommittable();
            try {
                publisher.publish(message);
            } catch (SdkException e) {
                if (AlertPublisher.isTransient(e)) {
                    // Kept in Flink's committer state: retried now, and after a restart if the retries run out.
                    LOG.warn("{} {} not delivered yet (commit retry {}): {}; the commit will be retried",
                            message.kind(), message.id(), request.getNumberOfRetries(), e.getMessage());
                    request.retryLater();
                } else {
                    publisher.reportUndelivered(message, e);
                }
            }
        }
    }

    @Override
    public void close() {
        publisher.close();
    }
}
