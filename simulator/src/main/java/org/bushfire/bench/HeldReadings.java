package org.bushfire.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.source.RichParallelSourceFunction;
import org.bushfire.domain.ContractJson;
import org.bushfire.domain.Reading;
import org.bushfire.domain.ReadingDecoder;
import org.bushfire.domain.SensorRecord;
import org.bushfire.job.ReadingsSource;

/**
 * A benchmark workload as a source that stays open after its readings, so that a checkpoint can hold the state
 * the job keeps for them. A bounded source ({@link InMemoryReadings}) finishes, and its final watermark fires every
 * timer — the state retention's included — so whatever is checkpointed after it holds nothing.
 *
 * <p>Subtask {@code i} sends block {@code i} of the workload (each block is in event-time order, like a shard), then
 * waits. The event time moves only on the driver's word ({@link Feed#advanceTo}): each subtask then sends one cold
 * reading of a clock sensor of its own (network {@value #CLOCK_NETWORK}), stamped B + 1 ms after the time the
 * watermark is to reach, and waits again. The clock sensors are cold like every idle sensor, and the same in every
 * run, so they cancel out of every difference the state-size figures take.
 *
 * <p>A legacy {@code SourceFunction}, deprecated in Flink 1.20: it is the one source API in which a source can wait
 * for a word from the same JVM without a split enumerator, a split type and their serializers written for it. It
 * is never part of the job, only of this measurement; the job's own sources are FLIP-27 sources.
 */
final class HeldReadings implements ReadingsSource {
    static final String CLOCK_NETWORK = "clock";

    /** The feed of the running measurement; the MiniCluster runs in this JVM, so sources read it directly. */
    static volatile Feed current;

    /** What the sources send: a workload's blocks (none: an empty job), then a clock reading per step. */
    static final class Feed {
        final BenchWorkload workload;
        final long outOfOrdernessMillis;
        final double coldTemperature;
        final List<Long> clock = new CopyOnWriteArrayList<>();

        Feed(BenchWorkload workload, long outOfOrdernessMillis, double threshold) {
            this.workload = workload;
            this.outOfOrdernessMillis = outOfOrdernessMillis;
            this.coldTemperature = threshold - 30;
        }

        /** Every source subtask sends a reading that carries its watermark to {@code watermark}. */
        void advanceTo(long watermark) {
            clock.add(watermark + outOfOrdernessMillis + 1);
        }

        List<byte[]> block(int subtask) {
            return workload == null ? List.of() : workload.block(subtask);
        }

        byte[] clockReading(int subtask, long eventTimestamp) {
            Reading r = new Reading(CLOCK_NETWORK, "subtask-" + subtask, eventTimestamp, coldTemperature, null);
            return ContractJson.reading(r, ContractJson.TimeFormat.EPOCH_MILLIS).getBytes(StandardCharsets.UTF_8);
        }
    }

    @Override
    @SuppressWarnings("deprecation") // the legacy source API, on purpose: see the class comment
    public DataStream<SensorRecord> open(
            StreamExecutionEnvironment env, ReadingDecoder decoder, WatermarkStrategy<SensorRecord> watermarks) {
        return env.addSource(new Send(decoder), "held readings", Types.POJO(SensorRecord.class)).uid("held-readings")
                .assignTimestampsAndWatermarks(watermarks).name("held readings watermarks").uid("held-readings-watermarks");
    }

    @SuppressWarnings("deprecation")
    static final class Send extends RichParallelSourceFunction<SensorRecord> {
        private static final long serialVersionUID = 1L;
        private final ReadingDecoder decoder;
        private volatile boolean running = true;

        Send(ReadingDecoder decoder) {
            this.decoder = decoder;
        }

        @Override
        public void run(SourceContext<SensorRecord> ctx) throws Exception {
            Feed feed = current;
            int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
            for (byte[] reading : feed.block(subtask)) {
                if (!running) {
                    return;
                }
                SensorRecord record = decoder.decode(reading, null);
                synchronized (ctx.getCheckpointLock()) {
                    ctx.collect(record);
                }
            }
            int sent = 0;
            while (running) {
                if (sent < feed.clock.size()) {
                    SensorRecord tick = decoder.decode(feed.clockReading(subtask, feed.clock.get(sent++)), null);
                    synchronized (ctx.getCheckpointLock()) {
                        ctx.collect(tick);
                    }
                } else {
                    Thread.sleep(20);
                }
            }
        }

        @Override
        public void cancel() {
            running = false;
        }
    }
}
