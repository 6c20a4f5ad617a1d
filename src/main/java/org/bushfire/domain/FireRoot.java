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
        return walk(node, links).root;
    }

    /** The path from the node up to its root, every node on it with a known onset, and the root. */
    public static Walk walk(String node, InfectionLinks links) {
        List<String> path = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String current = node;
        while (true) {
            path.add(current);
            seen.add(current);
            String infector = links.infectorOf(current);
            if (infector == null || !links.hasOnset(infector)) {
                return new Walk(path, current);
            }
            if (seen.contains(infector)) {
                return new Walk(path, smallestFrom(path, path.indexOf(infector)));
            }
            current = infector;
        }
    }

    /** Where a walk went: the node itself, then its infector, its infector's infector, …; and the root. */
    public static final class Walk {
        /** Distinct nodes, starting with the node walked from; each one's infector is the next. */
        public final List<String> path;
        public final String root;

        Walk(List<String> path, String root) {
            this.path = path;
            this.root = root;
        }

        /** The node's nearest ancestors, nearest first: at most {@code count} of them. */
        public List<String> ancestors(int count) {
            return path.subList(1, Math.min(path.size(), count + 1));
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
