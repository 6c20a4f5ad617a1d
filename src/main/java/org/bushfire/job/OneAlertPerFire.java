package org.bushfire.job;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
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
 */
public final class OneAlertPerFire extends KeyedProcessFunction<String, InfectionChain, Alert> {
    private final long retentionMillis;

    private transient ValueState<Long> alertedAt;
    private transient Counter chains;
    private transient Counter alerts;

    public OneAlertPerFire(Duration retention) {
        this.retentionMillis = retention.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        alertedAt = getRuntimeContext().getState(new ValueStateDescriptor<>("alerted-at", Types.LONG));
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
        alertedAt.update(completed);
        ctx.timerService().registerEventTimeTimer(completed + retentionMillis);
        alerts.inc();
        out.collect(Alert.of(chain));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) {
        alertedAt.clear();
    }
}
