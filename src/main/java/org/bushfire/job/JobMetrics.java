package org.bushfire.job;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;

/**
 * The job's counters, registered under the metric group {@code bushfire}. Each is also an accumulator of the
 * same name, so a bounded run (replay) can report totals when it finishes.
 */
public final class JobMetrics {
    public static final String GROUP = "bushfire";
    public static final String READINGS = "readings";
    public static final String MALFORMED = "readingsMalformed";
    public static final String LATE = "readingsLate";
    /** Hot readings on time at their source but behind the watermark where all sources meet (the onsets). */
    public static final String LATE_HOT = "readingsLateAtOnsets";
    public static final String ONSETS = "onsets";
    public static final String CHAINS = "chains";
    /**
     * Onsets of a fire that already has its chain, not sent to the chain pattern: they could only be part of
     * chains completing later, which raise no alert (see {@link FireTreeOrder}). Their incident counts them.
     */
    public static final String ONSETS_AFTER_CHAIN = "onsetsAfterFireChain";
    public static final String ALERTS = "alerts";
    /** Messages of fire incidents: alerts, updates and all-clears. */
    public static final String INCIDENT_MESSAGES = "incidentMessages";

    private JobMetrics() {}

    /** A counter that updates both the metric and the accumulator. */
    public static Counter counter(RuntimeContext context, String name) {
        Counter metric = context.getMetricGroup().addGroup(GROUP).counter(name);
        LongCounter total = new LongCounter();
        context.addAccumulator(name, total);
        return new Counter() {
            @Override
            public void inc() {
                metric.inc();
                total.add(1L);
            }

            @Override
            public void inc(long n) {
                metric.inc(n);
                total.add(n);
            }

            @Override
            public void dec() {
                metric.dec();
                total.add(-1L);
            }

            @Override
            public void dec(long n) {
                metric.dec(n);
                total.add(-n);
            }

            @Override
            public long getCount() {
                return metric.getCount();
            }
        };
    }
}
