package org.bushfire.simulator;

import java.time.Duration;

/**
 * Sensor and mesh faults, each a fraction of the readings (0 to 1) and, for delays, an amount of event time:
 * <ul>
 *   <li>{@code drop}: never sent;
 *   <li>{@code malformed}: sent broken instead (truncated, wrong types, no node, absurd temperature, not JSON);
 *   <li>{@code duplicate}: sent twice, the copy up to a few seconds later;
 *   <li>{@code late}: held back by {@code lateBy} — more than the job's B, so it arrives late;
 *   <li>{@code jitter}: held back by up to {@code jitterBy} — less than B, so it arrives out of order but on time.
 * </ul>
 */
public record Faults(double drop, double malformed, double duplicate, double late, Duration lateBy, double jitter,
                     Duration jitterBy) {
    public static final Faults NONE = new Faults(0, 0, 0, 0, Duration.ofMinutes(2), 0, Duration.ofSeconds(20));

    public Faults {
        fraction("--drop", drop);
        fraction("--malformed", malformed);
        fraction("--duplicate", duplicate);
        fraction("--late", late);
        fraction("--jitter", jitter);
        if (lateBy.isNegative() || lateBy.isZero()) {
            throw new IllegalArgumentException("--late-by must be positive");
        }
        if (jitterBy.isNegative() || jitterBy.isZero()) {
            throw new IllegalArgumentException("--jitter-by must be positive");
        }
        if (drop + malformed > 1) {
            throw new IllegalArgumentException("--drop and --malformed together must not exceed 1");
        }
    }

    private static void fraction(String option, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(option + " must be a fraction between 0 and 1 (was " + value + ")");
        }
    }

    public boolean any() {
        return drop + malformed + duplicate + late + jitter > 0;
    }
}
