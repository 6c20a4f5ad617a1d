package org.bushfire.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Orders onsets that share one event time so that an infector comes before the nodes it infected (ties by
 * node id). Sensors report in batches, so a whole hop of a chain can carry one timestamp; the chain pattern
 * sees events in this order and must meet the infector first. Cycles, which only inconsistent data makes,
 * are appended in id order.
 */
public final class InfectionOrder {
    private static final Comparator<Onset> BY_NODE = Comparator.comparing(Onset::node);

    private InfectionOrder() {}

    public static List<Onset> sort(List<Onset> sameTime) {
        if (sameTime.size() < 2) {
            return sameTime;
        }
        Map<String, Onset> byNode = new HashMap<>();
        for (Onset o : sameTime) {
            byNode.merge(o.node(), o, (a, b) -> BY_NODE.compare(a, b) <= 0 ? a : b);
        }
        Map<String, List<Onset>> infected = new HashMap<>();
        PriorityQueue<Onset> ready = new PriorityQueue<>(BY_NODE);
        for (Onset o : byNode.values()) {
            String infector = o.infectedBy();
            if (infector != null && byNode.containsKey(infector)) {
                infected.computeIfAbsent(infector, k -> new ArrayList<>()).add(o);
            } else {
                ready.add(o);
            }
        }
        List<Onset> ordered = new ArrayList<>(byNode.size());
        while (!ready.isEmpty()) {
            Onset next = ready.poll();
            ordered.add(next);
            List<Onset> children = infected.remove(next.node());
            if (children != null) {
                ready.addAll(children);
            }
        }
        if (ordered.size() < byNode.size()) {
            List<Onset> inCycles = new ArrayList<>();
            infected.values().forEach(inCycles::addAll);
            inCycles.sort(BY_NODE);
            ordered.addAll(inCycles);
        }
        return ordered;
    }
}
