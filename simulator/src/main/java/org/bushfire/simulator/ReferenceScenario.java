package org.bushfire.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.bushfire.domain.Reading;

/**
 * The reference scenario of docs/contract.md, built into the simulator as
 * {@code scenarios/reference-11-nodes.csv} (the one copy; the committed example readings are tested against it): 11 sensors in network {@code default}, five batches. Round k is batch k + 1; rounds past the last
 * batch repeat it — the sensors go on reporting what they last saw — so a live stream keeps moving the job's
 * watermark past the last onset.
 *
 * <p>Readings follow the reading type: {@code infectedBy} 0 and a sensor's own id (the CSV's mark of an
 * ignition) both mean "no infector", so such readings carry none.
 */
public final class ReferenceScenario implements Scenario {
    public static final String BUILT_IN = "scenarios/reference-11-nodes.csv";
    public static final String NETWORK = Reading.DEFAULT_NETWORK;

    /** One CSV row: {@code batch,event,node,temperature,infectedBy}. */
    record Row(int batch, int event, int node, double temperature, int infectedBy) {
        boolean ignition() {
            return infectedBy == node;
        }

        boolean infected() {
            return infectedBy != 0;
        }
    }

    private final TreeMap<Integer, List<Row>> batches;
    private final long start;
    private final long interval;

    private ReferenceScenario(TreeMap<Integer, List<Row>> batches, long start, long interval) {
        this.batches = batches;
        this.start = start;
        this.interval = interval;
    }

    /** The built-in scenario. */
    public static ReferenceScenario builtIn(long start, long interval) {
        try (InputStream in = ReferenceScenario.class.getClassLoader().getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + BUILT_IN);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), BUILT_IN, start, interval);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ReferenceScenario fromFile(Path csv, long start, long interval) throws IOException {
        return parse(Files.readString(csv, StandardCharsets.UTF_8), csv.toString(), start, interval);
    }

    static ReferenceScenario parse(String csv, String origin, long start, long interval) {
        TreeMap<Integer, List<Row>> batches = new TreeMap<>();
        int lineNumber = 0;
        for (String line : csv.split("\r?\n")) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            try {
                if (f.length != 5) {
                    throw new NumberFormatException("expected 5 columns");
                }
                Row row = new Row(Integer.parseInt(f[0].trim()), Integer.parseInt(f[1].trim()),
                        Integer.parseInt(f[2].trim()), Double.parseDouble(f[3].trim()), Integer.parseInt(f[4].trim()));
                if (row.batch() < 1 || row.node() < 1 || !Double.isFinite(row.temperature())) {
                    throw new NumberFormatException("batch and node must be positive, temperature finite");
                }
                batches.computeIfAbsent(row.batch(), b -> new ArrayList<>()).add(row);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(origin + " line " + lineNumber + ": not batch,event,node,temperature,"
                        + "infectedBy (" + e.getMessage() + "): " + line);
            }
        }
        if (batches.isEmpty()) {
            throw new IllegalArgumentException(origin + " has no rows");
        }
        batches.values().forEach(rows -> rows.sort((a, b) -> Integer.compare(a.event(), b.event())));
        return new ReferenceScenario(batches, start, interval);
    }

    /** Batches in the scenario: the run's length when neither --rounds nor --duration is given. */
    public int batches() {
        return batches.size();
    }

    @Override
    public String name() {
        return "reference";
    }

    private List<Row> batchOfRound(int k) {
        List<List<Row>> ordered = new ArrayList<>(batches.values());
        return ordered.get(Math.min(k, ordered.size() - 1));
    }

    @Override
    public void round(int k, long time, Consumer<Reading> out) {
        for (Row row : batchOfRound(k)) {
            Reading r = new Reading(NETWORK, Integer.toString(row.node()), time, row.temperature(),
                    row.infected() && !row.ignition() ? Integer.toString(row.infectedBy()) : null);
            r.nodeNumeric = true;
            r.infectedByNumeric = r.infectedBy != null;
            out.accept(r);
        }
    }

    /**
     * The fire as the CSV tells it: a sensor is reached by fire at the first batch that names an infector (or
     * itself: an ignition), and belongs to the fire of the root its infectors lead to.
     */
    @Override
    public List<Truth.Fire> fires() {
        Map<Integer, Row> firstInfected = new LinkedHashMap<>();
        Map<Integer, Integer> batchIndex = new LinkedHashMap<>();
        int index = 0;
        for (Map.Entry<Integer, List<Row>> batch : batches.entrySet()) {
            for (Row row : batch.getValue()) {
                if (row.infected() && !firstInfected.containsKey(row.node())) {
                    firstInfected.put(row.node(), row);
                    batchIndex.put(row.node(), index);
                }
            }
            index++;
        }
        Map<Integer, List<Truth.Node>> byRoot = new LinkedHashMap<>();
        for (Row row : firstInfected.values()) {
            Integer root = rootOf(row.node(), firstInfected);
            if (root == null) {
                continue;
            }
            String infector = row.ignition() ? null : Integer.toString(row.infectedBy());
            byRoot.computeIfAbsent(root, r -> new ArrayList<>()).add(Truth.node(NETWORK, Integer.toString(row.node()),
                    infector, start + batchIndex.get(row.node()) * interval, null, null));
        }
        List<Truth.Fire> fires = new ArrayList<>();
        byRoot.forEach((root, nodes) -> {
            // the root first, then in the order the fire reached them
            nodes.sort(java.util.Comparator.comparing((Truth.Node n) -> !n.node.equals(Integer.toString(root)))
                    .thenComparingLong(n -> n.infectionTimestamp));
            fires.add(new Truth.Fire(NETWORK, nodes));
        });
        return fires;
    }

    /** The ignition a sensor's infectors lead back to; null when they lead nowhere or round in a circle. */
    private static Integer rootOf(int node, Map<Integer, Row> firstInfected) {
        int current = node;
        for (int steps = 0; steps <= firstInfected.size(); steps++) {
            Row row = firstInfected.get(current);
            if (row == null) {
                return null;
            }
            if (row.ignition()) {
                return current;
            }
            current = row.infectedBy();
        }
        return null;
    }

    @Override
    public long burnMillis() {
        return Long.MAX_VALUE / 4;
    }

    @Override
    public void describe(ObjectNode run) {
        run.putArray("networks").addObject().put("network", NETWORK).put("sensors", sensors());
    }

    private int sensors() {
        return (int) batches.values().stream().flatMap(List::stream).mapToInt(Row::node).distinct().count();
    }
}
