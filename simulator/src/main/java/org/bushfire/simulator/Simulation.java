package org.bushfire.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;
import org.bushfire.cli.DurationConverter;
import org.bushfire.domain.ContractJson;
import org.bushfire.domain.Reading;

/**
 * One run: the scenario's rounds, through the faults, out to the sink in event-time order of when each record is
 * due, paced by the {@link SimulatedClock}; the truth recorded as it goes.
 */
public final class Simulation {
    /** The run's clock and what the sensors send. */
    public record Config(long start, Duration interval, int rounds, double speed, ContractJson.TimeFormat format,
                         Duration outOfOrderness, Duration progressEvery) {
        public Config {
            if (interval.toMillis() < 1) {
                throw new IllegalArgumentException("--interval must be at least 1ms");
            }
            if (rounds < 1) {
                throw new IllegalArgumentException("a run needs at least one round (--rounds, --duration)");
            }
            if (outOfOrderness.isNegative()) {
                throw new IllegalArgumentException("--out-of-orderness must not be negative");
            }
        }

        public Duration span() {
            return interval.multipliedBy(rounds);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Scenario scenario;
    private final Config config;
    private final Faults faults;
    private final long seed;
    private final ReadingSink sink;
    private final PrintWriter progress;
    private final double threshold;
    private final SimulationStats stats = new SimulationStats();
    private final Truth truth;
    private final PriorityQueue<Emission> queue = new PriorityQueue<>();
    private long newestSent = Long.MIN_VALUE;
    private long wallStart;
    private long nextProgress;
    private long currentRoundTime;
    private volatile boolean finished;

    /**
     * @param threshold T: a reading at or above it is hot (the truth's onsets)
     * @param progress where progress lines go (stderr), or null for none
     */
    public Simulation(Scenario scenario, Config config, Faults faults, long seed, double threshold, ReadingSink sink,
                      PrintWriter progress) {
        this.scenario = scenario;
        this.config = config;
        this.faults = faults;
        this.seed = seed;
        this.sink = sink;
        this.progress = progress;
        this.threshold = threshold;
        this.truth = new Truth(scenario.fires(), threshold);
    }

    /** Runs until the last round is sent or {@code stop} says so; returns what it did. */
    public SimulationStats run(BooleanSupplier stop) throws IOException {
        SimulatedClock clock = new SimulatedClock(config.start(), config.speed());
        FaultInjector injector = new FaultInjector(faults, SeededRandom.of(seed, "faults"), config.format(), stats);
        long interval = config.interval().toMillis();
        wallStart = System.nanoTime();
        nextProgress = wallStart + config.progressEvery().toNanos();
        clock.begin();
        try {
            for (int k = 0; k < config.rounds(); k++) {
                long time = config.start() + k * interval;
                if (!sendDueBefore(time, clock, stop) || !waitFor(time, clock, stop)) {
                    break;
                }
                currentRoundTime = time;
                scenario.round(k, time, r -> {
                    stats.produced++;
                    if (stats.firstEventTimestamp == Long.MIN_VALUE) {
                        stats.firstEventTimestamp = r.eventTimestamp;
                    }
                    stats.lastEventTimestamp = r.eventTimestamp;
                    truth.produced(r);
                    injector.apply(r, queue::add);
                });
                stats.rounds++;
            }
            // What is still held back goes out at once: a run does not outlast its last round.
            while (!queue.isEmpty() && !stop.getAsBoolean()) {
                send(queue.poll());
            }
            sink.flush();
        } finally {
            stats.wallNanos = System.nanoTime() - wallStart;
            stats.fires = truth.fires().size();
            finished = true;
        }
        return stats;
    }

    private boolean sendDueBefore(long time, SimulatedClock clock, BooleanSupplier stop) throws IOException {
        while (!queue.isEmpty() && queue.peek().due() < time) {
            Emission e = queue.peek();
            if (!waitFor(e.due(), clock, stop)) {
                return false;
            }
            send(queue.poll());
        }
        return true;
    }

    /** Waits (flushing first) until {@code time} is due on the clock; false when stopped meanwhile. */
    private boolean waitFor(long time, SimulatedClock clock, BooleanSupplier stop) throws IOException {
        if (stop.getAsBoolean()) {
            return false;
        }
        long nanos = clock.nanosUntil(time);
        if (nanos <= 0) {
            return true;
        }
        sink.flush();
        while (nanos > 0) {
            try {
                Thread.sleep(Math.max(1, Math.min(100, nanos / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (stop.getAsBoolean()) {
                return false;
            }
            reportProgress();
            nanos = clock.nanosUntil(time);
        }
        return true;
    }

    private void send(Emission e) throws IOException {
        sink.send(e.line(), e.partitionKey());
        stats.sent++;
        Reading r = e.reading();
        if (r != null) {
            boolean onTime = newestSent == Long.MIN_VALUE
                    || r.eventTimestamp >= newestSent - config.outOfOrderness().toMillis();
            if (!onTime) {
                stats.late++;
            }
            newestSent = Math.max(newestSent, r.eventTimestamp);
            truth.delivered(r, onTime);
        }
        if ((stats.sent & 1023) == 0) {
            reportProgress();
        }
    }

    private void reportProgress() {
        if (progress == null || config.progressEvery().isZero()) {
            return;
        }
        long now = System.nanoTime();
        if (now < nextProgress) {
            return;
        }
        nextProgress = now + config.progressEvery().toNanos();
        int[] fire = truth.burningAndActiveFires(currentRoundTime, scenario.burnMillis());
        double seconds = (now - wallStart) / 1e9;
        progress.printf("simulate: %d readings sent (%.0f/s), event time %s, round %d of %d, %d active fire%s, "
                        + "%d sensor%s burning%n", stats.sent, stats.sent / seconds,
                ContractJson.isoTime(currentRoundTime), stats.rounds, config.rounds(), fire[1], fire[1] == 1 ? "" : "s",
                fire[0], fire[0] == 1 ? "" : "s");
        progress.flush();
    }

    public SimulationStats stats() {
        return stats;
    }

    public boolean finished() {
        return finished;
    }

    public Truth truth() {
        return truth;
    }

    /** The run's description: the header of the truth file. */
    public ObjectNode describe(ObjectNode extra) {
        ObjectNode run = JSON.createObjectNode();
        run.put("scenario", scenario.name());
        run.put("seed", seed);
        run.put("start", ContractJson.isoTime(config.start()));
        run.put("startTimestamp", config.start());
        run.put("interval", DurationConverter.format(config.interval()));
        run.put("rounds", stats.rounds);
        run.put("threshold", threshold);
        run.put("outOfOrderness", DurationConverter.format(config.outOfOrderness()));
        run.put("format", config.format() == ContractJson.TimeFormat.IOT_RULE ? "iot-rule" : "simulator");
        if (extra != null) {
            run.setAll(extra);
        }
        scenario.describe(run);
        ObjectNode f = run.putObject("faults");
        f.put("drop", faults.drop()).put("malformed", faults.malformed()).put("duplicate", faults.duplicate())
                .put("late", faults.late()).put("lateBy", DurationConverter.format(faults.lateBy()))
                .put("jitter", faults.jitter()).put("jitterBy", DurationConverter.format(faults.jitterBy()));
        run.set("summary", stats.toJson(JSON));
        return run;
    }
}
