package org.bushfire.domain;

/**
 * An onset as one possible chain sees it. A chain is a path down the fire tree, so it lies entirely in the
 * lineage of its first sensor: the onset of node x can only belong to chains that start at x or at one of its
 * N − 1 nearest ancestors. The fire tree order sends one copy of each onset per such chain start, and the chain
 * pattern is keyed by chain start, so that the pattern only ever weighs an onset against the few partial
 * chains of its own lineage — never against every partial chain of a large fire or of its network.
 */
public class LineageOnset {
    public Onset onset;
    /** The node whose chains this copy may extend (the onset's own node when it may start one). */
    public String chainStart;

    public LineageOnset() {}

    public LineageOnset(Onset onset, String chainStart) {
        this.onset = onset;
        this.chainStart = chainStart;
    }

    public String network() {
        return onset.network();
    }

    /** The copy that may start a chain: the onset routed to its own node. */
    public boolean startsLineage() {
        return chainStart.equals(onset.node());
    }

    @Override
    public String toString() {
        return "LineageOnset[" + onset.node() + " in chains from " + chainStart + "]";
    }
}
