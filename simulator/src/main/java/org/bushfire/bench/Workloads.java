package org.bushfire.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.bushfire.simulator.FireSpread;
import org.bushfire.simulator.GeneratedScenario;
import org.bushfire.simulator.HeatModel;
import org.bushfire.simulator.Ignition;
import org.bushfire.simulator.Mesh;

/**
 * The benchmark's workloads, each a generated run of the simulator ({@link GeneratedScenario}: geo-located
 * meshes, branching fires, daily ambient temperature and noise). What a fire season brings:
 *
 * <ul>
 *   <li>{@code standard}: many networks of 100 sensors, small fires (a path of six sensors) — what the first
 *       benchmark measured, mostly parsing;
 *   <li>{@code fire-K}: one network, a cold background of 300 sensors and one branching fire of exactly K burning
 *       sensors, lit at the network's centre: how the cost of a fire grows with its size;
 *   <li>{@code concurrent}: many branching fires burning at once in one network;
 *   <li>{@code networks}: 1,000 networks with a fire each;
 *   <li>{@code wildfire-day}: 100,000 sensors, 5 % of them burning in fires lit over three hours.
 * </ul>
 *
 * A branching fire is the simulator's {@link FireSpread.Branching}: each burning sensor spreads to 1–4 of its
 * neighbours after 10 s – 4 min; sensors report in rounds of a minute, so many hops are same-instant hops.
 */
final class Workloads {
    private static final double LAT = -33.70;
    private static final double LON = 150.30;
    private static final double RADIO_RANGE = 250;
    private static final FireSpread.Params BURN = new FireSpread.Params(15, 315, 20, Duration.ofMinutes(30).toMillis());
    private static final HeatModel.Climate CLIMATE = new HeatModel.Climate(22, 8, 0.5);
    static final Duration MINUTE = Duration.ofMinutes(1);

    private Workloads() {}

    /**
     * Networks of 100 sensors reporting every minute for {@code rounds} minutes; {@code fires} fires, each a path
     * through six sensors with hops of 10 s – 1 min, lit within the first rounds so each completes in the run.
     */
    static BenchWorkload.Spec standard(int sensors, int rounds, int fires, double threshold) {
        int networks = Math.max(1, (sensors + 99) / 100);
        Duration span = MINUTE.multipliedBy(rounds);
        Duration igniteWithin = span.minus(Duration.ofMinutes(7));
        if (igniteWithin.isNegative()) {
            throw new IllegalArgumentException("--rounds must be at least 7 for a six-sensor fire to spread "
                    + "through a whole chain (was " + rounds + ")");
        }
        return new BenchWorkload.Spec("standard", String.format(Locale.ROOT,
                "%,d sensors in networks of 100, %d fires of 6 sensors", sensors, fires),
                settings(sensors, networks, threshold, fires, List.of(), igniteWithin,
                        new FireSpread.Branching(1, 1, 10_000, 60_000, 6)), MINUTE, rounds);
    }

    /** {@code sensors} cold sensors in networks of 100, reporting every minute for {@code rounds} minutes; no fire. */
    static BenchWorkload.Spec idle(int sensors, int rounds, double threshold) {
        int networks = Math.max(1, (sensors + 99) / 100);
        return new BenchWorkload.Spec("idle-" + sensors, String.format(Locale.ROOT,
                "%,d cold sensors in networks of 100, no fire", sensors),
                settings(sensors, networks, threshold, 0, List.of(), Duration.ZERO, null), MINUTE, rounds);
    }

    /** One network: {@code background} cold sensors and one branching fire of exactly {@code burning}. */
    static BenchWorkload.Spec fire(int burning, int background, double threshold) {
        return new BenchWorkload.Spec("fire-" + burning, String.format(Locale.ROOT,
                "one network, %,d sensors: one branching fire of %,d, a cold background of %,d", burning + background,
                burning, background),
                settings(burning + background, 1, threshold, 0, List.of(Ignition.atPlace(LAT, LON, Duration.ZERO)),
                        Duration.ZERO, FireSpread.Branching.of(burning)), MINUTE, 0);
    }

    /**
     * One network: {@code fires} branching fires of {@code size} each, lit together at the points of a grid over
     * the network so each has room to reach its size; twice as many sensors as burn, and 300 more.
     */
    static BenchWorkload.Spec concurrent(int fires, int size, double threshold) {
        int sensors = 2 * fires * size + 300;
        GeneratedScenario.Settings probe = settings(sensors, 1, threshold, 0, List.of(), Duration.ZERO, null);
        double side = probe.layout().side();
        int columns = (int) Math.ceil(Math.sqrt(fires));
        List<Ignition> ignitions = new java.util.ArrayList<>();
        for (int f = 0; f < fires; f++) {
            double x = ((f % columns) + 0.5) / columns * side - side / 2;
            double y = ((f / columns) + 0.5) / columns * side - side / 2;
            ignitions.add(Ignition.atPlace(LAT + y / 111_320.0, LON + x / (111_320.0 * Math.cos(Math.toRadians(LAT))),
                    Duration.ZERO));
        }
        return new BenchWorkload.Spec("concurrent", String.format(Locale.ROOT,
                "one network, %,d sensors: %d concurrent branching fires of %,d", sensors, fires, size),
                settings(sensors, 1, threshold, 0, ignitions, Duration.ZERO, FireSpread.Branching.of(size)), MINUTE, 0);
    }

    /** {@code networks} networks of 40 sensors, a branching fire of 10 in each, lit within half an hour. */
    static BenchWorkload.Spec networks(int networks, double threshold) {
        return new BenchWorkload.Spec("networks", String.format(Locale.ROOT,
                "%,d networks of 40 sensors, a branching fire of 10 in each", networks),
                settings(networks * 40, networks, threshold, networks, List.of(), Duration.ofMinutes(30),
                        FireSpread.Branching.of(10)), MINUTE, 0);
    }

    /**
     * A wildfire day: {@code 100,000 × scale} sensors in networks of 1,000, 5 % of them burning in fires of 100
     * lit over three hours; sensors report every {@code interval}.
     */
    static BenchWorkload.Spec wildfireDay(double scale, Duration interval, double threshold) {
        int sensors = (int) Math.round(100_000 * scale);
        int networks = Math.max(1, sensors / 1000);
        int fires = Math.max(1, sensors / 20 / 100);
        return new BenchWorkload.Spec("wildfire-day", String.format(Locale.ROOT,
                "%,d sensors in %d networks, %d fires of 100 lit over 3 h (%.0f %% burning), a reading every %s",
                sensors, networks, fires, fires * 100 * 100.0 / sensors, org.bushfire.cli.DurationConverter.format(interval)),
                settings(sensors, networks, threshold, fires, List.of(), Duration.ofHours(3),
                        FireSpread.Branching.of(100)), interval, 0);
    }

    private static GeneratedScenario.Settings settings(int sensors, int networks, double threshold, int randomFires,
            List<Ignition> ignitions, Duration igniteWithin, FireSpread.Branching branching) {
        Mesh.Layout layout = new Mesh.Layout(sensors, networks, LAT, LON, Double.NaN, RADIO_RANGE, "ridge");
        return new GeneratedScenario.Settings(layout, BURN, CLIMATE, threshold, randomFires, ignitions, igniteWithin,
                branching);
    }
}
