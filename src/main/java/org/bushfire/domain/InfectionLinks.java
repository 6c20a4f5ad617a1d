package org.bushfire.domain;

/** What is known of one network's fire so far: which nodes have an onset, and whom each names as infector. */
public interface InfectionLinks {
    boolean hasOnset(String node);

    /** The infector named by the node's onset, or null when it has none. Only asked of nodes with an onset. */
    String infectorOf(String node);
}
