package org.bushfire.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.cep.CEP;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.pattern.Pattern;
import org.apache.flink.cep.pattern.conditions.IterativeCondition;
import org.apache.flink.cep.pattern.conditions.SimpleCondition;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;
import org.bushfire.domain.Reading;
import org.bushfire.domain.ReadingDecoder;
import org.bushfire.domain.SensorRecord;

/**
 * The commonly published approach, for comparison: every reading into one non-keyed CEP pattern of five fixed
 * {@code followedBy} steps, each hot and "infected by the previous node". No onsets, no keying, no dedup.
 */
final class NaiveChain {
    /** Readings that reached the pattern, and matches; in-JVM counters, so a cancelled run still reports. */
    static final AtomicLong READINGS = new AtomicLong();
    static final AtomicLong MATCHES = new AtomicLong();

    private NaiveChain() {}

    static void build(StreamExecutionEnvironment env, ReadingDecoder decoder, WatermarkStrategy<SensorRecord> watermarks,
            double threshold) {
        DataStream<Reading> readings = env.fromSource(InMemoryReadings.source(decoder), watermarks, "bench readings")
                .setParallelism(InMemoryReadings.readers())
                .filter(r -> r.isReading())
                .map(r -> {
                    READINGS.incrementAndGet();
                    return r.reading;
                })
                .returns(Reading.class);
        Pattern<Reading, Reading> pattern = Pattern.<Reading>begin("s1").where(new Hot(threshold));
        for (int step = 2; step <= 5; step++) {
            pattern = pattern.followedBy("s" + step).where(new InfectedBy("s" + (step - 1), threshold));
        }
        CEP.pattern(readings, pattern).inEventTime()
                .process(new PatternProcessFunction<Reading, Long>() {
                    @Override
                    public void processMatch(Map<String, List<Reading>> match, Context ctx, Collector<Long> out) {
                        MATCHES.incrementAndGet();
                        out.collect(1L);
                    }
                })
                .sinkTo(new DiscardingSink<>());
    }

    static final class Hot extends SimpleCondition<Reading> {
        private final double threshold;

        Hot(double threshold) {
            this.threshold = threshold;
        }

        @Override
        public boolean filter(Reading r) {
            return r.temperature >= threshold;
        }
    }

    static final class InfectedBy extends IterativeCondition<Reading> {
        private final String previous;
        private final double threshold;

        InfectedBy(String previous, double threshold) {
            this.previous = previous;
            this.threshold = threshold;
        }

        @Override
        public boolean filter(Reading r, Context<Reading> ctx) throws Exception {
            if (r.temperature < threshold || r.infectedBy == null) {
                return false;
            }
            for (Reading p : ctx.getEventsForPattern(previous)) {
                if (r.infectedBy.equals(p.node) && r.network.equals(p.network)) {
                    return true;
                }
            }
            return false;
        }
    }
}
