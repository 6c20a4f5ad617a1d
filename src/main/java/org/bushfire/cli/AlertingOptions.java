package org.bushfire.cli;

import java.time.Duration;
import org.bushfire.job.AlertingConfig;
import picocli.CommandLine.Option;

/** The alerting and event-time options every job command (replay, run) takes. Defaults per the contract. */
public final class AlertingOptions {
    @Option(names = "--threshold", paramLabel = "CELSIUS", defaultValue = "50",
            description = "T: a reading at or above this temperature is hot (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--chain-length", paramLabel = "N", defaultValue = "5",
            description = "N: nodes a fire must spread through before it alerts (default: ${DEFAULT-VALUE}).")
    int chainLength;

    @Option(names = "--window", paramLabel = "DURATION", defaultValue = "30m", converter = DurationConverter.class,
            description = "W: longest time from an infector's onset to the onset it caused (default: 30m).")
    Duration window;

    @Option(names = "--out-of-orderness", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class,
            description = "B: how far behind the newest reading a reading may arrive before it is late "
                    + "(default: 30s).")
    Duration outOfOrderness;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "1m", converter = DurationConverter.class,
            description = "A source split silent this long stops holding back the watermark (default: 1m).")
    Duration idleTimeout;

    @Option(names = "--max-clock-skew", paramLabel = "DURATION", defaultValue = "15m",
            converter = DurationConverter.class,
            description = "Readings stamped further ahead of the wall clock are dead-lettered (default: 15m).")
    Duration maxClockSkew;

    @Option(names = "--state-retention", paramLabel = "DURATION", defaultValue = "24h",
            converter = DurationConverter.class,
            description = "Event time for which onsets and fires are remembered (default: 24h).")
    Duration stateRetention;

    @Option(names = "--update-every", paramLabel = "DURATION", defaultValue = "10m",
            converter = DurationConverter.class,
            description = "An incident update is due this long (event time) after the last message if more "
                    + "sensors burnt since; burning-count milestones 2N, 4N, 8N, … update at once (default: 10m).")
    Duration updateEvery;

    @Option(names = "--quiet-after", paramLabel = "DURATION", defaultValue = "60m",
            converter = DurationConverter.class,
            description = "All clear: no new onset for this long (event time) and every burning sensor "
                    + "reported below T since (default: 60m).")
    Duration quietAfter;

    public AlertingConfig toConfig() {
        return AlertingConfig.defaults()
                .withThreshold(threshold)
                .withChainLength(chainLength)
                .withHopWindow(window)
                .withOutOfOrderness(outOfOrderness)
                .withIdleTimeout(idleTimeout)
                .withMaxClockSkew(maxClockSkew)
                .withStateRetention(stateRetention)
                .withUpdateEvery(updateEvery)
                .withQuietAfter(quietAfter)
                .validate();
    }
}
