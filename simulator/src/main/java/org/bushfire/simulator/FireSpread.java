package org.bushfire.simulator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Fire spreading over a mesh as a susceptible–infected process in continuous time. A burning sensor's area
 * ignites each neighbour after a random delay whose mean is the distance divided by the fire's rate of spread;
 * the rate is multiplied by a wind factor, so fire runs downwind and creeps upwind, and long links — gaps in the
 * mesh — take longer to cross. A sensor burns for {@code burnTime} and can only spread fire while it burns, so
 * a slow link may never carry it. The first neighbour to reach a sensor is the one that infected it.
 *
 * <p>All infection times are worked out before the run starts, in one deterministic pass (ties broken by sensor
 * index), so a sensor can warm up before the fire arrives and the truth file can describe the whole tree.
 */
public final class FireSpread {
    /** How strongly wind speeds fire up downwind: the rate is multiplied by exp(k · km/h · cos angle). */
    static final double WIND_EFFECT_PER_KMH = 0.06;
    public static final long NEVER = Long.MAX_VALUE;

    /**
     * @param spreadMetresPerMinute the rate of spread without wind
     * @param windFromDegrees where the wind blows from (meteorological: 315 = a north-westerly, fire runs south-east)
     */
    public record Params(double spreadMetresPerMinute, double windFromDegrees, double windSpeedKmh, long burnMillis) {
        public Params {
            if (!(spreadMetresPerMinute > 0)) {
                throw new IllegalArgumentException("--spread-rate must be positive (was " + spreadMetresPerMinute + ")");
            }
            if (!(windSpeedKmh >= 0 && windSpeedKmh <= 200)) {
                throw new IllegalArgumentException("--wind-speed must be between 0 and 200 km/h (was " + windSpeedKmh + ")");
            }
            if (!Double.isFinite(windFromDegrees)) {
                throw new IllegalArgumentException("--wind-dir must be a number of degrees");
            }
            if (burnMillis <= 0) {
                throw new IllegalArgumentException("--burn-time must be positive");
            }
        }

        /** How much faster (> 1) or slower (< 1) fire travels along a bearing than without wind. */
        double windFactor(double bearingDegrees) {
            double downwind = windFromDegrees + 180.0;
            return Math.exp(WIND_EFFECT_PER_KMH * windSpeedKmh * Math.cos(Math.toRadians(bearingDegrees - downwind)));
        }
    }

    /** A fire starting at a sensor at a time. */
    public record Start(int sensor, long time) {}

    private final long[] infectionTime;
    private final int[] infectedBy;
    private final int[] fire;
    private final List<Integer> order;
    private final int fires;

    private FireSpread(long[] infectionTime, int[] infectedBy, int[] fire, List<Integer> order, int fires) {
        this.infectionTime = infectionTime;
        this.infectedBy = infectedBy;
        this.fire = fire;
        this.order = order;
        this.fires = fires;
    }

    /**
     * Spreads the fires until nothing burns or {@code horizon} (event time) is passed. Starts at a sensor that is
     * already burning do nothing: fire {@code f} keeps number {@code f} only if it really started.
     */
    public static FireSpread simulate(Mesh mesh, List<Start> starts, Params params, long horizon, SeededRandom random) {
        int n = mesh.size();
        long[] time = never(new long[n]);
        int[] by = none(new int[n]);
        int[] fireOf = none(new int[n]);
        List<Integer> order = new ArrayList<>();
        PriorityQueue<long[]> events = events();
        for (int f = 0; f < starts.size(); f++) {
            Start s = starts.get(f);
            events.add(new long[] {s.time(), s.sensor(), -1, f});
        }
        int fires = 0;
        boolean[] fireStarted = new boolean[starts.size()];
        while (!events.isEmpty()) {
            long[] e = events.poll();
            long t = e[0];
            int target = (int) e[1];
            if (t > horizon) {
                break;
            }
            if (time[target] != NEVER) {
                continue;
            }
            int f = (int) e[3];
            time[target] = t;
            by[target] = (int) e[2];
            fireOf[target] = f;
            order.add(target);
            if (!fireStarted[f]) {
                fireStarted[f] = true;
                fires++;
            }
            Mesh.Sensor from = mesh.sensor(target);
            for (int neighbour : from.neighbours) {
                if (time[neighbour] != NEVER) {
                    continue;
                }
                long delay = delay(from, mesh.sensor(neighbour), params, random);
                if (delay <= params.burnMillis()) {
                    events.add(new long[] {t + delay, neighbour, target, f});
                }
            }
        }
        return new FireSpread(time, by, fireOf, List.copyOf(order), fires);
    }

