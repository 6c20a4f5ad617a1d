package org.bushfire.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.bushfire.domain.FireRoot;
import org.bushfire.domain.InfectionLinks;
import org.bushfire.domain.InfectionOrder;
import org.bushfire.domain.LineageOnset;
import org.bushfire.domain.Onset;
import org.bushfire.domain.SensorId;

/**
 * Per network: releases onsets in event-time order once the watermark passes them — infectors first among
 * onsets of one instant — stamps each with the root of its fire (found by following {@code infectedBy}
 * through the onsets known at that moment) and its rank in the instant, and routes it to the chains it can
 * belong to: one {@link LineageOnset} for the chain starting at the node itself and one for each of its N − 1
 * nearest ancestors. The chain pattern downstream is keyed by that chain start, so its work per onset is
 * bounded by the lineage, not by the size of the fire or the network.
 *
 * <p>This is the one step keyed by network, because the contract makes it global to a network: a root is
 * reached by walking any node's links, and the order within an instant spans the whole network. Its work per
 * onset is a few state accesses plus the walk to the root; everything costlier is keyed finer. Known onsets
 * are forgotten after the state retention.
 *
 * <p><b>A fire that has its chain stops feeding the pattern.</b> A fire raises one alert, for its chain that
 * completes first (see {@link OneAlertPerFire}). Once a chain of the fire has completed at t, an onset released
 * later than t can only be part of chains that complete after t — chains that lose — so its lineage copies are
 * not sent: in a fire of 10,000 sensors the pattern then weighs the first few dozen onsets, not all of them (each
 * onset still goes to {@link #FIRE_ONSETS}, so the incident counts it). Whether a chain ends at an onset is read
 * off the walk it has just made: its N − 1 nearest ancestors, each hop 0 ≤ hop ≤ W — the pattern's own rule,
 * and the pattern still finds and reports the chain. Copies are held back only while that cannot change the
 * alert: the fire's root names no infector (so no later onset can give the fire another root, which would make
 * it another fire with an alert of its own), nothing on the walk to the root is forgotten before every chain
 * through the onset would complete, and the fire's alert is still remembered downstream by then (one state
 * retention after its chain). Otherwise every copy goes on, as before.
 */
public final class FireTreeOrder extends KeyedProcessFunction<String, Onset, LineageOnset> {
    /** Each released onset once, stamped with its fire root and rank: what a fire's incident counts. */
    public static final OutputTag<Onset> FIRE_ONSETS = new OutputTag<>("fire-onsets", Types.POJO(Onset.class));

    private final long retentionMillis;
    private final int chainLength;
    private final long hopWindowMillis;

    /** Node → what its onset said, for root finding. */
    private transient MapState<String, KnownOnset> known;
    /** How many onsets wait for the watermark, by event time. */
    private transient MapState<Long, Integer> waiting;
    /** The waiting onsets, by "event time/arrival number": one state write per onset, however many share it. */
    private transient MapState<String, Onset> pending;
    /** Nodes to forget, by the event time at which they expire. */
    private transient MapState<Long, List<String>> expiring;
    /** Fire key → the event time at which its first chain completed, for the state retention. */
    private transient MapState<String, Long> firesWithChain;
    /** Fire keys to forget, by the event time at which they expire. */
    private transient MapState<Long, List<String>> firesExpiring;
    private transient Counter heldBack;
    private transient KnownLinks links;

