package org.bushfire.domain;

import java.util.List;

/**
 * N distinct nodes of one network, each infected by the one before within the hop window: what the chain
 * pattern finds. The last onset completes the chain; its fire root is the chain's fire.
 */
public class InfectionChain {
    /** An array, not a List, so Flink serializes it as POJOs rather than through Kryo. */
    public Onset[] onsets = new Onset[0];

    public InfectionChain() {}

    public InfectionChain(List<Onset> onsets) {
        this.onsets = onsets.toArray(new Onset[0]);
    }

    public String network() {
        return onsets[0].network();
    }

    public Onset last() {
        return onsets[onsets.length - 1];
    }

    public long completedTimestamp() {
        return last().timestamp();
    }

    /** Identifies the fire: network, root, and the root's onset (a node may burn again after state expiry). */
    public String fireKey() {
        return last().fireKey();
    }

    /**
     * Event-time order of completion: earlier last onset first, and among chains completing at one instant the
     * one whose last onset was released first (the order the chain pattern met them in).
     */
    public boolean completesBefore(InfectionChain other) {
        Onset a = last();
        Onset b = other.last();
        return a.timestamp() != b.timestamp() ? a.timestamp() < b.timestamp() : a.releaseRank < b.releaseRank;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(network()).append(": ");
        for (int i = 0; i < onsets.length; i++) {
            sb.append(i == 0 ? "" : " → ").append(onsets[i].node());
        }
        return sb.toString();
    }
}
