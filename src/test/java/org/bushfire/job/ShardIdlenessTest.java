package org.bushfire.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.clock.ManualClock;
import org.apache.flink.util.clock.RelativeClock;
import org.bushfire.domain.Reading;
import org.bushfire.domain.SensorRecord;
import org.junit.jupiter.api.Test;

/**
 * A shard's silence counts only once the rest of the stream has moved on without it. Driven the way Flink's
 * source operator drives it: one generator for the reader's main output, then one per split, each with the
 * same clock here, a periodic emit every 200 ms.
 */
class ShardIdlenessTest {
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final long TICK_MILLIS = 200;

    final ManualClock clock = new ManualClock(1_000_000_000L);
    final WatermarkGeneratorSupplier<SensorRecord> supplier =
            ShardIdleness.around(context -> new ReadingWatermarks(30_000), TIMEOUT, Duration.ofSeconds(30));

    @Test
    void aQuietSpellOfTheWholeStreamIdlesNoShard() {
        Split main = split();
        Split a = split();
        Split b = split();
        a.event(1_000);
        b.event(1_000);

        tick(Duration.ofMinutes(5), main, a, b);

        assertThat(a.output.idle).isFalse();
        assertThat(b.output.idle).isFalse();
    }

    @Test
    void aSilentShardWithinBOfTheFrontIsNeverIdled() {
        split();
        Split a = split();
        Split b = split();
        a.event(100_000);
        b.event(80_000);
        tick(Duration.ofSeconds(10), a, b);
        a.event(105_000); // the front moves on, b is still within B of it

        tick(Duration.ofMinutes(5), a, b);

        assertThat(b.output.idle).isFalse();
    }

    @Test
    void aShardGoesIdleOneTimeoutAfterAnotherShardMovedOnWithoutIt() {
        split(); // the reader's main output
        Split a = split();
        Split b = split();
        a.event(1_000);
        b.event(1_000);
        tick(Duration.ofSeconds(30), a, b); // quiet

        a.event(90_000); // the burst reaches shard a first
        tick(TIMEOUT.minusMillis(2 * TICK_MILLIS), a, b);
        assertThat(b.output.idle).as("within the timeout of the first record of the burst").isFalse();

        tick(Duration.ofMillis(3 * TICK_MILLIS), a, b);
        assertThat(b.output.idle).isTrue();
        assertThat(a.output.idle).as("the shard that moved on never waits for itself").isFalse();
        tick(Duration.ofMinutes(5), a, b);
        assertThat(a.output.idle).isFalse();
    }

    @Test
    void aShardTheReaderReachesWithinTheTimeoutIsReadOnTime() {
        split();
        Split a = split();
        Split b = split();
        tick(Duration.ofSeconds(30), a, b);
        assertThat(a.output.idle || b.output.idle).as("nothing read yet: no shard is idle").isFalse();
        a.event(90_000);
        tick(Duration.ofMillis(1_000), a, b);
        b.event(60_000);

        assertThat(b.output.idle).isFalse();
        assertThat(b.output.watermarks).containsExactly(60_000L - 30_000 - 1);
    }

    @Test
    void anIdleShardThatDeliversAgainIsActive() {
        split();
        Split a = split();
        Split b = split();
        a.event(1_000);
        tick(TIMEOUT.plusSeconds(1), a, b);
        assertThat(b.output.idle).isTrue();

        b.event(5_000);

        assertThat(b.output.idle).isFalse();
        assertThat(b.output.activations).isEqualTo(1);
    }

    @Test
    void aSplitAloneInItsReaderFollowsFlinksRuleOfItsOwnSilence() {
        Split main = split();
        Split only = split();
        only.event(1_000);
        tick(TIMEOUT, main, only); // as Flink's timer: the first tick sees the record, the next one starts the clock
        assertThat(only.output.idle).isFalse();

        tick(Duration.ofMillis(3 * TICK_MILLIS), main, only);

        assertThat(only.output.idle).isTrue();
    }

    @Test
    void aDeadLetterNeitherMovesTheStreamOnNorKeepsItsShardActive() {
        split();
        Split readings = split();
        Split garbage = split();
        readings.event(1_000);
        garbage.deadLetter();
        tick(TIMEOUT.plusSeconds(1), readings, garbage);

        assertThat(readings.output.idle).as("only a dead letter came after its last reading").isFalse();
        assertThat(garbage.output.idle).isTrue();
    }

    @Test
    void aShardAssignedAfterTheStreamWentQuietWaitsForTheStreamToMoveOn() {
        split();
        Split parent = split();
        parent.event(1_000);
        Split child = split(); // a child shard after a reshard, nothing written to it yet
        Split sibling = split();
        tick(Duration.ofMinutes(1), parent, child, sibling);
        assertThat(child.output.idle || sibling.output.idle).as("nothing moved on without them").isFalse();

        sibling.event(90_000);
        tick(TIMEOUT.plusSeconds(1), parent, child, sibling);

        assertThat(child.output.idle).isTrue();
        assertThat(sibling.output.idle).isFalse();
    }

    private Split split() {
        return new Split(supplier.createWatermarkGenerator(new WatermarkGeneratorSupplier.Context() {
            @Override
            public MetricGroup getMetricGroup() {
                return new UnregisteredMetricsGroup();
            }

            @Override
            public RelativeClock getInputActivityClock() {
                return clock;
            }
        }));
    }

    private void tick(Duration period, Split... splits) {
        for (long t = 0; t < period.toMillis(); t += TICK_MILLIS) {
            clock.advanceTime(Duration.ofMillis(TICK_MILLIS));
            for (Split s : splits) {
                s.generator.onPeriodicEmit(s.output);
            }
        }
    }

    static final class Split {
        final WatermarkGenerator<SensorRecord> generator;
        final Recorded output = new Recorded();

        Split(WatermarkGenerator<SensorRecord> generator) {
            this.generator = generator;
        }

        void deadLetter() {
            generator.onEvent(SensorRecord.of(new org.bushfire.domain.DeadLetter()), Long.MIN_VALUE, output);
        }

        void event(long timestamp) {
            Reading r = new Reading("ridge", "1", timestamp, 25.0, null);
            generator.onEvent(SensorRecord.of(r), timestamp, output);
        }
    }

    static final class Recorded implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();
        boolean idle;
        int activations;

        @Override
        public void emitWatermark(Watermark watermark) {
            watermarks.add(watermark.getTimestamp());
            idle = false;
        }

        @Override
        public void markIdle() {
            idle = true;
        }

        @Override
        public void markActive() {
            idle = false;
            activations++;
        }
    }
}
