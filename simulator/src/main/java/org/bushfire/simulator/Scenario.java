package org.bushfire.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the sensors report. Sensors report in rounds, one reading per sensor per round (the reference data calls
 * them batches); round {@code k} is at event time {@code start + k · interval}.
 */
public interface Scenario {
    /** {@code reference} or {@code generated}. */
    String name();

    /** The readings of round {@code k}, at event time {@code time}, in the order the sensors send them. */
    void round(int k, long time, Consumer<org.bushfire.domain.Reading> out);

    /** Every fire of the run with its infection tree, onsets still to be filled in as readings are taken. */
    List<Truth.Fire> fires();

    /** How long a sensor burns, for progress reports (sensors burning, active fires). */
    long burnMillis();

    /** The scenario's own description for the truth file (mesh, wind, ...). */
    void describe(ObjectNode run);
}
