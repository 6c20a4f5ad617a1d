package org.bushfire.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.bushfire.domain.Alert;
import org.bushfire.domain.ContractJson;
import org.bushfire.domain.Reading;
import org.bushfire.simulator.Faults;
import org.bushfire.simulator.FireSpread;
import org.bushfire.simulator.GeneratedScenario;
import org.bushfire.simulator.HeatModel;
import org.bushfire.simulator.Ignition;
import org.bushfire.simulator.Mesh;
import org.bushfire.simulator.ReadingSink;
import org.bushfire.simulator.ReferenceScenario;
import org.bushfire.simulator.Scenario;
import org.bushfire.simulator.Simulation;
import org.bushfire.simulator.SimulationStats;
import org.bushfire.simulator.Truth;

/**
 * What the demo's sensors send, in real time (speed 1): event time is wall time, so no reading is ever ahead of
 * the clock, the two parts follow each other in event time, and the demo can run until Ctrl-C.
 *
 * <ol>
 *   <li>The reference scenario, its batches {@value #REFERENCE_INTERVAL_SECONDS} s apart (about 25 s), and a
 *       batch more with the fire put out, so that its incident clears a quiet minute later.
 *   <li>From {@value #GAP_SECONDS} s on, generated networks in which sensors report every
 *       {@value #INTERVAL_SECONDS} s, with fires lit at their upwind edges a few seconds, a quarter of a minute
 *       and a minute in. Fire is made fast — wind-driven, about a sensor every 10 s downwind — so a chain of
 *       five forms within a minute or two; a few readings are broken, duplicated or jittered on the way.
 * </ol>
 * An alert leaves the job once later readings move its watermark past the chain: B (30 s) after it completed.
 */
final class DemoSimulation {
    static final int REFERENCE_INTERVAL_SECONDS = 6;
    static final int GAP_SECONDS = 30;
    static final int INTERVAL_SECONDS = 5;
    /** The incident clock of the demo's job: minutes of a real fire are seconds here. */
    static final String UPDATE_EVERY = "30s";
    static final String QUIET_AFTER = "1m";
    static final double THRESHOLD = 50.0;
    static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(30);
    static final FireSpread.Params SPREAD = new FireSpread.Params(90, 315, 40, Duration.ofMinutes(3).toMillis());
    static final Faults FAULTS = new Faults(0, 0.002, 0.005, 0, Duration.ofMinutes(2), 0.02, Duration.ofSeconds(3));
    static final List<Duration> IGNITIONS = List.of(Duration.ofSeconds(3), Duration.ofSeconds(15), Duration.ofSeconds(60));

    private final int sensors;
    private final int networks;
    private final long seed;
    private final long referenceStart;

    DemoSimulation(int sensors, int networks, long seed, Instant now) {
        this.sensors = sensors;
        this.networks = networks;
        this.seed = seed;
        this.referenceStart = Math.floorDiv(now.toEpochMilli(), 1000) * 1000;
    }

    /** The reference fire's alert id: network default, root 1, whose onset is the second batch. */
    String referenceAlertId() {
        return Alert.idOf(ReferenceScenario.NETWORK, "1", referenceStart + REFERENCE_INTERVAL_SECONDS * 1000L);
    }

    GeneratedScenario.Settings generatedSettings() {
        Mesh.Layout layout = new Mesh.Layout(sensors, networks, -33.70, 150.30, Double.NaN, 250, "ridge");
        GeneratedScenario.Settings plain = new GeneratedScenario.Settings(layout, SPREAD,
                new HeatModel.Climate(22, 8, 0.5), THRESHOLD, 0, List.of(), null);
        Mesh mesh = GeneratedScenario.meshOf(plain, seed);
        return new GeneratedScenario.Settings(layout, SPREAD, plain.climate(), THRESHOLD, 0, ignitions(mesh), null);
    }

    /**
     * Fire k in network k mod N, at its most upwind sensor with at least three neighbours — so the fire has the
     * whole network to run across — alternating between the two flanks when a network gets more than one.
     */
    static List<Ignition> ignitions(Mesh mesh) {
        double downwind = Math.toRadians(SPREAD.windFromDegrees() + 180);
        double dx = Math.sin(downwind);
        double dy = Math.cos(downwind);
        List<Ignition> ignitions = new ArrayList<>();
        for (int k = 0; k < IGNITIONS.size(); k++) {
            Mesh.Network network = mesh.networks().get(k % mesh.networks().size());
            int flank = (k / mesh.networks().size()) % 2 == 0 ? -1 : 1;
            Mesh.Sensor start = network.sensors().stream()
                    .filter(s -> s.neighbours().length >= 3)
                    .filter(s -> Math.signum(s.x * dy - s.y * dx) == flank)
                    .min(Comparator.comparingDouble(s -> s.x * dx + s.y * dy))
                    .orElse(network.sensors().get(0));
            ignitions.add(Ignition.atSensor(network.name(), start.id, IGNITIONS.get(k)));
        }
        return ignitions;
    }

