package org.bushfire.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bushfire.testing.Scenario.minutes;

import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.bushfire.domain.ContractJson;
import org.bushfire.file.JsonLinesFileSink;
import org.bushfire.file.JsonLinesReadingsSource;
import org.bushfire.testing.Replay;
import org.bushfire.testing.Scenario;
import org.bushfire.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The job's counters, read back as the accumulators registered beside each metric. */
class AlertingJobMetricsIntegrationTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestCluster.twoSlots();

    @TempDir
    Path dir;

    @Test
    void countsReadingsMalformedLateOnsetsAndAlerts() throws Exception {
        Path readings = Scenario.create()
                .chain("default", minutes(1), minutes(1), 1, 2, 3, 4, 5)   // 5 hot readings, 5 onsets
                .line("garbage")
                .cold(9, minutes(9))
                .hot(7, minutes(2), 1)                                       // late: 7 minutes behind
                .line("{\"node\":1}")
                .write(dir.resolve("readings.jsonl"));
        Path alerts = dir.resolve("alerts.jsonl");
        Path raw = dir.resolve("raw.jsonl");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        new AlertingJob(AlertingConfig.defaults(), new JsonLinesReadingsSource(readings),
                AlertingSinks.alertsTo(StreamSink.of(new JsonLinesFileSink<>(alerts, ContractJson::alert, true), "alerts", 1))
                        .rawReadingsTo(StreamSink.of(new JsonLinesFileSink<>(raw,
                                r -> ContractJson.reading(r, ContractJson.TimeFormat.EPOCH_MILLIS), false), "raw", 1)))
                .build(env);
        JobExecutionResult result = env.execute("metrics");

        Map<String, Object> totals = result.getAllAccumulatorResults();
        assertThat(totals).containsEntry(JobMetrics.READINGS, 7L)
                .containsEntry(JobMetrics.MALFORMED, 2L)
                .containsEntry(JobMetrics.LATE, 1L)
                .containsEntry(JobMetrics.ONSETS, 5L)
                .containsEntry(JobMetrics.ALERTS, 1L);
        assertThat(Replay.read(alerts)).hasSize(1);
        assertThat(Replay.read(raw)).as("raw readings include the late one").hasSize(7);
    }

    @Test
    void onsetsOfAFireAfterItsChainCompletedAreCountedAndNotSentToThePattern() throws Exception {
        // A path of nine sensors a minute apart: the chain 1..5 completes at minute 5; sensors 6..9 heat later.
        Path readings = Scenario.create()
                .chain("default", minutes(1), minutes(1), 1, 2, 3, 4, 5, 6, 7, 8, 9)
                .cold(10, minutes(20))
                .write(dir.resolve("readings.jsonl"));
        Path alerts = dir.resolve("alerts.jsonl");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        new AlertingJob(AlertingConfig.defaults(), new JsonLinesReadingsSource(readings),
                AlertingSinks.alertsTo(StreamSink.of(new JsonLinesFileSink<>(alerts, ContractJson::alert, true), "alerts", 1)))
                .build(env);
        Map<String, Object> totals = env.execute("held back").getAllAccumulatorResults();

        assertThat(totals).containsEntry(JobMetrics.ONSETS, 9L)
                .containsEntry(JobMetrics.ONSETS_AFTER_CHAIN, 4L)
                .as("only the first chain is found: 2..6, 3..7, 4..8 and 5..9 would need the held-back onsets")
                .containsEntry(JobMetrics.CHAINS, 1L)
                .containsEntry(JobMetrics.ALERTS, 1L);
        assertThat(Replay.chainOf(Replay.read(alerts).get(0))).containsExactly("1", "2", "3", "4", "5");
    }
}
