package org.bushfire.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.bushfire.domain.ContractJson;
import org.bushfire.domain.ContractJson.TimeFormat;
import org.bushfire.domain.Reading;

/** Builds a readings file line by line, in arrival order, the way a test scenario reads. */
public final class Scenario {
    /** Event time zero of every scenario. */
    public static final Instant T0 = Instant.parse("2024-11-21T00:00:00Z");
    public static final double HOT = 60.0;
    public static final double COLD = 25.0;

    private final List<String> lines = new ArrayList<>();
    /** Event time of each line (a raw line takes the time of the line before it). */
    private final List<Long> times = new ArrayList<>();
    private TimeFormat format = TimeFormat.EPOCH_MILLIS;

    public static Scenario create() {
        return new Scenario();
    }

    public static long at(Duration offset) {
        return T0.plus(offset).toEpochMilli();
    }

    public static Duration minutes(long m) {
        return Duration.ofMinutes(m);
    }

    public Scenario withTimeFormat(TimeFormat format) {
        this.format = format;
        return this;
    }

    /** A hot reading (60 °C) of a node in the default network. */
    public Scenario hot(Object node, Duration at, Object infectedBy) {
        return reading("default", node, at, HOT, infectedBy);
    }

    public Scenario hot(String network, Object node, Duration at, Object infectedBy) {
        return reading(network, node, at, HOT, infectedBy);
    }

    public Scenario cold(Object node, Duration at) {
        return reading("default", node, at, COLD, null);
    }

    /** A fire spreading along {@code nodes}, one hop every {@code hop}, starting at {@code start}. */
    public Scenario chain(String network, Duration start, Duration hop, Object... nodes) {
        for (int i = 0; i < nodes.length; i++) {
            reading(network, nodes[i], start.plus(hop.multipliedBy(i)), HOT, i == 0 ? nodes[0] : nodes[i - 1]);
        }
        return this;
    }

    public Scenario reading(String network, Object node, Duration at, double temperature, Object infectedBy) {
        Reading r = new Reading();
        r.network = network;
        r.node = String.valueOf(node);
        r.nodeNumeric = node instanceof Number;
        r.eventTimestamp = at(at);
        r.temperature = temperature;
        if (infectedBy != null) {
            r.infectedBy = String.valueOf(infectedBy);
            r.infectedByNumeric = infectedBy instanceof Number;
        }
        return reading(r);
    }

    public Scenario reading(Reading r) {
        lines.add(ContractJson.reading(r, format));
        times.add(r.eventTimestamp);
        return this;
    }

    /** A raw line, e.g. a malformed record. */
    public Scenario line(String raw) {
        lines.add(raw);
        times.add(times.isEmpty() ? 0L : times.get(times.size() - 1));
        return this;
    }

    public Scenario lines(List<String> raw) {
        raw.forEach(this::line);
        return this;
    }

    /** Arrival in event-time order (stable: lines of one instant keep their order). */
    public Scenario inEventTimeOrder() {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Long.compare(times.get(a), times.get(b)));
        List<String> sortedLines = new ArrayList<>();
        List<Long> sortedTimes = new ArrayList<>();
        for (int i : order) {
            sortedLines.add(lines.get(i));
            sortedTimes.add(times.get(i));
        }
        lines.clear();
        lines.addAll(sortedLines);
        times.clear();
        times.addAll(sortedTimes);
        return this;
    }

    public List<String> lines() {
        return Collections.unmodifiableList(lines);
    }

    /** Every line twice, the second copy a few lines later. */
    public Scenario duplicated() {
        List<String> doubled = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            doubled.add(lines.get(i));
            if (i >= 2) {
                doubled.add(lines.get(i - 2));
            }
        }
        doubled.addAll(lines.subList(Math.max(0, lines.size() - 2), lines.size()));
        lines.clear();
        lines.addAll(doubled);
        return this;
    }

    /** Shuffles lines within consecutive blocks of {@code block} lines (seeded). */
    public Scenario shuffledWithinBlocks(int block, long seed) {
        Random random = new Random(seed);
        for (int from = 0; from < lines.size(); from += block) {
            Collections.shuffle(lines.subList(from, Math.min(lines.size(), from + block)), random);
        }
        return this;
    }

    public Scenario reversed() {
        Collections.reverse(lines);
        return this;
    }

    public Path write(Path file) {
        try {
            Files.write(file, lines, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
