package org.bushfire.simulator;

import org.bushfire.domain.Reading;

/**
 * One record to send: its text, when (in event time) it is due, and the reading it carries — null when the text
 * is a malformed one. Sent in order of {@code due}, then {@code sequence}.
 */
record Emission(long due, long sequence, String line, String partitionKey, Reading reading, boolean copy)
        implements Comparable<Emission> {
    @Override
    public int compareTo(Emission o) {
        int c = Long.compare(due, o.due);
        return c != 0 ? c : Long.compare(sequence, o.sequence);
    }
}
