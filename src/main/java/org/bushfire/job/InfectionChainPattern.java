package org.bushfire.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.util.Collector;
import org.bushfire.domain.InfectionChain;
import org.bushfire.domain.Onset;

/**
 * The Flink CEP pattern that follows a fire from node to node.
 *
 * <pre>
 *   begin("first")                       any onset may start a chain
 *   .followedByAny("spread")             then, skipping unrelated onsets,
 *       .where(infected by the previous)  an onset naming the previous node as infector, within W of it,
 *       .times(N − 1).allowCombinations()  N − 1 times, each step free to take any such onset
 *   .within((N − 1) · W)                 a partial chain older than the longest chain is dropped
 * </pre>
 *
 * Non-deterministic relaxed contiguity ({@code followedByAny}, {@code allowCombinations}) is what lets a
 * partial chain branch: when node 3 infects both 4a and 4b, one branch takes 4a and another 4b, so a branch
 * that dead-ends cannot hide a chain down its sibling. A fixed {@code followedBy} would commit to the first
 * child it meets. The pattern is keyed by network, so networks are matched in parallel and never mixed.
 */
public final class InfectionChainPattern {
    static final String FIRST = "first";
    static final String SPREAD = "spread";

    private InfectionChainPattern() {}

    public static Pattern<Onset, Onset> create(int chainLength, Duration hopWindow) {
        // The NFA drops a partial match when (now − start) >= within, so allow one millisecond more than the
        // longest legal chain; the condition enforces each hop <= W exactly.
        Duration span = hopWindow.multipliedBy(chainLength - 1L).plusMillis(1);
        return Pattern.<Onset>begin(FIRST, AfterMatchSkipStrategy.noSkip())
                .followedByAny(SPREAD)
                .where(new InfectedByPrevious(hopWindow.toMillis()))
                .times(chainLength - 1)
                .allowCombinations()
                .within(span);
    }

    /** The onset names the chain's last node as its infector, no earlier than it and at most W after it. */
    static final class InfectedByPrevious extends IterativeCondition<Onset> {
        private static final long serialVersionUID = 1L;
        private final long hopWindowMillis;

        InfectedByPrevious(long hopWindowMillis) {
            this.hopWindowMillis = hopWindowMillis;
        }

        @Override
        public boolean filter(Onset candidate, Context<Onset> ctx) throws Exception {
            String infector = candidate.infectedBy();
            if (infector == null) {
                return false; // an ignition starts chains, it never continues one
            }
            Onset previous = null;
            for (Onset o : ctx.getEventsForPattern(SPREAD)) {
                if (o.node().equals(candidate.node())) {
                    return false;
                }
                previous = o;
            }
            for (Onset o : ctx.getEventsForPattern(FIRST)) {
                if (o.node().equals(candidate.node())) {
                    return false;
                }
                if (previous == null) {
                    previous = o;
                }
            }
            if (previous == null || !infector.equals(previous.node())) {
                return false;
            }
            long hop = candidate.timestamp() - previous.timestamp();
            return hop >= 0 && hop <= hopWindowMillis;
        }
    }

    /** Turns a match into the chain, in infection order. */
    static final class ToChain extends PatternProcessFunction<Onset, InfectionChain> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processMatch(Map<String, List<Onset>> match, Context ctx, Collector<InfectionChain> out) {
            List<Onset> chain = new ArrayList<>(match.get(FIRST));
            chain.addAll(match.get(SPREAD));
            out.collect(new InfectionChain(chain));
        }
    }
}
