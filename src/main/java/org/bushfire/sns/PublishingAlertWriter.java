package org.bushfire.sns;

import org.apache.flink.api.connector.sink2.SinkWriter;
import org.bushfire.domain.Alert;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * At-least-once: publishes each alert as it arrives, before taking the next. Nothing is buffered, so a
 * checkpoint never has anything left to flush, and what a restore replays is only what came after it.
 */
final class PublishingAlertWriter implements SinkWriter<Alert> {
    private final AlertPublisher publisher;

    PublishingAlertWriter(AlertPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void write(Alert alert, Context context) throws InterruptedException {
        AlertMessage message = AlertMessage.of(alert);
        try {
            publisher.publish(message);
        } catch (SdkException e) {
            publisher.reportUndelivered(message, e);
        }
    }

    @Override
    public void flush(boolean endOfInput) {
        // every alert was published in write()
    }

    @Override
    public void close() {
        publisher.close();
    }
}