    /**
     * How a branching fire spreads: when fire reaches a sensor it spreads on to between {@code minBranches} and
     * {@code maxBranches} of its neighbours not yet burning (as many as there are, when fewer), each after a
     * delay drawn uniformly between {@code minDelayMillis} and {@code maxDelayMillis}; the first arrival infects.
     * Sensors report in rounds, so a delay shorter than the report interval often puts infector and infected in
     * the same round: a same-instant hop. {@code sensorsPerFire} (0: no limit) stops each fire at exactly that
     * many sensors — the benchmark's "a fire of K burning sensors".
     */
    public record Branching(int minBranches, int maxBranches, long minDelayMillis, long maxDelayMillis,
                            int sensorsPerFire) {
        public Branching {
            if (minBranches < 1 || maxBranches < minBranches) {
                throw new IllegalArgumentException("--branches must be MIN-MAX with 1 <= MIN <= MAX (was " + minBranches
                        + "-" + maxBranches + ")");
            }
            if (minDelayMillis < 1 || maxDelayMillis < minDelayMillis) {
                throw new IllegalArgumentException("--hop-delay must be MIN-MAX with 1ms <= MIN <= MAX");
            }
            if (sensorsPerFire < 0) {
                throw new IllegalArgumentException("--fire-sensors must not be negative (was " + sensorsPerFire + ")");
            }
        }

        /** The fire: each burning sensor spreads to 1–4 neighbours after 10 s – 4 min. */
        public static Branching of(int sensorsPerFire) {
            return new Branching(1, 4, 10_000, 240_000, sensorsPerFire);
        }
    }

