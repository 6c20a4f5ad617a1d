package org.bushfire.domain;

/** Thrown by {@link ReadingParser} for input that is not a usable reading; carries the class and reason. */
public final class MalformedReading extends Exception {
    /** The classes of malformed input, as dead letters and metrics name them. */
    public enum Kind {
        EMPTY("empty"),
        TOO_LARGE("too-large"),
        INVALID_JSON("invalid-json"),
        NOT_AN_OBJECT("not-an-object"),
        BAD_NODE("bad-node"),
        BAD_NETWORK("bad-network"),
        BAD_INFECTED_BY("bad-infected-by"),
        BAD_TIME("bad-time"),
        BAD_TEMPERATURE("bad-temperature"),
        FUTURE_TIME("future-time");

        private final String code;

        Kind(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final Kind kind;

    public MalformedReading(Kind kind, String reason) {
        super(reason, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