    /**
     * The reference scenario and one batch more, in which every sensor is back at ambient: the fire put out. Its
     * incident then clears within the demo — a quiet {@value #QUIET_AFTER} after the last onset, every burnt
     * sensor below T — where the scenario alone, whose later rounds repeat its last batch, would burn on.
     */
    static final class ReferenceThenPutOut implements Scenario {
        static final double AMBIENT_CELSIUS = 21.0;

        private final ReferenceScenario reference;

        ReferenceThenPutOut(ReferenceScenario reference) {
            this.reference = reference;
        }

        /** The scenario's batches and the put-out one. */
        int batches() {
            return reference.batches() + 1;
        }

        @Override
        public String name() {
            return reference.name();
        }

        @Override
        public void round(int k, long time, Consumer<Reading> out) {
            if (k < reference.batches()) {
                reference.round(k, time, out);
                return;
            }
            reference.round(k, time, r -> {
                r.temperature = AMBIENT_CELSIUS;
                r.infectedBy = null;
                r.infectedByNumeric = false;
                out.accept(r);
            });
        }

        @Override
        public List<Truth.Fire> fires() {
            return reference.fires();
        }

        @Override
        public long burnMillis() {
            return reference.burnMillis();
        }

        @Override
        public void describe(ObjectNode run) {
            reference.describe(run);
            run.put("putOutAfterBatch", reference.batches());
        }
    }

    /** Totals over both parts. */
    static final class Result {
        final List<SimulationStats> parts = new ArrayList<>();
        int fires;

        long sum(java.util.function.ToLongFunction<SimulationStats> f) {
            return parts.stream().mapToLong(f).sum();
        }
    }

    /**
     * Sends both parts until {@code deadline} (null: until stopped); writes each part's truth file into
     * {@code dir}.
     */
    Result run(ReadingSink sink, BooleanSupplier stop, Instant deadline, Path dir, PrintStream out)
            throws IOException, InterruptedException {
        return runAt(sink, stop, deadline, dir, out, 1.0);
    }

    /** The same at another speed: tests replay the demo's readings without its waits. */
    Result runAt(ReadingSink sink, BooleanSupplier stop, Instant deadline, Path dir, PrintStream out, double speed)
            throws IOException, InterruptedException {
        Result result = new Result();
        ObjectMapper json = new ObjectMapper();
        PrintWriter progress = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);

        ReferenceThenPutOut referenceFire = new ReferenceThenPutOut(
                ReferenceScenario.builtIn(referenceStart, REFERENCE_INTERVAL_SECONDS * 1000L));
        out.printf("demo: reference scenario: 11 sensors in network 'default', %d batches %d s apart, one fire "
                + "(expect one alert, chain 1 → 2 → 3 → 4 → 5), then put out (its all-clear a quiet %s later)%n",
                referenceFire.batches() - 1, REFERENCE_INTERVAL_SECONDS, QUIET_AFTER);
        Simulation reference = new Simulation(referenceFire,
                new Simulation.Config(referenceStart, Duration.ofSeconds(REFERENCE_INTERVAL_SECONDS),
                        referenceFire.batches(), speed,
                        ContractJson.TimeFormat.EPOCH_MILLIS, OUT_OF_ORDERNESS, Duration.ZERO),
                Faults.NONE, seed, THRESHOLD, sink, null);
        result.parts.add(reference.run(stop));
        reference.truth().write(dir.resolve("truth-reference.json"), reference.describe(json.createObjectNode()));
        result.fires += reference.stats().fires;

        long generatedStart = referenceStart + GAP_SECONDS * 1000L;
        while (System.currentTimeMillis() < generatedStart && !stop.getAsBoolean()) {
            Thread.sleep(100);
        }
        if (stop.getAsBoolean()) {
            return result;
        }
        Duration span = deadline == null ? Duration.ofDays(7)
                : Duration.ofMillis(Math.max(INTERVAL_SECONDS * 1000L, deadline.toEpochMilli() - generatedStart));
        int rounds = (int) Math.max(1, span.toSeconds() / INTERVAL_SECONDS);
        GeneratedScenario.Settings settings = generatedSettings();
        GeneratedScenario scenario = GeneratedScenario.create(settings, seed, generatedStart, span.toMillis());
        out.printf("demo: generated: %d sensors in %d networks (%s), a reading from each every %d s; fires at %s; "
                        + "wind from %.0f° at %.0f km/h%n", sensors, networks,
                String.join(", ", scenario.mesh().networks().stream().map(Mesh.Network::name).toList()),
                INTERVAL_SECONDS, settings.ignitions(), SPREAD.windFromDegrees(), SPREAD.windSpeedKmh());
        Simulation generated = new Simulation(scenario,
                new Simulation.Config(generatedStart, Duration.ofSeconds(INTERVAL_SECONDS), rounds, speed,
                        ContractJson.TimeFormat.EPOCH_MILLIS, OUT_OF_ORDERNESS, Duration.ofSeconds(30)),
                FAULTS, seed, THRESHOLD, sink, progress);
        try {
            result.parts.add(generated.run(stop));
        } finally {
            generated.truth().write(dir.resolve("truth-generated.json"), generated.describe(json.createObjectNode()));
        }
        result.fires += generated.stats().fires;
        return result;
    }
}
