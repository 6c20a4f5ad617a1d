package org.bushfire.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bushfire.testing.Scenario.minutes;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.source.RichParallelSourceFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.bushfire.domain.ContractJson;
import org.bushfire.domain.Reading;
import org.bushfire.domain.ReadingDecoder;
import org.bushfire.domain.SensorRecord;
import org.bushfire.file.JsonLinesFileSink;
import org.bushfire.testing.Replay;
import org.bushfire.testing.Scenario;
import org.bushfire.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Source idleness must not decide alerts. Every source subtask goes idle before the first reading (as the
 * Kinesis source does while it discovers shards); then one subtask delivers a fire while the other stays
 * silent, falls quiet long enough to go idle again, and delivers a second fire. Each return from idleness
 * used to let the watermark after the onset shuffle run ahead of onsets still on their way, and the chain
 * they belonged to was lost.
 */
class SourceIdlenessIntegrationTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestCluster.twoSlots();

    static final Duration IDLE_TIMEOUT = Duration.ofMillis(500);
    /** Well past the idle timeout: every source subtask, and so every task downstream, has been marked idle. */
    static final Duration SILENCE = Duration.ofMillis(2000);

    @TempDir
    Path dir;

    @Test
    void fireAfterEverySourceWentIdleStillRaisesItsAlert() throws Exception {
        List<String> first = new ArrayList<>(
                Files.readAllLines(Path.of("examples", "reference-11-nodes.jsonl"), StandardCharsets.UTF_8));
        Scenario quietAfterFirst = Scenario.create();
        for (int node = 1; node <= 11; node++) {
            quietAfterFirst.cold(node, minutes(5)).cold(node, minutes(6)); // moves the watermark past the fire
        }
        first.addAll(quietAfterFirst.inEventTimeOrder().lines());
        List<String> second = Scenario.create()
                .chain("ridge-7", minutes(10), minutes(1), 1, 2, 3, 4, 5)
                .reading("ridge-7", 1, minutes(16), Scenario.COLD, null)
                .reading("ridge-7", 1, minutes(17), Scenario.COLD, null)
                .lines();
        // The race is between the two onset subtasks: each fire must have onsets on both.
        assertThat(onsetSubtasks("default", 1, 2, 3, 4, 5)).hasSize(2);
        assertThat(onsetSubtasks("ridge-7", 1, 2, 3, 4, 5)).hasSize(2);

        Path alerts = dir.resolve("alerts.jsonl");
        Path late = dir.resolve("late.jsonl");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        new AlertingJob(AlertingConfig.defaults().withIdleTimeout(IDLE_TIMEOUT),
                new BurstsAfterSilence(SILENCE, first, second),
                AlertingSinks.alertsTo(StreamSink.of(new JsonLinesFileSink<>(alerts, ContractJson::alert, true), "alerts", 1))
                        .lateReadingsTo(StreamSink.of(new JsonLinesFileSink<Reading>(late,
                                r -> ContractJson.reading(r, ContractJson.TimeFormat.EPOCH_MILLIS), true), "late", 1)))
                .build(env);
        JobClient job = env.executeAsync("source idleness");
        try {
            waitForLines(alerts, 2, SILENCE.multipliedBy(2).plusSeconds(4));
            Thread.sleep(300); // nothing more should come
        } finally {
            job.cancel().get();
        }

        List<JsonNode> alerted = Replay.read(alerts);
        assertThat(alerted).hasSize(2);
        assertThat(Replay.chainOf(alerted.get(0))).containsExactly("1", "2", "3", "4", "5");
        assertThat(Replay.chainOf(alerted.get(1))).containsExactly("1", "2", "3", "4", "5");
        assertThat(alerted.get(1).get("network").asText()).isEqualTo("ridge-7");
        assertThat(Files.exists(late) ? Replay.read(late) : List.of()).isEmpty();
    }

    /** The onset subtasks (at parallelism 2) that the given nodes of a network are keyed to. */
    private static Set<Integer> onsetSubtasks(String network, int... nodes) {
        Set<Integer> subtasks = new HashSet<>();
        for (int node : nodes) {
            Reading r = new Reading();
            r.network = network;
            r.node = String.valueOf(node);
            subtasks.add(KeyGroupRangeAssignment.assignKeyToParallelOperator(new Keys.ByNode().getKey(r),
                    KeyGroupRangeAssignment.DEFAULT_LOWER_BOUND_MAX_PARALLELISM, 2));
        }
        return subtasks;
    }

    private static void waitForLines(Path file, int lines, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int found = 0;
        while (System.nanoTime() < deadline) {
            found = Files.exists(file) ? Replay.read(file).size() : 0;
            if (found >= lines) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("expected " + lines + " line(s) in " + file + " within " + timeout + ", found "
                + found + (Files.exists(file) ? ": " + Files.readAllLines(file, StandardCharsets.UTF_8) : ""));
    }

    /**
     * Shaped like the Kinesis source: unbounded, no watermarks of its own, timestamps and watermarks assigned
     * per subtask right after it. Subtask 0 never emits; subtask 1 (the last) stays silent, delivers a burst,
     * stays silent again, delivers the next burst, and then stays open.
     */
    static final class BurstsAfterSilence implements ReadingsSource {
        private final Duration silence;
        private final List<List<String>> bursts;

        @SafeVarargs
        BurstsAfterSilence(Duration silence, List<String>... bursts) {
            this.silence = silence;
            this.bursts = List.of(bursts);
        }

        @Override
        public DataStream<SensorRecord> open(
                StreamExecutionEnvironment env, ReadingDecoder decoder, WatermarkStrategy<SensorRecord> watermarks) {
            ArrayList<ArrayList<String>> copy = new ArrayList<>();
            bursts.forEach(b -> copy.add(new ArrayList<>(b)));
            return env.addSource(new Bursts(copy, silence.toMillis(), decoder), "bursts", Types.POJO(SensorRecord.class))
                    .uid("bursts")
                    .assignTimestampsAndWatermarks(watermarks).name("readings watermarks").uid("bursts-watermarks");
        }
    }

    @SuppressWarnings("deprecation") // a SourceFunction keeps this test source a few lines long
    static final class Bursts extends RichParallelSourceFunction<SensorRecord> {
        private static final long serialVersionUID = 1L;
        private final ArrayList<ArrayList<String>> bursts;
        private final long silenceMillis;
        private final ReadingDecoder decoder;
        private volatile boolean running = true;

        Bursts(ArrayList<ArrayList<String>> bursts, long silenceMillis, ReadingDecoder decoder) {
            this.bursts = bursts;
            this.silenceMillis = silenceMillis;
            this.decoder = decoder;
        }

        @Override
        public void run(SourceContext<SensorRecord> ctx) throws Exception {
            TaskInfo task = getRuntimeContext().getTaskInfo();
            if (task.getIndexOfThisSubtask() == task.getNumberOfParallelSubtasks() - 1) {
                int line = 0;
                for (List<String> burst : bursts) {
                    Thread.sleep(silenceMillis);
                    synchronized (ctx.getCheckpointLock()) {
                        for (String raw : burst) {
                            ctx.collect(decoder.decode(raw.getBytes(StandardCharsets.UTF_8), "line " + ++line));
                        }
                    }
                }
            }
            while (running) {
                Thread.sleep(50);
            }
        }

        @Override
        public void cancel() {
            running = false;
        }
    }
}
