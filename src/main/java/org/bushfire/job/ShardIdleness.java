package org.bushfire.job;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.RelativeClock;
import org.bushfire.domain.SensorRecord;

/**
 * Idleness of one split (a Kinesis shard) judged against the rest of the stream, not against the clock alone.
 *
 * <p>Flink's {@code withIdleness} marks a split idle after it has delivered nothing for the timeout, whatever the
 * other splits did meanwhile. After a quiet spell every shard is therefore idle, and when a gateway's backlog is
 * then written to all of them at once the reader wakes them one at a time: the first one back carries the
 * watermark past everything the others are about to deliver, and their readings — on time by their own shard —
 * are late. Whether a fire alerts then depends on the order the reader happened to poll the shards.
 *
 * <p>Here a split goes idle only when it is holding the stream back and the stream has gone on without it: its
 * clock starts when the reader's <em>front</em> (the highest watermark any of its splits reached) moves while
 * this split stays silent more than B behind it, and the split goes idle if it then delivers nothing for the
 * idle timeout. So:
 * <ul>
 *   <li>a quiet spell of the whole stream idles nobody — nothing moves — and a burst after it finds every shard
 *       still holding the watermark: each shard the reader reaches within the timeout of the first record of the
 *       burst is read on time, whichever shard it polled first;</li>
 *   <li>a shard within B of the front is never idled: it holds the watermark back by no more than any reading's
 *       allowed out-of-orderness does, and idling it is what would make its next backlog late;</li>
 *   <li>a shard no partition key maps to, one whose gateway is down, or a new child shard nothing is written to,
 *       stops holding the watermark back one timeout after the others moved on; readings it delivers later are
 *       measured against the watermark the others set.</li>
 * </ul>
 *
 * <p>The judgement needs every split of the stream in one reader, which is why the Kinesis source runs as one
 * subtask. A split alone in its reader (a file, one subtask of a parallel source, an operator after a source)
 * has no others to be judged against and falls back to Flink's rule: idle after the timeout of its own
 * silence. Silence is measured on the split's input-activity clock, which stands still while the job is
 * backpressured. Only readings count: a dead letter carries no event time, so it neither moves the front nor
 * keeps its shard from going idle.
 *
 * <p>The generators of one reader share a {@link StreamActivity}; the supplier creates it on first use, so each
 * deserialized copy of the strategy — one per source subtask — has its own.
 */
final class ShardIdleness implements WatermarkGenerator<SensorRecord> {
    private final WatermarkGenerator<SensorRecord> watermarks;
    private final StreamActivity stream;
    private final RelativeClock clock;
    private final long timeoutNanos;
    private final long toleranceMillis;
    private final Tracking tracking = new Tracking();

    /** This split's own watermark, as its generator emitted it. */
    private long ownWatermark = Long.MIN_VALUE;
    /** The front when this split last looked: the clock starts only when the front moves on without it. */
    private long frontSeen;
    private boolean delivered;
    /** When this split was found holding the stream back, on its activity clock; 0 while it is not. */
    private long behindSinceNanos;
    private boolean idle;

    private ShardIdleness(WatermarkGenerator<SensorRecord> watermarks, StreamActivity stream, RelativeClock clock,
            Duration timeout, Duration tolerance) {
        this.watermarks = watermarks;
        this.stream = stream;
        this.clock = clock;
        this.timeoutNanos = timeout.toNanos();
        this.toleranceMillis = tolerance.toMillis();
        this.frontSeen = stream.front;
    }

    /**
     * Wraps each split's generator. {@code tolerance} is how far behind the front a silent split may be without
     * being a candidate for idleness: the out-of-orderness bound B.
     */
    static WatermarkGeneratorSupplier<SensorRecord> around(
            WatermarkGeneratorSupplier<SensorRecord> watermarks, Duration timeout, Duration tolerance) {
        return new Supplier(watermarks, timeout, tolerance);
    }

    @Override
    public void onEvent(SensorRecord event, long eventTimestamp, WatermarkOutput output) {
        if (!event.isReading()) {
            return; // a dead letter has no event time: it neither moves the front nor keeps its shard active
        }
        delivered = true;
        behindSinceNanos = 0L;
        if (idle) {
            idle = false;
            output.markActive();
        }
        watermarks.onEvent(event, eventTimestamp, tracking.to(output));
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (idle) {
            return;
        }
        long front = stream.front;
        boolean frontMoved = front != frontSeen;
        frontSeen = front;
        if (delivered) {
            delivered = false;
            behindSinceNanos = 0L;
        } else if (behindSinceNanos == 0L) {
            boolean alone = stream.generators <= 2;
            if (alone || (frontMoved && holdsBack(front))) {
                behindSinceNanos = Math.max(1L, clock.relativeTimeNanos());
            }
        } else if (clock.relativeTimeNanos() - behindSinceNanos >= timeoutNanos) {
            idle = true;
            output.markIdle();
            return;
        }
        watermarks.onPeriodicEmit(tracking.to(output));
    }

    private boolean holdsBack(long front) {
        return ownWatermark == Long.MIN_VALUE || front - ownWatermark > toleranceMillis;
    }

    /** Passes watermarks on, keeping this split's own and the reader's front up to date. */
    private final class Tracking implements WatermarkOutput {
        private WatermarkOutput target;

        Tracking to(WatermarkOutput output) {
            target = output;
            return this;
        }

        @Override
        public void emitWatermark(Watermark watermark) {
            ownWatermark = Math.max(ownWatermark, watermark.getTimestamp());
            stream.front = Math.max(stream.front, ownWatermark);
            target.emitWatermark(watermark);
        }

        @Override
        public void markIdle() {
            target.markIdle();
        }

        @Override
        public void markActive() {
            target.markActive();
        }
    }

    /**
     * What the splits of one reader know of each other: the highest watermark any of them reached, and how many
     * generators were made. A FLIP-27 reader makes one generator for its main output (which our readers never
     * emit through) and one per split; an operator after a source makes one. Two or fewer: there are no others
     * to judge by.
     */
    static final class StreamActivity {
        long front = Long.MIN_VALUE;
        int generators;
    }

    private static final class Supplier implements WatermarkGeneratorSupplier<SensorRecord> {
        private static final long serialVersionUID = 1L;
        private final WatermarkGeneratorSupplier<SensorRecord> watermarks;
        private final Duration timeout;
        private final Duration tolerance;
        private transient StreamActivity stream;

        Supplier(WatermarkGeneratorSupplier<SensorRecord> watermarks, Duration timeout, Duration tolerance) {
            this.watermarks = watermarks;
            this.timeout = timeout;
            this.tolerance = tolerance;
        }

        @Override
        public WatermarkGenerator<SensorRecord> createWatermarkGenerator(Context context) {
            if (stream == null) {
                stream = new StreamActivity();
            }
            stream.generators++;
            return new ShardIdleness(watermarks.createWatermarkGenerator(context), stream,
                    context.getInputActivityClock(), timeout, tolerance);
        }
    }
}