    public FireTreeOrder(Duration retention, int chainLength, Duration hopWindow) {
        this.retentionMillis = retention.toMillis();
        this.chainLength = chainLength;
        this.hopWindowMillis = hopWindow.toMillis();
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
        waiting = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("waiting-onsets", Types.LONG, Types.INT));
        pending = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("pending-onsets-by-arrival", Types.STRING, Types.POJO(Onset.class)));
        expiring = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("expiring-nodes", Types.LONG, Types.LIST(Types.STRING)));
        firesWithChain = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("fires-with-a-chain", Types.STRING, Types.LONG));
        firesExpiring = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("fires-with-a-chain-expiring", Types.LONG, Types.LIST(Types.STRING)));
        heldBack = JobMetrics.counter(getRuntimeContext(), JobMetrics.ONSETS_AFTER_CHAIN);
        links = new KnownLinks();
    }

    @Override
    public void processElement(Onset onset, Context ctx, Collector<LineageOnset> out) throws Exception {
        long t = onset.timestamp();
        Integer count = waiting.get(t);
        if (count == null) {
            count = 0;
            ctx.timerService().registerEventTimeTimer(t);
        }
        pending.put(pendingKey(t, count), onset);
        waiting.put(t, count + 1);
    }

    private static String pendingKey(long timestamp, int arrival) {
        return timestamp + "/" + arrival;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LineageOnset> out) throws Exception {
        Integer count = waiting.get(timestamp);
        if (count != null) {
            waiting.remove(timestamp);
            List<Onset> due = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String key = pendingKey(timestamp, i);
                due.add(pending.get(key));
                pending.remove(key);
            }
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
        List<String> fires = firesExpiring.get(timestamp);
        if (fires != null) {
            firesExpiring.remove(timestamp);
            for (String fire : fires) {
                Long chainAt = firesWithChain.get(fire);
                if (chainAt != null && chainAt + retentionMillis <= timestamp) {
                    firesWithChain.remove(fire);
                }
            }
        }
    }

    private void release(List<Onset> ordered, long timestamp, OnTimerContext ctx, Collector<LineageOnset> out)
            throws Exception {
        List<String> nodes = new ArrayList<>(ordered.size());
        for (Onset onset : ordered) {
            known.put(onset.node(), new KnownOnset(onset));
            nodes.add(onset.node());
        }
        for (int rank = 0; rank < ordered.size(); rank++) {
            Onset onset = ordered.get(rank);
            links.startWalk();
            FireRoot.Walk walk = FireRoot.walk(onset.node(), links);
            KnownOnset rootOnset = known.get(walk.root);
            Onset released = onset.released(
                    new SensorId(walk.root, rootOnset.nodeNumeric), rootOnset.onsetTimestamp, rank);
            ctx.output(FIRE_ONSETS, released);
            String fire = released.fireKey();
            Long chainAt = firesWithChain.get(fire);
            if (chainAt != null && cannotChangeTheAlert(released, chainAt, rootOnset, links.oldestOnsetRead)) {
                heldBack.inc();
                continue;
            }
            out.collect(new LineageOnset(released, released.node()));
            for (String ancestor : walk.ancestors(chainLength - 1)) {
                out.collect(new LineageOnset(released, ancestor));
            }
            if (chainAt == null && chainEndsAt(walk)) {
                rememberChain(fire, released.timestamp(), ctx);
            }
        }
        forgetAt(expiring, timestamp + retentionMillis, nodes, ctx);
    }

    /** Adds {@code keys} to what {@code schedule} forgets at {@code at}, and makes sure a timer fires then. */
    private static void forgetAt(MapState<Long, List<String>> schedule, long at, List<String> keys,
            OnTimerContext ctx) throws Exception {
        List<String> already = schedule.get(at);
        List<String> all = new ArrayList<>(keys);
        if (already != null) {
            all.addAll(already);
        }
        schedule.put(at, all);
        ctx.timerService().registerEventTimeTimer(at);
    }

    /**
     * Whether the onset's lineage copies can be held back because its fire already has a chain, completed at
     * {@code chainAt}: every chain through the onset completes within (N − 1) · W after it, later than the
     * fire's chain, under the same fire key (the root names no infector, and the walk's onsets are still known
     * then), while the fire's alert is still remembered.
     */
    private boolean cannotChangeTheAlert(Onset onset, long chainAt, KnownOnset root, long oldestOnsetOnWalk) {
        long t = onset.timestamp();
        long lastCompletion = t + (chainLength - 1L) * hopWindowMillis;
        return t > chainAt
                && root.infectedBy == null
                && lastCompletion < oldestOnsetOnWalk + retentionMillis
                && lastCompletion < chainAt + retentionMillis;
    }

    /**
     * Whether a chain ends at the walk's first node: its N − 1 nearest ancestors (the walk follows
     * {@code infectedBy} through known onsets, distinct nodes), each hop no earlier than the one before it and
     * at most W after it — the chain pattern's rule.
     */
    private boolean chainEndsAt(FireRoot.Walk walk) throws Exception {
        if (walk.path.size() < chainLength) {
            return false;
        }
        long later = known.get(walk.path.get(0)).onsetTimestamp;
        for (int i = 1; i < chainLength; i++) {
            long earlier = known.get(walk.path.get(i)).onsetTimestamp;
            if (!InfectionChainPattern.isHop(earlier, later, hopWindowMillis)) {
                return false;
            }
            later = earlier;
        }
        return true;
    }

    private void rememberChain(String fire, long completed, OnTimerContext ctx) throws Exception {
        firesWithChain.put(fire, completed);
        forgetAt(firesExpiring, completed + retentionMillis, List.of(fire), ctx);
    }

    /**
     * Root finding's view of {@link #known}. A walk asks whether an infector has an onset and then whom that
     * infector names: the last node read is kept for the walk, so each hop costs one state read.
     */
    private final class KnownLinks implements InfectionLinks {
        private String lastNode;
        private KnownOnset lastOnset;
        /** The earliest onset among the nodes this walk has read: the first of them to be forgotten. */
        long oldestOnsetRead;

        /** Nothing read before holds: another key, or state changed since. */
        void startWalk() {
            lastNode = null;
            lastOnset = null;
            oldestOnsetRead = Long.MAX_VALUE;
        }

        private KnownOnset read(String node) {
            if (!node.equals(lastNode)) {
                try {
                    lastOnset = known.get(node);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot read known onsets", e);
                }
                lastNode = node;
                if (lastOnset != null) {
                    oldestOnsetRead = Math.min(oldestOnsetRead, lastOnset.onsetTimestamp);
                }
            }
            return lastOnset;
        }

        @Override
        public boolean hasOnset(String node) {
            return read(node) != null;
        }

        @Override
        public String infectorOf(String node) {
            KnownOnset k = read(node);
            return k == null ? null : k.infectedBy;
        }
    }
}
