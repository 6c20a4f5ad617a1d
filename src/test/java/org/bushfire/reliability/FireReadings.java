package org.bushfire.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.bushfire.domain.Alert;
import org.bushfire.domain.ContractJson;
import org.bushfire.domain.MalformedReading;
import org.bushfire.domain.Reading;
import org.bushfire.domain.ReadingParser;
import org.bushfire.elasticsearch.ReadingDocuments;
import org.bushfire.testing.Scenario;

/**
 * Readings of several fires, each in its own network, and the alert each fire must raise. Event time starts at
 * {@link Scenario#T0}; lines come out in event-time order, so no reading is late on any shard.
 */
final class FireReadings {
    static final Path REFERENCE = Path.of("examples", "reference-11-nodes.jsonl");
    /** The reference fire's root: node 1, hot from batch 2, a minute after the first batch. */
    static final Duration REFERENCE_ROOT_ONSET = Duration.ofMinutes(1);
    /** Sensors of every network that report cold after the fires, spread over the shards by their ids. */
    static final int QUIET_SENSORS = 12;

    /** A fire as a subscriber tells it apart: its network, root sensor and the root's onset. */
    record Fire(String network, String root, long rootOnsetTimestamp) {
        String alertId() {
            return Alert.idOf(network, root, rootOnsetTimestamp);
        }
    }

    private final List<Reading> readings = new ArrayList<>();
    private final Set<String> networks = new LinkedHashSet<>();
    private final List<Fire> fires = new ArrayList<>();

    /** The shared reference scenario (one fire, chain 1 → 2 → 3 → 4 → 5) moved to a network and a time. */
    FireReadings reference(String network, Duration shift) {
        List<String> lines;
        try {
            lines = Files.readAllLines(REFERENCE, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String line : lines) {
            Reading r;
            try {
                r = ReadingParser.parse(line.getBytes(StandardCharsets.UTF_8));
            } catch (MalformedReading e) {
                throw new IllegalStateException("the reference scenario has a malformed line: " + line, e);
            }
            r.network = network;
            r.eventTimestamp += shift.toMillis();
            readings.add(r);
        }
        networks.add(network);
        fires.add(new Fire(network, "1", Scenario.at(REFERENCE_ROOT_ONSET.plus(shift))));
        return this;
    }

    /** A fire spreading from {@code firstNode} to the next node id every {@code hop}, through {@code length} nodes. */
    FireReadings chain(String network, Duration start, Duration hop, int firstNode, int length) {
        for (int i = 0; i < length; i++) {
            int node = firstNode + i;
            Reading r = new Reading(network, String.valueOf(node), Scenario.at(start.plus(hop.multipliedBy(i))),
                    Scenario.HOT + i, String.valueOf(i == 0 ? node : node - 1));
            r.nodeNumeric = true;
            r.infectedByNumeric = true;
            readings.add(r);
        }
        networks.add(network);
        fires.add(new Fire(network, String.valueOf(firstNode), Scenario.at(start)));
        return this;
    }

    /**
     * Sensors 901… of every network so far report cold at {@code at}. Put after the fires, they carry each source
     * subtask's watermark past every onset without waiting for idleness.
     */
    FireReadings quiet(Duration at) {
        for (String network : networks) {
            for (int node = 901; node < 901 + QUIET_SENSORS; node++) {
                Reading r = new Reading(network, String.valueOf(node), Scenario.at(at), Scenario.COLD, null);
                r.nodeNumeric = true;
                readings.add(r);
            }
        }
        return this;
    }

    List<Fire> fires() {
        return List.copyOf(fires);
    }

    /** All lines, in event-time order (stable). */
    List<String> lines() {
        return lines(r -> true);
    }

    /** The lines of readings before {@code offset} from T0. */
    List<String> linesBefore(Duration offset) {
        return lines(r -> r.eventTimestamp < Scenario.at(offset));
    }

    List<String> linesFrom(Duration offset) {
        return lines(r -> r.eventTimestamp >= Scenario.at(offset));
    }

    /** Elasticsearch ids of all readings. */
    Set<String> readingIds() {
        return readingIds(r -> true);
    }

    Set<String> readingIdsBefore(Duration offset) {
        return readingIds(r -> r.eventTimestamp < Scenario.at(offset));
    }

    private List<String> lines(Predicate<Reading> which) {
        List<String> lines = new ArrayList<>();
        for (Reading r : inEventTimeOrder()) {
            if (which.test(r)) {
                lines.add(ContractJson.reading(r, ContractJson.TimeFormat.EPOCH_MILLIS));
            }
        }
        return lines;
    }

    private Set<String> readingIds(Predicate<Reading> which) {
        Set<String> ids = new LinkedHashSet<>();
        for (Reading r : readings) {
            if (which.test(r)) {
                ids.add(ReadingDocuments.id(r));
            }
        }
        return ids;
    }

    private List<Reading> inEventTimeOrder() {
        List<Reading> sorted = new ArrayList<>(readings);
        sorted.sort(Comparator.comparingLong(r -> r.eventTimestamp));
        return sorted;
    }
}