    /**
     * Spreads branching fires (see {@link Branching}) until nothing burns, every fire has its size, or
     * {@code horizon} is passed. A fire with a size that runs out of spreading before it has it (every neighbour
     * it picked was reached first from elsewhere) flares up again from its most recent sensor that still has a
     * neighbour not burning, so it reaches exactly its size wherever its part of the mesh holds that many.
     * {@code burnMillis} bounds the delays: a sensor spreads fire only while it burns.
     */
    public static FireSpread branching(Mesh mesh, List<Start> starts, Branching params, long burnMillis, long horizon,
                                       SeededRandom random) {
        if (params.maxDelayMillis() > burnMillis) {
            throw new IllegalArgumentException("--hop-delay's longest delay must not exceed --burn-time: a sensor "
                    + "spreads fire only while it burns");
        }
        int n = mesh.size();
        long[] time = never(new long[n]);
        int[] by = none(new int[n]);
        int[] fireOf = none(new int[n]);
        List<Integer> order = new ArrayList<>();
        PriorityQueue<long[]> events = events();
        int[] pending = new int[starts.size()];
        int[] burnt = new int[starts.size()];
        List<List<Integer>> members = new ArrayList<>();
        for (int f = 0; f < starts.size(); f++) {
            Start s = starts.get(f);
            events.add(new long[] {s.time(), s.sensor(), -1, f});
            pending[f]++;
            members.add(new ArrayList<>());
        }
        int cap = params.sensorsPerFire() == 0 ? Integer.MAX_VALUE : params.sensorsPerFire();
        int fires = 0;
        int[] candidates = new int[16];
        while (!events.isEmpty()) {
            long[] e = events.poll();
            long t = e[0];
            int target = (int) e[1];
            int f = (int) e[3];
            pending[f]--;
            if (t <= horizon && time[target] == NEVER && burnt[f] < cap) {
                time[target] = t;
                by[target] = (int) e[2];
                fireOf[target] = f;
                order.add(target);
                members.get(f).add(target);
                if (burnt[f]++ == 0) {
                    fires++;
                }
                Mesh.Sensor from = mesh.sensor(target);
                int count = 0;
                for (int neighbour : from.neighbours) {
                    if (time[neighbour] == NEVER) {
                        if (count == candidates.length) {
                            candidates = Arrays.copyOf(candidates, count * 2);
                        }
                        candidates[count++] = neighbour;
                    }
                }
                int branches = Math.min(count, params.minBranches()
                        + random.nextInt(params.maxBranches() - params.minBranches() + 1));
                for (int b = 0; b < branches; b++) {
                    int pick = b + random.nextInt(count - b); // a partial shuffle: branches distinct neighbours
                    int chosen = candidates[pick];
                    candidates[pick] = candidates[b];
                    candidates[b] = chosen;
                    events.add(new long[] {t + hopDelay(params, random), chosen, target, f});
                    pending[f]++;
                }
            }
            if (pending[f] == 0 && burnt[f] > 0 && burnt[f] < cap) {
                flareUp(mesh, members.get(f), time, params, random, f, horizon, events, pending);
            }
        }
        order.sort((a, b) -> {
            int c = Long.compare(time[a], time[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        return new FireSpread(time, by, fireOf, List.copyOf(order), fires);
    }

    /** Fire f spreads again from its most recent sensor with a neighbour not burning, if it has one in time. */
    private static void flareUp(Mesh mesh, List<Integer> members, long[] time, Branching params, SeededRandom random,
                                int f, long horizon, PriorityQueue<long[]> events, int[] pending) {
        for (int i = members.size() - 1; i >= 0; i--) {
            int from = members.get(i);
            for (int neighbour : mesh.sensor(from).neighbours) {
                if (time[neighbour] == NEVER) {
                    long at = time[from] + hopDelay(params, random);
                    if (at <= horizon) {
                        events.add(new long[] {at, neighbour, from, f});
                        pending[f]++;
                        return;
                    }
                }
            }
        }
    }

    /** Infections to happen, {time, sensor, infector (-1: ignition), fire}, earliest first, ties by sensor. */
    private static PriorityQueue<long[]> events() {
        return new PriorityQueue<>((a, b) -> {
            int c = Long.compare(a[0], b[0]);
            if (c == 0) {
                c = Long.compare(a[1], b[1]);
            }
            return c != 0 ? c : Long.compare(a[2], b[2]);
        });
    }

    private static long[] never(long[] times) {
        Arrays.fill(times, NEVER);
        return times;
    }

    private static int[] none(int[] sensors) {
        Arrays.fill(sensors, -1);
        return sensors;
    }

    static long hopDelay(Branching params, SeededRandom random) {
        return random.nextLong(params.minDelayMillis(), params.maxDelayMillis() + 1);
    }

    /** Erlang-2 around the mean: a fire front is less erratic than a single exponential, never instantaneous. */
    static long delay(Mesh.Sensor from, Mesh.Sensor to, Params params, SeededRandom random) {
        double rate = params.spreadMetresPerMinute() * params.windFactor(Mesh.bearing(from, to));
        double meanMinutes = Mesh.distance(from, to) / rate;
        double minutes = random.exponential(meanMinutes / 2) + random.exponential(meanMinutes / 2);
        return Math.max(1L, Math.round(minutes * 60_000.0));
    }

    /** Event time the sensor caught fire, or {@link #NEVER}. */
    public long infectionTime(int sensor) {
        return infectionTime[sensor];
    }

    /** The sensor that infected it, or -1 (an ignition, or never burnt). */
    public int infectedBy(int sensor) {
        return infectedBy[sensor];
    }

    /** The fire it belongs to (the index of its start), or -1. */
    public int fire(int sensor) {
        return fire[sensor];
    }

    /** Burnt sensors in the order they caught fire. */
    public List<Integer> order() {
        return order;
    }

    /** Fires that really started. */
    public int fires() {
        return fires;
    }
}
