package org.bushfire.simulator;

import java.util.SplittableRandom;

/**
 * The randomness of one part of a run (the mesh, the fires, sensor noise, faults), derived from the run's seed
 * and the part's name. Parts draw from independent streams, so changing a fault rate does not move a single
 * fire, and the same seed gives exactly the same run. {@link SplittableRandom}'s algorithm is specified, and
 * the Gaussian is computed here rather than taken from the JDK, so a seed means the same on every JDK.
 */
final class SeededRandom {
    private final SplittableRandom random;
    private double spareGaussian;
    private boolean hasSpareGaussian;

    private SeededRandom(long seed) {
        this.random = new SplittableRandom(seed);
    }

    static SeededRandom of(long seed, String part) {
        return new SeededRandom(mix(seed ^ (0x9E3779B97F4A7C15L * part.hashCode())));
    }

    /** In [0, 1). */
    double nextDouble() {
        return random.nextDouble();
    }

    /** In [from, to). */
    double nextDouble(double from, double to) {
        return from + (to - from) * random.nextDouble();
    }

    /** In [0, bound). */
    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** In [from, to); {@code from} when the range is empty. */
    long nextLong(long from, long to) {
        return to <= from ? from : random.nextLong(from, to);
    }

    /** True with probability {@code p}; draws nothing when p is 0, so unused faults leave the stream alone. */
    boolean chance(double p) {
        return p > 0 && random.nextDouble() < p;
    }

    /** Standard normal, by the polar method. */
    double nextGaussian() {
        if (hasSpareGaussian) {
            hasSpareGaussian = false;
            return spareGaussian;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double factor = Math.sqrt(-2 * Math.log(s) / s);
        spareGaussian = v * factor;
        hasSpareGaussian = true;
        return u * factor;
    }

    /** Exponentially distributed with the given mean. */
    double exponential(double mean) {
        return -mean * Math.log(1 - random.nextDouble());
    }

    /** The SplitMix64 finaliser: nearby seeds give unrelated streams. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
