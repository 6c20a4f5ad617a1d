package org.bushfire.domain;

import java.util.Objects;

/**
 * Input the job could not use, kept whole with the reason, so an operator can see what a sensor sent and
 * replay it once fixed. {@code raw} is the record decoded as UTF-8; when the bytes were not valid UTF-8,
 * {@code rawBase64} carries them exactly.
 */
public class DeadLetter {
    public String kind;
    public String reason;
    public String raw;
    public String rawBase64;
    /** Where the record came from (file line, Kinesis shard and sequence number), when known. */
    public String origin;

    public DeadLetter() {}

    public DeadLetter(MalformedReading.Kind kind, String reason, String raw, String rawBase64) {
        this.kind = kind.code();
        this.reason = reason;
        this.raw = raw;
        this.rawBase64 = rawBase64;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeadLetter)) {
            return false;
        }
        DeadLetter d = (DeadLetter) o;
        return Objects.equals(kind, d.kind) && Objects.equals(reason, d.reason) && Objects.equals(raw, d.raw)
                && Objects.equals(rawBase64, d.rawBase64) && Objects.equals(origin, d.origin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, reason, raw);
    }

    @Override
    public String toString() {
        return "DeadLetter[" + kind + ": " + reason + "]";
    }
}
