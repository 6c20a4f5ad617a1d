package org.bushfire.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.bushfire.cli.DurationConverter;
import org.bushfire.domain.ContractJson;
import org.bushfire.domain.Reading;

/**
 * A generated run: geo-located meshes ({@link Mesh}), ambient temperatures with a daily cycle and noise
 * ({@link HeatModel}), and fires started at random or given sensors and times that spread over the mesh
 * ({@link FireSpread}). Sensor ids are 1, 2, ... in each network; networks are {@code <prefix>-1}, ...
 */
public final class GeneratedScenario implements Scenario {
    /**
     * Everything that shapes a generated run, apart from its clock. {@code branching} null: fire spreads by
     * {@code spread}'s rate and wind; otherwise as a branching fire ({@link FireSpread.Branching}), which only
     * takes the burn time from {@code spread}.
     */
    public record Settings(Mesh.Layout layout, FireSpread.Params spread, HeatModel.Climate climate, double threshold,
                           int randomFires, List<Ignition> ignitions, Duration igniteWithin,
                           FireSpread.Branching branching) {
        public Settings(Mesh.Layout layout, FireSpread.Params spread, HeatModel.Climate climate, double threshold,
                        int randomFires, List<Ignition> ignitions, Duration igniteWithin) {
            this(layout, spread, climate, threshold, randomFires, ignitions, igniteWithin, null);
        }

        public Settings {
            ignitions = List.copyOf(ignitions);
            if (randomFires < 0) {
                throw new IllegalArgumentException("--fires must not be negative (was " + randomFires + ")");
            }
            if (randomFires > layout.sensors()) {
                throw new IllegalArgumentException("--fires must not exceed --sensors (was " + randomFires + ")");
            }
            if (igniteWithin != null && igniteWithin.isNegative()) {
                throw new IllegalArgumentException("--ignite-within must not be negative");
            }
        }
    }

    private final Settings settings;
    private final Mesh mesh;
    private final HeatModel heat;
    private final FireSpread spread;
    private final List<FireSpread.Start> starts;
    private final double[] offset;
    private final double[] peak;
    private final SeededRandom noise;

    private GeneratedScenario(Settings settings, Mesh mesh, List<FireSpread.Start> starts, FireSpread spread,
                              double[] offset, double[] peak, SeededRandom noise) {
        this.settings = settings;
        this.mesh = mesh;
        this.heat = new HeatModel(settings.threshold(), settings.climate(), settings.spread().burnMillis());
        this.starts = starts;
        this.spread = spread;
        this.offset = offset;
        this.peak = peak;
        this.noise = noise;
    }

    /** The mesh a run with these settings and seed has: callers can choose ignition sensors before the run. */
    public static Mesh meshOf(Settings settings, long seed) {
        return Mesh.generate(settings.layout(), SeededRandom.of(seed, "mesh"));
    }

    /**
     * @param start event time of round 0
     * @param span the run's length in event time: random fires start in its first half (or --ignite-within)
     */
    public static GeneratedScenario create(Settings settings, long seed, long start, long span) {
        new HeatModel(settings.threshold(), settings.climate(), settings.spread().burnMillis());
        Mesh mesh = meshOf(settings, seed);
        List<FireSpread.Start> starts = ignitions(settings, mesh, SeededRandom.of(seed, "ignitions"), start, span);
        FireSpread spread = settings.branching() == null
                ? FireSpread.simulate(mesh, starts, settings.spread(), start + span, SeededRandom.of(seed, "spread"))
                : FireSpread.branching(mesh, starts, settings.branching(), settings.spread().burnMillis(), start + span,
                        SeededRandom.of(seed, "spread"));
        SeededRandom sensors = SeededRandom.of(seed, "sensors");
        double[] offset = new double[mesh.size()];
        double[] peak = new double[mesh.size()];
        for (int i = 0; i < mesh.size(); i++) {
            offset[i] = sensors.nextGaussian();
            peak[i] = sensors.nextDouble(250, 650);
        }
        return new GeneratedScenario(settings, mesh, starts, spread, offset, peak, SeededRandom.of(seed, "noise"));
    }

    /**
     * Rounds of {@code intervalMillis} that see every fire of a branching run to its end, and a few more for the
     * last onsets to be reported. Needs ignition times that do not depend on the run's length: explicit
     * ignitions, and random fires only with {@code igniteWithin} set. A fire's spread does not depend on where the
     * run starts, so this is worked out on a run starting at 0.
     */
    public static int roundsUntilDone(Settings settings, long seed, long intervalMillis) {
        if (settings.branching() == null || (settings.randomFires() > 0 && settings.igniteWithin() == null)) {
            throw new IllegalArgumentException("a run lasts until its fires are done only with --spread-model "
                    + "branching, and random fires need --ignite-within");
        }
        long last = create(settings, seed, 0, Duration.ofDays(365).toMillis()).lastInfectionTimestamp();
        return last == FireSpread.NEVER ? 1 : (int) Math.min(Integer.MAX_VALUE, last / intervalMillis + 3);
    }

