package org.bushfire.job;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.bushfire.domain.Alert;
import org.bushfire.domain.InfectionChain;

/**
 * Keyed by fire (network, root, root onset): the first chain to complete raises the alert, later chains of
 * the same fire raise nothing. The fire is remembered for the state retention after the alert, then forgotten.
 *
 * <p>"First" is decided in event time, not by arrival: the chain pattern runs keyed by chain start, so chains
 * of one fire come from several parallel pattern instances in no particular order. A chain waits here until
 * the watermark reaches its completion — the same watermark that let the pattern emit it, so this costs no
 * extra delay — and by then every chain completing at or before it has arrived. Of the chains completing at
 * one instant, the one whose last onset was released first wins (see {@link InfectionChain#completesBefore}).
 */
public final class OneAlertPerFire extends KeyedProcessFunction<String, InfectionChain, Alert> {
    private final long retentionMillis;

    private transient ValueState<Long> alertedAt;
    /** Per completion time, the first chain completing then, until the watermark passes it. */
    private transient MapState<Long, InfectionChain> waiting;
    private transient Counter chains;
    private transient Counter alerts;

    public OneAlertPerFire(Duration retention) {
        this.retentionMillis = retention.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        alertedAt = getRuntimeContext().getState(new ValueStateDescriptor<>("alerted-at", Types.LONG));
        waiting = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("waiting-chains", Types.LONG, Types.POJO(InfectionChain.class)));
        chains = JobMetrics.counter(getRuntimeContext(), JobMetrics.CHAINS);
        alerts = JobMetrics.counter(getRuntimeContext(), JobMetrics.ALERTS);
    }

    @Override
    public void processElement(InfectionChain chain, Context ctx, Collector<Alert> out) throws Exception {
        chains.inc();
        if (alertedAt.value() != null) {
            return;
        }
        long completed = chain.completedTimestamp();
        InfectionChain first = waiting.get(completed);
        if (first == null) {
            ctx.timerService().registerEventTimeTimer(completed);
            waiting.put(completed, chain);
        } else if (chain.completesBefore(first)) {
            waiting.put(completed, chain);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        InfectionChain first = waiting.get(timestamp);
        if (first != null) {
            waiting.remove(timestamp);
            if (alertedAt.value() == null) {
                alertedAt.update(timestamp);
                ctx.timerService().registerEventTimeTimer(timestamp + retentionMillis);
                alerts.inc();
                out.collect(Alert.of(first));
                return;
            }
        }
        Long alerted = alertedAt.value();
        if (alerted != null && timestamp >= alerted + retentionMillis) {
            alertedAt.clear();
        }
    }
}
