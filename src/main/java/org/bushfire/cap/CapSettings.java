package org.bushfire.cap;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a CAP document says about who sends it and whether it is real: the CAP {@code sender} (an agency's
 * identifier, e.g. {@code bushfire-alerts@rfs.example.gov.au}) and the {@code status} — {@link Status#ACTUAL}
 * for a live sensor mesh, {@link Status#EXERCISE} for simulated and demo data, so that no agency system acts on
 * a generated fire. Immutable and serializable: the sink carries it to its writers.
 */
public final class CapSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Used when no {@code --cap-sender} is given; an agency sets its own. */
    public static final String DEFAULT_SENDER = "bushfire-alerting";

    /** CAP 1.2: the sender "MUST NOT include spaces, commas or restricted characters (< and &)". */
    private static final Pattern SENDER = Pattern.compile("[\\x21-\\x7E&&[^,<&]]{1,256}");

    /** The CAP {@code status} values this system sends. */
    public enum Status {
        /** Real readings of a deployed mesh: agencies act on them. */
        ACTUAL("Actual"),
        /** Simulated or demo data: agencies' systems must not act on it. */
        EXERCISE("Exercise");

        private final String capValue;

        Status(String capValue) {
            this.capValue = capValue;
        }

        /** As written in the document: {@code Actual} or {@code Exercise}. */
        public String capValue() {
            return capValue;
        }

        /** Parses {@code Actual} or {@code Exercise}, any case; the error names the option. */
        public static Status fromCliName(String text) {
            String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
            for (Status s : values()) {
                if (s.capValue.toLowerCase(Locale.ROOT).equals(wanted)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("--cap-status must be Actual or Exercise (was '" + text + "')");
        }
    }

    private final String sender;
    private final Status status;

    private CapSettings(String sender, Status status) {
        this.sender = sender;
        this.status = status;
    }

    public static CapSettings of(String sender, Status status) {
        return new CapSettings(sender, status);
    }

    /** The default sender, status Actual. */
    public static CapSettings defaults() {
        return new CapSettings(DEFAULT_SENDER, Status.ACTUAL);
    }

    public String sender() {
        return sender;
    }

    public Status status() {
        return status;
    }

    /** Fails fast, naming the option to fix. */
    public CapSettings validate() {
        if (sender == null || !SENDER.matcher(sender).matches()) {
            throw new IllegalArgumentException("--cap-sender '" + sender + "' is not a CAP sender: 1 to 256 printable "
                    + "ASCII characters without spaces, commas, '<' or '&' (e.g. bushfire-alerts@agency.example)");
        }
        if (status == null) {
            throw new IllegalArgumentException("--cap-status is required: Actual or Exercise");
        }
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CapSettings c && Objects.equals(sender, c.sender) && status == c.status;
    }

    @Override
    public int hashCode() {
        return Objects.hash(sender, status);
    }

    @Override
    public String toString() {
        return "sender=" + sender + " status=" + (status == null ? null : status.capValue());
    }
}
