package org.bushfire.simulator;

import java.io.Closeable;
import java.io.IOException;

/** Where records go: a JSON Lines file, stdout or a Kinesis stream. */
public interface ReadingSink extends Closeable {
    /** One record; a sink may hold it until {@link #flush()}. */
    void send(String line, String partitionKey) throws IOException;

    /** Sends what is held. Called before the simulation waits for its clock, and at the end. */
    void flush() throws IOException;

    /** For messages: "file readings.jsonl", "kinesis stream readings". */
    String describe();
}
