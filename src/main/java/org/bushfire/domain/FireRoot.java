package org.bushfire.domain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the root of the fire a node belongs to: follow {@code infectedBy} until a node with no infector, or
 * whose infector has no known onset. Inconsistent data can make the links a cycle; the walk then stops, and
 * the root is the cycle's smallest id, so that every node of the cycle names the same root.
 */
public final class FireRoot {
    private FireRoot() {}

    public static String find(String node, InfectionLinks links) {
        List<String> path = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String current = node;
        while (true) {
            path.add(current);
            seen.add(current);
            String infector = links.infectorOf(current);
            if (infector == null || !links.hasOnset(infector)) {
                return current;
            }
            if (seen.contains(infector)) {
                return smallestFrom(path, path.indexOf(infector));
            }
            current = infector;
        }
    }

    private static String smallestFrom(List<String> path, int start) {
        String smallest = path.get(start);
        for (int i = start + 1; i < path.size(); i++) {
            if (path.get(i).compareTo(smallest) < 0) {
                smallest = path.get(i);
            }
        }
        return smallest;
    }
}
