package org.bushfire.simulator;

import java.util.function.Consumer;
import org.bushfire.domain.ContractJson;
import org.bushfire.domain.Reading;

/** Applies {@link Faults} to each reading as it is taken, with its own random stream. */
final class FaultInjector {
    /** A duplicate follows its original within this much event time. */
    static final long COPY_DELAY_MILLIS = 5_000;

    private final Faults faults;
    private final SeededRandom random;
    private final ContractJson.TimeFormat format;
    private final SimulationStats stats;
    private long sequence;

    FaultInjector(Faults faults, SeededRandom random, ContractJson.TimeFormat format, SimulationStats stats) {
        this.faults = faults;
        this.random = random;
        this.format = format;
        this.stats = stats;
    }

    void apply(Reading r, Consumer<Emission> out) {
        String key = PartitionKeys.of(r.network, r.node);
        String line = ContractJson.reading(r, format);
        if (random.chance(faults.drop())) {
            stats.dropped++;
            return;
        }
        if (random.chance(faults.malformed())) {
            stats.malformed++;
            out.accept(new Emission(r.eventTimestamp, sequence++, malformed(r, line), key, null, false));
            return;
        }
        long due = r.eventTimestamp;
        if (random.chance(faults.late())) {
            stats.delayed++;
            due += faults.lateBy().toMillis();
        } else if (random.chance(faults.jitter())) {
            stats.jittered++;
            due += random.nextLong(1, faults.jitterBy().toMillis() + 1);
        }
        out.accept(new Emission(due, sequence++, line, key, r, false));
        if (random.chance(faults.duplicate())) {
            stats.duplicated++;
            out.accept(new Emission(due + random.nextLong(0, COPY_DELAY_MILLIS + 1), sequence++, line, key, r, true));
        }
    }

    /** A broken form of the reading, each kind one the job must dead-letter. */
    private String malformed(Reading r, String line) {
        String node = r.nodeNumeric ? r.node : '"' + r.node + '"';
        String time = format == ContractJson.TimeFormat.IOT_RULE
                ? "\"eventTime\":\"" + ContractJson.iotRuleTime(r.eventTimestamp) + "\""
                : "\"eventTimestamp\":" + r.eventTimestamp;
        String network = "\"network\":\"" + r.network + "\"";
        switch (random.nextInt(6)) {
            case 0: // cut off in transit
                return line.substring(0, Math.max(1, line.length() / 2));
            case 1: // a firmware bug sends the number as text
                return "{" + network + ",\"node\":" + node + "," + time + ",\"temperature\":\"" + r.temperature + "\"}";
            case 2: // no sensor id
                return "{" + network + "," + time + ",\"temperature\":" + r.temperature + "}";
            case 3: // a failing thermistor
                return "{" + network + ",\"node\":" + node + "," + time + ",\"temperature\":9999.9}";
            case 4: // wrapped in an array
                return "[" + line + "]";
            default: // a status message on the data channel
                return "ERR sensor " + r.node + " battery low";
        }
    }
}
