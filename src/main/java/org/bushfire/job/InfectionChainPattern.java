package org.bushfire.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.EventComparator;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.util.Collector;
import org.bushfire.domain.InfectionChain;
import org.bushfire.domain.LineageOnset;
import org.bushfire.domain.Onset;

/**
 * The Flink CEP pattern that follows a fire from node to node, over the lineage copies of the onsets (see
 * {@link LineageOnset}), keyed by chain start.
 *
 * <pre>
 *   begin("first").where(starts its lineage)   a chain starts at the key's own sensor
 *   .followedByAny("spread")                   then, skipping unrelated onsets,
 *       .where(infected by the previous)        an onset of the same lineage naming the previous node as
 *                                               infector, within W of it,
 *       .times(N − 1).allowCombinations()        N − 1 times, each step free to take any such onset
 *   .within((N − 1) · W)                       a partial chain older than the longest chain is dropped
 * </pre>
 *
 * Non-deterministic relaxed contiguity ({@code followedByAny}, {@code allowCombinations}) is what lets a
 * partial chain branch: when node 3 infects both 4a and 4b, one branch takes 4a and another 4b, so a branch
 * that dead-ends cannot hide a chain down its sibling. A fixed {@code followedBy} would commit to the first
 * child it meets.
 *
 * <p>Keyed by chain start, a key only holds the partial chains starting at its sensors (a few lineages share
 * a key: see {@link Keys.ByChainStart}), so an onset is weighed against the partial chains it could extend
 * and not, as a pattern keyed by network would, against every partial chain of every fire in the network.
 * Each chain is found exactly once, under its first sensor.
 */
public final class InfectionChainPattern {
    static final String FIRST = "first";
    static final String SPREAD = "spread";

    private InfectionChainPattern() {}

    public static Pattern<LineageOnset, LineageOnset> create(int chainLength, Duration hopWindow) {
        // The NFA drops a partial match when (now − start) >= within, so allow one millisecond more than the
        // longest legal chain; the condition enforces each hop <= W exactly.
        Duration span = hopWindow.multipliedBy(chainLength - 1L).plusMillis(1);
        return Pattern.<LineageOnset>begin(FIRST, AfterMatchSkipStrategy.noSkip())
                .where(new StartsLineage())
                .followedByAny(SPREAD)
                .where(new InfectedByPrevious(hopWindow.toMillis()))
                .times(chainLength - 1)
                .allowCombinations()
                .within(span);
    }

    /**
     * The contract's hop: the infected sensor's onset no earlier than its infector's and at most W after it. The
     * pattern's condition and the fire tree's "has this fire its chain" both ask it.
     */
    static boolean isHop(long infectorOnset, long infectedOnset, long hopWindowMillis) {
        long hop = infectedOnset - infectorOnset;
        return hop >= 0 && hop <= hopWindowMillis;
    }

    /** Only the copy of an onset routed to its own node may start a chain. */
    static final class StartsLineage extends SimpleCondition<LineageOnset> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean filter(LineageOnset candidate) {
            return candidate.startsLineage();
        }
    }

    /**
     * The onset is of the chain's lineage, names the chain's last node as its infector, no earlier than it and
     * at most W after it.
     */
    static final class InfectedByPrevious extends IterativeCondition<LineageOnset> {
        private static final long serialVersionUID = 1L;
        private final long hopWindowMillis;

        InfectedByPrevious(long hopWindowMillis) {
            this.hopWindowMillis = hopWindowMillis;
        }

        @Override
        public boolean filter(LineageOnset candidate, Context<LineageOnset> ctx) throws Exception {
            String infector = candidate.onset.infectedBy();
            if (infector == null || candidate.startsLineage()) {
                return false; // an ignition starts chains, it never continues one; nor does a lineage's own start
            }
            LineageOnset previous = null;
            for (LineageOnset o : ctx.getEventsForPattern(SPREAD)) {
                if (o.onset.node().equals(candidate.onset.node())) {
                    return false;
                }
                previous = o;
            }
            for (LineageOnset o : ctx.getEventsForPattern(FIRST)) {
                if (o.onset.node().equals(candidate.onset.node())) {
                    return false;
                }
                if (previous == null) {
                    previous = o;
                }
            }
            if (previous == null || !infector.equals(previous.onset.node())
                    || !candidate.chainStart.equals(previous.chainStart)
                    || !candidate.network().equals(previous.network())) {
                return false;
            }
            return isHop(previous.onset.timestamp(), candidate.onset.timestamp(), hopWindowMillis);
        }
    }

    /** Turns a match into the chain, in infection order. */
    static final class ToChain extends PatternProcessFunction<LineageOnset, InfectionChain> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processMatch(Map<String, List<LineageOnset>> match, Context ctx, Collector<InfectionChain> out) {
            List<Onset> chain = new ArrayList<>();
            for (LineageOnset o : match.get(FIRST)) {
                chain.add(o.onset);
            }
            for (LineageOnset o : match.get(SPREAD)) {
                chain.add(o.onset);
            }
            out.collect(new InfectionChain(chain));
        }
    }

    /**
     * Onsets of one instant in the order they were released (infectors first), whatever order the network
     * delivered them in: a hop within one instant needs the infector first.
     */
    static final class ReleaseOrder implements EventComparator<LineageOnset> {
        private static final long serialVersionUID = 1L;

        @Override
        public int compare(LineageOnset a, LineageOnset b) {
            return Integer.compare(a.onset.releaseRank, b.onset.releaseRank);
        }
    }
}
