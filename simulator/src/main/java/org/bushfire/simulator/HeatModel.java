package org.bushfire.simulator;

/**
 * What a sensor measures. Without fire: the ambient temperature of its place — a daily cycle peaking mid
 * afternoon local solar time, plus the sensor's own micro-climate offset — and measurement noise. With fire, on
 * a time scale set by the burn time: it warms as the fire approaches (staying below the threshold), jumps to at
 * least the threshold the moment the fire reaches it, climbs to its peak, smoulders while it burns, then cools
 * back towards ambient.
 *
 * <p>Two guarantees the truth file relies on: a sensor is never hot (≥ T) unless the fire has reached it, and
 * every reading from the moment the fire reaches it until it stops burning is hot. So a burnt sensor's onset is
 * exactly its first report after the fire arrived.
 */
public final class HeatModel {
    /** Ambient temperature and noise, in °C. */
    public record Climate(double mean, double swing, double noise) {
        public Climate {
            if (!Double.isFinite(mean) || !(swing >= 0) || !(noise >= 0) || !Double.isFinite(swing + noise)) {
                throw new IllegalArgumentException("--ambient-mean must be a number, --ambient-swing and --noise not negative");
            }
        }
    }

    private static final double DAY_MILLIS = 86_400_000.0;
    private static final double WARMEST_HOUR = 15.0;

    private final double threshold;
    private final Climate climate;
    private final long burnMillis;
    private final long approachMillis;
    private final long riseMillis;
    private final double coolingMillis;

    public HeatModel(double threshold, Climate climate, long burnMillis) {
        if (!Double.isFinite(threshold) || threshold < -50 || threshold > 1500) {
            throw new IllegalArgumentException("--threshold must be between -50 and 1500 °C (was " + threshold + ")");
        }
        this.threshold = threshold;
        this.climate = climate;
        this.burnMillis = burnMillis;
        this.approachMillis = Math.max(1, burnMillis / 3);
        this.riseMillis = Math.max(1, burnMillis / 10);
        this.coolingMillis = Math.max(1, burnMillis / 2.0);
    }

    public double threshold() {
        return threshold;
    }

    public long burnMillis() {
        return burnMillis;
    }

    /** Ambient air temperature at a longitude and instant (no offset, no noise). */
    public double ambient(double lon, long time) {
        double solarHour = ((time / DAY_MILLIS) * 24.0 + lon / 15.0) % 24.0;
        return climate.mean() + climate.swing() * Math.cos(2 * Math.PI * (solarHour - WARMEST_HOUR) / 24.0);
    }

    /**
     * The reading, to 0.1 °C.
     *
     * @param ambient the sensor's ambient temperature now (with its offset)
     * @param infection when fire reaches it, or {@link FireSpread#NEVER}
     * @param peak its peak temperature when burning
     * @param noise a standard normal draw
     */
    public double temperature(double ambient, long time, long infection, double peak, double noise) {
        double measured = ambient + climate.noise() * noise;
        boolean burning = false;
        if (infection != FireSpread.NEVER) {
            long since = time - infection;
            if (since < 0 && since >= -approachMillis) {
                double closeness = (double) (since + approachMillis) / approachMillis;
                double warmest = Math.max(ambient, threshold - 3);
                measured = Math.max(measured, ambient + (warmest - ambient) * closeness * closeness);
            } else if (since >= 0 && since < burnMillis) {
                burning = true;
                double hottest = Math.max(peak, threshold + 5);
                measured = since < riseMillis
                        ? threshold + 2 + (hottest - threshold - 2) * since / riseMillis
                        : hottest * (1 - 0.3 * (since - riseMillis) / (double) Math.max(1, burnMillis - riseMillis));
                measured += 3 * climate.noise() * noise;
            } else if (since >= burnMillis) {
                double start = Math.max(peak, threshold + 5) * 0.7;
                measured += (start - ambient) * Math.exp(-(since - burnMillis) / coolingMillis);
            }
        }
        double rounded = Math.round(measured * 10) / 10.0;
        if (burning) {
            return Math.max(rounded, Math.ceil(threshold * 10 - 1e-6) / 10.0);
        }
        // Never hot without fire: a cooling or unlucky reading stays just below T.
        double belowThreshold = Math.floor(threshold * 10 - 1e-6) / 10.0;
        if (infection == FireSpread.NEVER || time < infection) {
            return Math.min(rounded, belowThreshold);
        }
        return rounded;
    }
}
