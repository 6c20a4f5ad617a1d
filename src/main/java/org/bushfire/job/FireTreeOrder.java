package org.bushfire.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.bushfire.domain.FireRoot;
import org.bushfire.domain.InfectionLinks;
import org.bushfire.domain.InfectionOrder;
import org.bushfire.domain.Onset;
import org.bushfire.domain.SensorId;

/**
 * Per network: releases onsets in event-time order once the watermark passes them — infectors first among
 * onsets of one instant — and stamps each with the root of its fire, found by following {@code infectedBy}
 * through the onsets known at that moment. The chain pattern downstream relies on that order; the alert
 * step deduplicates by that root. Known onsets are forgotten after the state retention.
 */
public final class FireTreeOrder extends KeyedProcessFunction<String, Onset, Onset> {
    private final long retentionMillis;

    /** Node → what its onset said, for root finding. */
    private transient MapState<String, KnownOnset> known;
    /** Onsets waiting for the watermark, by event time. */
    private transient MapState<Long, List<Onset>> pending;
    /** Nodes to forget, by the event time at which they expire. */
    private transient MapState<Long, List<String>> expiring;
    private transient InfectionLinks links;

    public FireTreeOrder(Duration retention) {
        this.retentionMillis = retention.toMillis();
    }

    /** The part of a node's onset that root finding needs. */
    public static class KnownOnset {
        public String infectedBy;
        public long onsetTimestamp;
        public boolean nodeNumeric;

        public KnownOnset() {}

        KnownOnset(Onset onset) {
            this.infectedBy = onset.infectedBy();
            this.onsetTimestamp = onset.timestamp();
            this.nodeNumeric = onset.reading.nodeNumeric;
        }
    }

    @Override
    public void open(OpenContext openContext) {
        known = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("known-onsets", Types.STRING, Types.POJO(KnownOnset.class)));
        pending = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("pending-onsets", Types.LONG, Types.LIST(Types.POJO(Onset.class))));
        expiring = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("expiring-nodes", Types.LONG, Types.LIST(Types.STRING)));
        links = new KnownLinks();
    }

    @Override
    public void processElement(Onset onset, Context ctx, Collector<Onset> out) throws Exception {
        long t = onset.timestamp();
        List<Onset> due = pending.get(t);
        if (due == null) {
            due = new ArrayList<>();
            ctx.timerService().registerEventTimeTimer(t);
        }
        due.add(onset);
        pending.put(t, due);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Onset> out) throws Exception {
        List<Onset> due = pending.get(timestamp);
        if (due != null) {
            pending.remove(timestamp);
            release(InfectionOrder.sort(due), timestamp, ctx, out);
        }
        List<String> expired = expiring.get(timestamp);
        if (expired != null) {
            expiring.remove(timestamp);
            for (String node : expired) {
                KnownOnset k = known.get(node);
                if (k != null && k.onsetTimestamp + retentionMillis <= timestamp) {
                    known.remove(node);
                }
            }
        }
    }

    private void release(List<Onset> ordered, long timestamp, OnTimerContext ctx, Collector<Onset> out)
            throws Exception {
        List<String> nodes = new ArrayList<>(ordered.size());
        for (Onset onset : ordered) {
            known.put(onset.node(), new KnownOnset(onset));
            nodes.add(onset.node());
        }
        for (Onset onset : ordered) {
            String root = FireRoot.find(onset.node(), links);
            KnownOnset rootOnset = known.get(root);
            out.collect(onset.withFireRoot(new SensorId(root, rootOnset.nodeNumeric), rootOnset.onsetTimestamp));
        }
        long expiry = timestamp + retentionMillis;
        List<String> alreadyExpiring = expiring.get(expiry);
        if (alreadyExpiring != null) {
            nodes.addAll(alreadyExpiring);
        }
        expiring.put(expiry, nodes);
        ctx.timerService().registerEventTimeTimer(expiry);
    }

    /** Root finding's view of {@link #known}. */
    private final class KnownLinks implements InfectionLinks {
        @Override
        public boolean hasOnset(String node) {
            try {
                return known.contains(node);
            } catch (Exception e) {
                throw new IllegalStateException("cannot read known onsets", e);
            }
        }

        @Override
        public String infectorOf(String node) {
            try {
                KnownOnset k = known.get(node);
                return k == null ? null : k.infectedBy;
            } catch (Exception e) {
                throw new IllegalStateException("cannot read known onsets", e);
            }
        }
    }
}