    private static List<FireSpread.Start> ignitions(Settings settings, Mesh mesh, SeededRandom random, long start,
                                                    long span) {
        List<FireSpread.Start> starts = new ArrayList<>();
        Set<Integer> taken = new HashSet<>();
        for (Ignition ignition : settings.ignitions()) {
            Mesh.Sensor sensor = ignition.bySensor()
                    ? mesh.find(ignition.network(), ignition.node())
                    : mesh.nearest(ignition.lat(), ignition.lon());
            if (sensor == null) {
                throw new IllegalArgumentException("--ignite " + ignition + ": no such sensor (networks "
                        + mesh.networks().get(0).name() + " ... " + mesh.networks().get(mesh.networks().size() - 1).name()
                        + ", ids 1 ... " + mesh.networks().get(0).sensors().size() + ")");
            }
            starts.add(new FireSpread.Start(sensor.index, start + ignition.offset().toMillis()));
            taken.add(sensor.index);
        }
        long window = settings.igniteWithin() != null ? settings.igniteWithin().toMillis() : span / 2;
        List<Mesh.Network> networks = mesh.networks();
        for (int f = 0; f < settings.randomFires(); f++) {
            List<Mesh.Sensor> candidates = networks.get(f % networks.size()).sensors();
            Mesh.Sensor sensor;
            do {
                sensor = candidates.get(random.nextInt(candidates.size()));
            } while (taken.contains(sensor.index) && taken.size() < mesh.size());
            taken.add(sensor.index);
            starts.add(new FireSpread.Start(sensor.index, random.nextLong(start, start + Math.max(1, window))));
        }
        return starts;
    }

    public Mesh mesh() {
        return mesh;
    }

    /** Where and when each fire really spread: infection times, infectors, fires. */
    public FireSpread spread() {
        return spread;
    }

    /** Event time the last sensor caught fire, or {@link FireSpread#NEVER} when no fire started. */
    public long lastInfectionTimestamp() {
        List<Integer> order = spread.order();
        return order.isEmpty() ? FireSpread.NEVER : spread.infectionTime(order.get(order.size() - 1));
    }

    @Override
    public String name() {
        return "generated";
    }

    @Override
    public void round(int k, long time, Consumer<Reading> out) {
        for (Mesh.Network network : mesh.networks()) {
            double ambient = heat.ambient(network.lon(), time);
            for (Mesh.Sensor s : network.sensors()) {
                long infection = spread.infectionTime(s.index);
                double temperature = heat.temperature(ambient + offset[s.index], time, infection, peak[s.index],
                        noise.nextGaussian());
                int by = spread.infectedBy(s.index);
                Reading r = new Reading(s.network, s.idText(), time, temperature,
                        infection <= time && by >= 0 ? mesh.sensor(by).idText() : null);
                r.nodeNumeric = true;
                r.infectedByNumeric = r.infectedBy != null;
                r.lat = s.lat;
                r.lon = s.lon;
                out.accept(r);
            }
        }
    }

    @Override
    public List<Truth.Fire> fires() {
        Map<Integer, List<Truth.Node>> byFire = new TreeMap<>();
        for (int sensor : spread.order()) {
            Mesh.Sensor s = mesh.sensor(sensor);
            int by = spread.infectedBy(sensor);
            byFire.computeIfAbsent(spread.fire(sensor), f -> new ArrayList<>()).add(Truth.node(s.network, s.idText(),
                    by < 0 ? null : mesh.sensor(by).idText(), spread.infectionTime(sensor), s.lat, s.lon));
        }
        List<Truth.Fire> fires = new ArrayList<>();
        byFire.values().forEach(nodes -> fires.add(new Truth.Fire(nodes.get(0).network, nodes)));
        return fires;
    }

    @Override
    public long burnMillis() {
        return settings.spread().burnMillis();
    }

    @Override
    public void describe(ObjectNode run) {
        Mesh.Layout layout = settings.layout();
        ArrayNode networks = run.putArray("networks");
        for (Mesh.Network n : mesh.networks()) {
            networks.addObject().put("network", n.name()).put("sensors", n.sensors().size())
                    .put("lat", Math.round(n.lat() * 1e6) / 1e6).put("lon", Math.round(n.lon() * 1e6) / 1e6)
                    .put("sideMetres", Math.round(n.sideMetres()));
        }
        run.put("radioRangeMetres", layout.radioRangeMetres());
        run.put("meanNeighbours", Math.round(mesh.meanNeighbours() * 100) / 100.0);
        FireSpread.Branching branching = settings.branching();
        if (branching == null) {
            run.putObject("wind").put("fromDegrees", settings.spread().windFromDegrees())
                    .put("speedKmh", settings.spread().windSpeedKmh());
            run.put("spreadMetresPerMinute", settings.spread().spreadMetresPerMinute());
        } else {
            run.putObject("branching").put("branches", branching.minBranches() + "-" + branching.maxBranches())
                    .put("hopDelay", DurationConverter.format(Duration.ofMillis(branching.minDelayMillis())) + "-"
                            + DurationConverter.format(Duration.ofMillis(branching.maxDelayMillis())))
                    .put("sensorsPerFire", branching.sensorsPerFire());
        }
        run.put("burnTime", DurationConverter.format(Duration.ofMillis(settings.spread().burnMillis())));
        ArrayNode ignitions = run.putArray("ignitions");
        for (FireSpread.Start s : starts) {
            Mesh.Sensor sensor = mesh.sensor(s.sensor());
            ignitions.addObject().put("network", sensor.network).put("node", sensor.id)
                    .put("timestamp", s.time()).put("time", ContractJson.isoTime(s.time()))
                    .put("started", spread.infectionTime(sensor.index) == s.time()
                            && spread.infectedBy(sensor.index) < 0);
        }
    }
}
