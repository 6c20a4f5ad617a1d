package org.bushfire.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.bushfire.domain.Alert;

/**
 * The test-side oracle: the alerts the contract (ALERT-SEMANTICS.md) demands for the fires of a truth file,
 * worked out from the truth alone — the infection trees and each sensor's delivered onset — without the job.
 *
 * <ul>
 *   <li>A sensor takes part only if one of its hot readings reached the job intact and on time (its delivered
 *       onset).
 *   <li>Its fire root: follow {@code infectedBy} through sensors whose onsets are known by then (not later than
 *       its own) until a sensor with no infector or whose infector is not known.
 *   <li>A chain: N sensors, each infected by the one before, its onset not earlier and at most W later.
 *   <li>One alert per fire (network, root, root's onset): its first chain to complete; when several complete
 *       at the same instant, any of them.
 * </ul>
 */
final class ExpectedAlerts {
    /** One alert the job must raise. */
    record Expected(String network, String fireRoot, long fireRootOnset, long completed, Set<List<String>> chains) {
        String alertId() {
            return Alert.idOf(network, fireRoot, fireRootOnset);
        }
    }

    private record Sensor(String node, String infectedBy, long onset) {}

    private ExpectedAlerts() {}

    static List<Expected> of(JsonNode truth, int chainLength, Duration window) {
        Map<String, Map<String, Sensor>> networks = new TreeMap<>();
        for (JsonNode fire : truth.get("fires")) {
            Map<String, Sensor> sensors = networks.computeIfAbsent(fire.get("network").asText(), n -> new HashMap<>());
            for (JsonNode n : fire.get("nodes")) {
                JsonNode onset = n.get("deliveredOnsetTimestamp");
                if (onset != null && !onset.isNull()) {
                    JsonNode by = n.get("infectedBy");
                    String node = n.get("node").asText();
                    sensors.put(node, new Sensor(node, by == null || by.isNull() ? null : by.asText(), onset.asLong()));
                }
            }
        }
        List<Expected> expected = new ArrayList<>();
        networks.forEach((network, sensors) -> expected.addAll(inNetwork(network, sensors, chainLength,
                window.toMillis())));
        return expected;
    }

    private static List<Expected> inNetwork(String network, Map<String, Sensor> sensors, int n, long window) {
        Map<String, String> roots = new HashMap<>();
        for (Sensor s : sensors.values()) {
            roots.put(s.node(), rootOf(s, sensors));
        }
        Map<String, Expected> byFire = new LinkedHashMap<>();
        List<Sensor> ends = new ArrayList<>(sensors.values());
        ends.sort(Comparator.comparingLong(Sensor::onset).thenComparing(Sensor::node));
        for (Sensor last : ends) {
            List<String> chain = chainEndingAt(last, sensors, n, window);
            if (chain == null) {
                continue;
            }
            String root = roots.get(last.node());
            String fire = root + "@" + sensors.get(root).onset();
            Expected known = byFire.get(fire);
            if (known == null) {
                Set<List<String>> chains = new HashSet<>();
                chains.add(chain);
                byFire.put(fire, new Expected(network, root, sensors.get(root).onset(), last.onset(), chains));
            } else if (known.completed() == last.onset()) {
                known.chains().add(chain);
            }
        }
        return new ArrayList<>(byFire.values());
    }

    /** The root as the job finds it when the sensor's onset is released: only onsets not later than its own count. */
    private static String rootOf(Sensor s, Map<String, Sensor> sensors) {
        Sensor current = s;
        Set<String> seen = new HashSet<>();
        while (seen.add(current.node())) {
            Sensor infector = current.infectedBy() == null ? null : sensors.get(current.infectedBy());
            if (infector == null || infector.onset() > s.onset()) {
                return current.node();
            }
            current = infector;
        }
        return current.node();
    }

    /** The N sensors ending at {@code last}, or null when a link is missing or a hop is reversed or too slow. */
    private static List<String> chainEndingAt(Sensor last, Map<String, Sensor> sensors, int n, long window) {
        List<String> chain = new ArrayList<>();
        chain.add(last.node());
        Sensor current = last;
        while (chain.size() < n) {
            Sensor infector = current.infectedBy() == null ? null : sensors.get(current.infectedBy());
            if (infector == null) {
                return null;
            }
            long hop = current.onset() - infector.onset();
            if (hop < 0 || hop > window) {
                return null;
            }
            chain.add(0, infector.node());
            current = infector;
        }
        return chain;
    }
}
