package org.bushfire.sns;

import java.util.Locale;

/**
 * When an alert is handed to SNS, relative to Flink's checkpoints ({@code --alert-delivery}).
 *
 * <p>Either way an alert carries its deterministic {@code alertId}; on a FIFO topic it is also the message's
 * deduplication id, so SNS itself drops a copy sent again within its 5-minute deduplication window.
 */
public enum AlertDelivery {
    /**
     * Published by the sink writer as soon as the alert reaches it: the lowest latency. After a failure Flink
     * restores the last checkpoint and replays the readings since, so an alert raised after that checkpoint is
     * raised and published again, with the same alertId.
     */
    AT_LEAST_ONCE("at-least-once"),
    /**
     * Held until the checkpoint that produced the alert completes, then published by the sink's committer: a
     * restore never re-sends an alert from work that was rolled back. The price is latency of up to one
     * checkpoint interval, and checkpointing must be enabled. See {@link SnsAlertSink} for the precise guarantee.
     */
    EXACTLY_ONCE("exactly-once");

    private final String cliName;

    AlertDelivery(String cliName) {
        this.cliName = cliName;
    }

    /** The name on the command line: {@code at-least-once} or {@code exactly-once}. */
    public String cliName() {
        return cliName;
    }

    /** Parses a command-line name; the error names the option and the accepted values. */
    public static AlertDelivery fromCliName(String text) {
        String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (AlertDelivery d : values()) {
            if (d.cliName.equals(wanted) || d.name().equalsIgnoreCase(wanted)) {
                return d;
            }
        }
        throw new IllegalArgumentException("--alert-delivery must be at-least-once or exactly-once (was '" + text + "')");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
