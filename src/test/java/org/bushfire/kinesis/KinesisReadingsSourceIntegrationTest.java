package org.bushfire.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.bushfire.domain.ContractJson;
import org.bushfire.domain.ReadingDecoder;
import org.bushfire.file.JsonLinesFileSink;
import org.bushfire.job.AlertingConfig;
import org.bushfire.job.AlertingJob;
import org.bushfire.job.AlertingSinks;
import org.bushfire.job.ReadingWatermarks;
import org.bushfire.job.StreamSink;
import org.bushfire.testing.LocalAws;
import org.bushfire.testing.LocalServices;
import org.bushfire.testing.Replay;
import org.bushfire.testing.Scenario;
import org.bushfire.testing.ThrowawayCredentials;
import org.bushfire.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** Readings put into kinesis-local with the AWS SDK reach the real job graph through the FLIP-27 source. */
class KinesisReadingsSourceIntegrationTest {
    @RegisterExtension
    static final LocalServices SERVICES = LocalServices.of(LocalServices.Service.KINESIS);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestCluster.twoSlots();

    @TempDir
    Path dir;

    @RegisterExtension
    static final ThrowawayCredentials CREDENTIALS = new ThrowawayCredentials();

    @Test
    void theReferenceFireArrivesThroughKinesisAndAMalformedRecordIsDeadLettered() throws Exception {
        // Two shards, and the stand-in routes this scenario's readings to one of them and the malformed record
        // (partition key "malformed") to the other: that shard, with no reading at all, must stop holding the
        // watermark back once the other has moved on, or no alert could ever leave — and the dead letter must
        // not count as its shard moving on (ShardIdleness). The idle timeout is below the connector's ~10 s
        // shard discovery on purpose: the source's main output goes idle before the first record.
        AlertingConfig config = AlertingConfig.defaults().withIdleTimeout(Duration.ofSeconds(2));
        String stream = "readings-" + UUID.randomUUID();
        List<String> lines = new ArrayList<>(Files.readAllLines(
                Path.of("examples", "reference-11-nodes.jsonl"), StandardCharsets.UTF_8));
        lines.add(20, "{\"node\": 3, \"temperature\": 99}");
        // Sensors keep reporting after the fire: two more quiet minutes move every shard's watermark on.
        Scenario after = Scenario.create();
        for (int node = 1; node <= 11; node++) {
            after.cold(node, Duration.ofMinutes(5)).cold(node, Duration.ofMinutes(6));
        }
        lines.addAll(after.inEventTimeOrder().lines());

        try (KinesisClient kinesis = LocalAws.kinesisClient(LocalServices.Service.KINESIS.endpoint())) {
            LocalAws.createStream(kinesis, stream, 2);
            LocalAws.put(kinesis, stream, lines);
        }

        Path alerts = dir.resolve("alerts.jsonl");
        Path deadLetters = dir.resolve("dead-letters.jsonl");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        new AlertingJob(config, new KinesisReadingsSource(LocalAws.kinesis(stream)),
                AlertingSinks.alertsTo(StreamSink.of(new JsonLinesFileSink<>(alerts, ContractJson::alert, true), "alerts", 1))
                        .deadLettersTo(StreamSink.of(
                                new JsonLinesFileSink<>(deadLetters, ContractJson::deadLetter, true), "dead letters", 1)))
                .build(env);
        JobClient job = env.executeAsync("kinesis integration");
        try {
            waitForLines(alerts, 1, Duration.ofSeconds(90));
            waitForLines(deadLetters, 1, Duration.ofSeconds(10));
            Thread.sleep(1000); // nothing more should come
        } finally {
            job.cancel().get();
        }

        List<JsonNode> alerted = Replay.read(alerts);
        assertThat(alerted).hasSize(1);
        assertThat(Replay.chainOf(alerted.get(0))).containsExactly("1", "2", "3", "4", "5");
        List<JsonNode> dead = Replay.read(deadLetters);
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).get("kind").asText()).isEqualTo("bad-time");
        assertThat(dead.get(0).get("origin").asText()).contains("stream/" + stream + " shardId-").contains(" seq ");
    }

    @Test
    void aMissingStreamFailsFastNamingTheOption() {
        KinesisSettings settings = LocalAws.kinesis("no-such-stream-" + UUID.randomUUID());

        assertThatThrownBy(() -> open(settings))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist")
                .hasMessageContaining("--stream");
    }

    @Test
    void anUnreachableEndpointFailsFastNamingTheOption() {
        KinesisSettings settings = LocalAws.kinesis("readings");
        settings.endpoint = URI.create("http://127.0.0.1:9");

        assertThatThrownBy(() -> open(settings))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot reach Kinesis at http://127.0.0.1:9")
                .hasMessageContaining("--kinesis-endpoint");
    }

    private static void open(KinesisSettings settings) {
        new KinesisReadingsSource(settings).open(StreamExecutionEnvironment.getExecutionEnvironment(),
                new ReadingDecoder(Duration.ofMinutes(15)), ReadingWatermarks.strategy(AlertingConfig.defaults()));
    }

    private static void waitForLines(Path file, int lines, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Replay.read(file).size() >= lines) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("expected " + lines + " line(s) in " + file + " within " + timeout);
    }
}
