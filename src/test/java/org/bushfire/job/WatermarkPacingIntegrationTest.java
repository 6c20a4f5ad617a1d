package org.bushfire.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bushfire.testing.Scenario.minutes;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.bushfire.domain.ContractJson;
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
 * A watermark held back by the pacing after the split must still go on when the stream pauses, or an alert
 * waits for the next reading — in a quiet night, minutes. The stream stays open (as Kinesis does): no end of
 * input flushes it.
 */
class WatermarkPacingIntegrationTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestCluster.twoSlots();

    @TempDir
    Path dir;

    @Test
    void anAlertWhoseWatermarkWasHeldBackLeavesWhileTheStreamPauses() throws Exception {
        AlertingConfig config = AlertingConfig.defaults();
        Duration bound = config.outOfOrderness();
        List<String> burst = Scenario.create()
                .chain("default", minutes(1), minutes(1), 1, 2, 3, 4, 5)                 // completes at 5 min
                .cold(9, minutes(5).plus(bound))                         // watermark 1 ms short of the completion
                .cold(9, minutes(5).plus(bound).plusMillis(50))    // past it, 50 ms on: less than a step, held
                .inEventTimeOrder()
                .lines();

        Path alerts = dir.resolve("alerts.jsonl");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        new AlertingJob(config, new OpenAfterBurst(burst),
                AlertingSinks.alertsTo(StreamSink.of(
                        new JsonLinesFileSink<>(alerts, ContractJson::alert, true), "alerts", 1)))
                .build(env);
        JobClient job = env.executeAsync("watermark pacing");
        List<JsonNode> alerted;
        try {
            alerted = waitForAlert(alerts, Duration.ofSeconds(30));
        } finally {
            job.cancel().get();
        }

        assertThat(alerted).hasSize(1);
        assertThat(Replay.chainOf(alerted.get(0))).containsExactly("1", "2", "3", "4", "5");
    }

    /** One source subtask, like the Kinesis polling source: sends the burst at once, then stays open and silent. */
    static final class OpenAfterBurst implements ReadingsSource {
        private final ArrayList<String> burst;

        OpenAfterBurst(List<String> burst) {
            this.burst = new ArrayList<>(burst);
        }

        @Override
        public DataStream<SensorRecord> open(
                StreamExecutionEnvironment env, ReadingDecoder decoder, WatermarkStrategy<SensorRecord> watermarks) {
            ArrayList<ArrayList<String>> bursts = new ArrayList<>(List.of(burst));
            return env.addSource(new SourceIdlenessIntegrationTest.Bursts(bursts, 0, decoder), "burst",
                            Types.POJO(SensorRecord.class)).setParallelism(1)
                    .assignTimestampsAndWatermarks(watermarks).setParallelism(1).name("readings watermarks");
        }
    }

    private static List<JsonNode> waitForAlert(Path file, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && !Replay.read(file).isEmpty()) {
                return Replay.read(file);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no alert within " + timeout + " while the stream paused"
                + (Files.exists(file) ? ": " + Files.readAllLines(file, StandardCharsets.UTF_8) : ""));
    }
}
