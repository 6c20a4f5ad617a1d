package org.bushfire.sns;

import org.apache.flink.api.connector.sink2.SinkWriter;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * At-least-once: publishes what each record becomes (an alert: one message; an incident message: one, and its CAP
 * document with a CAP topic) as it arrives, before taking the next. Nothing is buffered, so a checkpoint never
 * has anything left to flush, and what a restore replays is only what came after it. A notification that cannot
 * be delivered is logged and counted, and does not keep the record's other notifications from going out.
 */
final class PublishingAlertWriter<T> implements SinkWriter<T> {
    private final AlertPublisher publisher;
    private final Notifications<T> notifications;

    PublishingAlertWriter(AlertPublisher publisher, Notifications<T> notifications) {
        this.publisher = publisher;
        this.notifications = notifications;
    }

    @Override
    public void write(T record, Context context) throws InterruptedException {
        for (SnsNotification message : notifications.of(record)) {
            try {
                publisher.publish(message);
            } catch (SdkException e) {
                publisher.reportUndelivered(message, e);
            }
        }
    }

    @Override
    public void flush(boolean endOfInput) {
        // every notification was published in write()
    }

    @Override
    public void close() {
        publisher.close();
    }
}
