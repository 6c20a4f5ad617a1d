package org.bushfire.simulator;

import java.time.Duration;
import java.time.Instant;

/**
 * The run's clock: event time starts at {@code start} and runs {@code speed} times faster than the wall clock
 * ({@code speed} infinite: as fast as the sink takes records).
 *
 * <p>Where to start it. The job refuses readings stamped more than its {@code --max-clock-skew} (15m) ahead of
 * the wall clock, and a run at speed N gets (N − 1) × wall time ahead of a clock started at "now": at speed 60,
 * ten minutes of wall time is ten hours of event time. So a run that is not given {@code --start} is placed to
 * end when it really ends: it starts at {@code now − span × (1 − 1/speed)}. At speed 1 that is now; as fast as
 * possible it is now − span (a file of the past); in between, every reading is stamped at or before the moment
 * it is sent.
 */
public final class SimulatedClock {
    public static final double AS_FAST_AS_POSSIBLE = Double.POSITIVE_INFINITY;

    private final long start;
    private final double speed;
    private long wallStartNanos;

    public SimulatedClock(long start, double speed) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("--speed must be positive or max (was " + speed + ")");
        }
        this.start = start;
        this.speed = speed;
    }

    /** The start that makes a run of {@code span} at {@code speed} end at the wall-clock time it ends. */
    public static long placedStart(Instant now, Duration span, double speed) {
        double ahead = Double.isInfinite(speed) ? span.toMillis() : span.toMillis() * (1 - 1 / speed);
        long start = now.toEpochMilli() - (long) Math.ceil(ahead);
        return Math.floorDiv(start, 1000) * 1000;
    }

    /** How far ahead of the wall clock (now) a run starting at {@code start} gets at its end, at worst. */
    public static Duration furthestAhead(long start, Duration span, double speed, Instant now) {
        double wall = Double.isInfinite(speed) ? 0 : span.toMillis() / speed;
        long ahead = start + span.toMillis() - (now.toEpochMilli() + (long) wall);
        return Duration.ofMillis(Math.max(0, ahead));
    }

    public long start() {
        return start;
    }

    public double speed() {
        return speed;
    }

    public boolean paced() {
        return !Double.isInfinite(speed);
    }

    public void begin() {
        wallStartNanos = System.nanoTime();
    }

    /** Wall nanoseconds until event time {@code time} is due; zero or less when it is. */
    public long nanosUntil(long time) {
        if (!paced()) {
            return 0;
        }
        long due = wallStartNanos + (long) ((time - start) * 1_000_000.0 / speed);
        return due - System.nanoTime();
    }
}
