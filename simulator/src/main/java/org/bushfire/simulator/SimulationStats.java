package org.bushfire.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bushfire.domain.ContractJson;

/** What a run did, counted as it went; the one-line summary and the truth file's {@code summary}. */
public final class SimulationStats {
    /** Readings the sensors took. */
    public long produced;
    /** Records handed to the sink: intact readings, their duplicates and the malformed ones. */
    public long sent;
    public long dropped;
    public long malformed;
    public long duplicated;
    /** Held back by --late-by. */
    public long delayed;
    public long jittered;
    /** Sent more than B behind the newest reading sent before them (one ordered stream). */
    public long late;
    public long rounds;
    public int fires;
    public long firstEventTimestamp = Long.MIN_VALUE;
    public long lastEventTimestamp = Long.MIN_VALUE;
    public long wallNanos;

    /** Distinct intact readings sent: what an index keyed by network, node and event time ends up holding. */
    public long distinctReadings() {
        return sent - malformed - duplicated;
    }

    public double ratePerSecond() {
        return wallNanos <= 0 ? 0 : sent / (wallNanos / 1e9);
    }

    public ObjectNode toJson(ObjectMapper json) {
        ObjectNode o = json.createObjectNode();
        o.put("readingsProduced", produced);
        o.put("readingsSent", sent);
        o.put("readingsDropped", dropped);
        o.put("readingsMalformed", malformed);
        o.put("readingsDuplicated", duplicated);
        o.put("readingsDelayed", delayed);
        o.put("readingsJittered", jittered);
        o.put("readingsLate", late);
        o.put("distinctReadings", distinctReadings());
        o.put("rounds", rounds);
        o.put("fires", fires);
        if (firstEventTimestamp != Long.MIN_VALUE) {
            o.put("firstEventTime", ContractJson.isoTime(firstEventTimestamp));
            o.put("lastEventTime", ContractJson.isoTime(lastEventTimestamp));
        }
        o.put("wallSeconds", Math.round(wallNanos / 1e6) / 1e3);
        o.put("readingsPerSecond", Math.round(ratePerSecond()));
        return o;
    }
}
