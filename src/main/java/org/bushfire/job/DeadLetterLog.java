package org.bushfire.job;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.bushfire.domain.ContractJson;
import org.bushfire.domain.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dead letters into the task manager's log, where no other dead-letter output is configured (on EMR: the
 * YARN container logs). Written as JSON, so whatever a sensor sent cannot forge log lines; long records are cut.
 */
public final class DeadLetterLog implements Sink<DeadLetter> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterLog.class);
    private static final int MAX_RAW_CHARS = 2000;

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<DeadLetter> createWriter(InitContext context) {
        return new SinkWriter<>() {
            @Override
            public void write(DeadLetter d, Context ctx) {
                DeadLetter shown = d;
                if (d.raw != null && d.raw.length() > MAX_RAW_CHARS) {
                    shown = new DeadLetter();
                    shown.kind = d.kind;
                    shown.reason = d.reason;
                    shown.origin = d.origin;
                    shown.raw = d.raw.substring(0, MAX_RAW_CHARS) + "… (" + d.raw.length() + " chars)";
                }
                LOG.warn("dead letter: {}", ContractJson.deadLetter(shown));
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
