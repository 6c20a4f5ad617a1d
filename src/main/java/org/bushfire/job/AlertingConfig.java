package org.bushfire.job;

import java.io.Serializable;
import java.time.Duration;

/**
 * The alerting parameters of ALERT-SEMANTICS.md plus the event-time and state knobs. Immutable; every
 * {@code with*} returns a copy. {@link #validate()} names the command-line option to fix.
 */
public final class AlertingConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private double threshold = 50.0;
    private int chainLength = 5;
    private Duration hopWindow = Duration.ofMinutes(30);
    private Duration outOfOrderness = Duration.ofSeconds(30);
    private Duration idleTimeout = Duration.ofMinutes(1);
    private Duration maxClockSkew = Duration.ofMinutes(15);
    private Duration stateRetention = Duration.ofHours(24);
    private Duration updateEvery = Duration.ofMinutes(10);
    private Duration quietAfter = Duration.ofMinutes(60);

    public static AlertingConfig defaults() {
        return new AlertingConfig();
    }

    private AlertingConfig copy() {
        AlertingConfig c = new AlertingConfig();
        c.threshold = threshold;
        c.chainLength = chainLength;
        c.hopWindow = hopWindow;
        c.outOfOrderness = outOfOrderness;
        c.idleTimeout = idleTimeout;
        c.maxClockSkew = maxClockSkew;
        c.stateRetention = stateRetention;
        c.updateEvery = updateEvery;
        c.quietAfter = quietAfter;
        return c;
    }

    /** Temperature T (°C) at or above which a reading is hot. */
    public double threshold() {
        return threshold;
    }

    /** N: how many nodes a chain must have to raise an alert. */
    public int chainLength() {
        return chainLength;
    }

    /** W: the longest time between an infector's onset and the onset of the node it infected. */
    public Duration hopWindow() {
        return hopWindow;
    }

    /** B: how far behind the newest reading a reading may arrive before it is late. */
    public Duration outOfOrderness() {
        return outOfOrderness;
    }

    /** A source split silent this long (processing time) stops holding the watermark back. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Readings stamped further than this ahead of the wall clock are refused. */
    public Duration maxClockSkew() {
        return maxClockSkew;
    }

    /** How long (event time) onsets and fires are remembered; after it a quiet sensor costs nothing. */
    public Duration stateRetention() {
        return stateRetention;
    }

    /** The longest a chain can take from its first onset to its last: (N − 1) · W. */
    public Duration chainSpan() {
        return hopWindow.multipliedBy(chainLength - 1L);
    }

    /** Event time after the last message of an incident at which an update is due if more sensors burnt. */
    public Duration updateEvery() {
        return updateEvery;
    }

    /** Event time without a new onset, every burning sensor reporting below T, before a fire is out. */
    public Duration quietAfter() {
        return quietAfter;
    }

    public AlertingConfig withUpdateEvery(Duration value) {
        AlertingConfig c = copy();
        c.updateEvery = value;
        return c;
    }

    public AlertingConfig withQuietAfter(Duration value) {
        AlertingConfig c = copy();
        c.quietAfter = value;
        return c;
    }

    public AlertingConfig withThreshold(double value) {
        AlertingConfig c = copy();
        c.threshold = value;
        return c;
    }

    public AlertingConfig withChainLength(int value) {
        AlertingConfig c = copy();
        c.chainLength = value;
        return c;
    }

    public AlertingConfig withHopWindow(Duration value) {
        AlertingConfig c = copy();
        c.hopWindow = value;
        return c;
    }

    public AlertingConfig withOutOfOrderness(Duration value) {
        AlertingConfig c = copy();
        c.outOfOrderness = value;
        return c;
    }

    public AlertingConfig withIdleTimeout(Duration value) {
        AlertingConfig c = copy();
        c.idleTimeout = value;
        return c;
    }

    public AlertingConfig withMaxClockSkew(Duration value) {
        AlertingConfig c = copy();
        c.maxClockSkew = value;
        return c;
    }

    public AlertingConfig withStateRetention(Duration value) {
        AlertingConfig c = copy();
        c.stateRetention = value;
        return c;
    }

    /** Fails fast, naming the option to fix. */
    public AlertingConfig validate() {
        if (!Double.isFinite(threshold) || threshold < -100 || threshold > 2000) {
            throw new IllegalArgumentException(
                    "--threshold must be a temperature between -100 and 2000 °C (was " + threshold + ")");
        }
        if (chainLength < 2 || chainLength > 100) {
            throw new IllegalArgumentException("--chain-length must be between 2 and 100 (was " + chainLength + ")");
        }
        requirePositive(hopWindow, "--window");
        requireNotNegative(outOfOrderness, "--out-of-orderness");
        requirePositive(idleTimeout, "--idle-timeout");
        requireNotNegative(maxClockSkew, "--max-clock-skew");
        requirePositive(stateRetention, "--state-retention");
        requirePositive(updateEvery, "--update-every");
        requirePositive(quietAfter, "--quiet-after");
        if (quietAfter.compareTo(stateRetention) >= 0) {
            throw new IllegalArgumentException("--quiet-after (" + quietAfter + ") must be shorter than "
                    + "--state-retention (" + stateRetention + "): a fire's incident is forgotten after it");
        }
        if (stateRetention.compareTo(chainSpan()) < 0) {
            throw new IllegalArgumentException("--state-retention (" + stateRetention
                    + ") must be at least the longest chain, (chain length − 1) × window = " + chainSpan());
        }
        return this;
    }

    private static void requirePositive(Duration d, String option) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(option + " must be a positive duration (was " + d + ")");
        }
    }

    private static void requireNotNegative(Duration d, String option) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(option + " must not be negative (was " + d + ")");
        }
    }

    @Override
    public String toString() {
        return "threshold=" + threshold + " chainLength=" + chainLength + " window=" + hopWindow
                + " outOfOrderness=" + outOfOrderness + " idleTimeout=" + idleTimeout
                + " maxClockSkew=" + maxClockSkew + " stateRetention=" + stateRetention;
    }
}
