package org.bushfire.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bushfire.domain.Reading;
import org.bushfire.testing.LocalAws;
import org.bushfire.testing.LocalServices;
import org.bushfire.testing.LocalServices.Service;
import org.bushfire.testing.ThrowawayCredentials;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * {@code simulate --sink kinesis} into kinesis-local: every record arrives exactly once, each sensor's readings in
 * the order they were sent — also when PutRecords refuses entries and throttles whole requests.
 */
class KinesisSinkIntegrationTest {
    @RegisterExtension
    static final LocalServices SERVICES = LocalServices.of(Service.KINESIS);

    static final String[] GENERATED = {"--scenario", "generated", "--start", "2024-11-21T00:00:00Z", "--duration", "30m",
        "--sensors", "160", "--networks", "2", "--fires", "2", "--seed", "9", "--jitter", "0.05", "--duplicate", "0.02",
        "--malformed", "0.01", "--speed", "max"};

    static KinesisClient kinesis;

    @TempDir
    Path dir;

    @RegisterExtension
    static final ThrowawayCredentials CREDENTIALS = new ThrowawayCredentials();

    @BeforeAll
    static void client() {
        kinesis = LocalAws.kinesisClient(Service.KINESIS.endpoint());
    }

    @AfterAll
    static void close() {
        kinesis.close();
    }

    @Test
    void everyRecordArrivesOnceWithEachSensorsReadingsInOrder() throws Exception {
        String stream = "simulated-" + UUID.randomUUID();
        LocalAws.createStream(kinesis, stream, 2);
        SimulatedRun file = SimulatedRun.run(dir, GENERATED);

        JsonNode summary = simulate(Service.KINESIS.endpoint(), stream, GENERATED);

        Map<String, List<Record>> shards = readAll(stream);
        assertThat(shards).hasSize(2);
        List<String> arrived = new ArrayList<>();
        shards.values().forEach(records -> records.forEach(r -> arrived.add(r.data().asUtf8String())));
        assertThat(arrived).containsExactlyInAnyOrderElementsOf(file.lines);
        assertThat(summary.get("readingsSent").asLong()).isEqualTo(file.lines.size());
        assertInOrderPerSensor(shards, file.lines);
        shards.values().forEach(records -> assertThat(records).as("both shards carry readings").isNotEmpty());
        System.out.printf("kinesis-local: %d readings in %.1f s, %d/s, %d PutRecords requests%n",
                summary.get("readingsSent").asLong(), summary.get("wallSeconds").asDouble(),
                summary.get("readingsPerSecond").asLong(), summary.get("putRecordsRequests").asLong());
    }

    @Test
    void refusedEntriesAndAThrottledRequestAreResentUntilEveryRecordIsIn() throws Exception {
        String stream = "flaky-" + UUID.randomUUID();
        LocalAws.createStream(kinesis, stream, 1);
        String[] reference = {"--start", "2024-11-21T00:00:00Z", "--rounds", "8", "--speed", "max"};
        SimulatedRun file = SimulatedRun.run(dir, reference);
        String cbor = System.getProperty("aws.cborEnabled");
        System.setProperty("aws.cborEnabled", "false");
        try (FlakyKinesisProxy proxy = FlakyKinesisProxy.start(Service.KINESIS.endpoint())) {
            JsonNode summary = simulate(proxy.endpoint(), stream, reference);

            assertThat(proxy.entriesRefused.get()).as("entries refused by the proxy").isEqualTo(4 + 1);
            assertThat(proxy.requestsThrottled.get()).isEqualTo(1);
            assertThat(summary.get("recordsResent").asInt()).isEqualTo(5);
            // 8 rounds of 11 sensors, one request each; one resend after each refusal, one SDK retry of the throttle
            assertThat(proxy.putRecordsCalls.get()).isEqualTo(8 + 2 + 1);
            assertThat(summary.get("putRecordsRequests").asInt()).isEqualTo(8 + 2);
        } finally {
            if (cbor == null) {
                System.clearProperty("aws.cborEnabled");
            } else {
                System.setProperty("aws.cborEnabled", cbor);
            }
        }
        Map<String, List<Record>> shards = readAll(stream);
        List<String> arrived = new ArrayList<>();
        shards.values().forEach(records -> records.forEach(r -> arrived.add(r.data().asUtf8String())));
        assertThat(arrived).as("each exactly once").containsExactlyInAnyOrderElementsOf(file.lines).hasSize(88);
        assertInOrderPerSensor(shards, file.lines);
    }

    @Test
    void aStreamStillBeingCreatedIsWaitedFor() {
        String stream = "new-" + UUID.randomUUID();
        kinesis.createStream(b -> b.streamName(stream).shardCount(1));
        JsonNode summary = simulate(Service.KINESIS.endpoint(), stream, "--start", "2024-11-21T00:00:00Z", "--speed", "max");
        assertThat(summary.get("readingsSent").asInt()).isEqualTo(55);
    }

    @Test
    void aMissingStreamFailsFastNamingTheOption() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = SimulatorCli.execute(System.out, new PrintStream(err, true, StandardCharsets.UTF_8),
                "--sink", "kinesis", "--stream", "no-such-" + UUID.randomUUID(), "--region", LocalAws.REGION,
                "--endpoint", Service.KINESIS.endpoint().toString());
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("does not exist").contains("--stream");
    }

    private static JsonNode simulate(URI endpoint, String stream, String... args) {
        List<String> all = new ArrayList<>(List.of("--sink", "kinesis", "--stream", stream, "--region", LocalAws.REGION,
                "--endpoint", endpoint.toString()));
        all.addAll(List.of(args));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = SimulatorCli.execute(System.out, new PrintStream(err, true, StandardCharsets.UTF_8),
                all.toArray(new String[0]));
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as("exit; stderr:%n%s", stderr).isZero();
        String done = stderr.lines().filter(l -> l.startsWith("simulate: done ")).findFirst().orElseThrow();
        try {
            return SimulatedRun.JSON.readTree(done.substring("simulate: done ".length()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every record of the stream, per shard, in shard order. */
    private static Map<String, List<Record>> readAll(String stream) throws InterruptedException {
        Map<String, List<Record>> shards = new LinkedHashMap<>();
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            List<Record> records = new ArrayList<>();
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            for (int page = 0; page < 1000 && iterator != null; page++) {
                String current = iterator;
                GetRecordsResponse response = kinesis.getRecords(b -> b.shardIterator(current).limit(10_000));
                records.addAll(response.records());
                if (response.records().isEmpty() && Long.valueOf(0).equals(response.millisBehindLatest())) {
                    break;
                }
                iterator = response.nextShardIterator();
            }
            shards.put(shard.shardId(), records);
        }
        return shards;
    }

    /** Each sensor's readings sit in one shard, in the order the file (sent order) has them. */
    private static void assertInOrderPerSensor(Map<String, List<Record>> shards, List<String> sentOrder) {
        Map<String, List<String>> sentBySensor = new LinkedHashMap<>();
        for (String line : sentOrder) {
            Reading r = SimulatedRun.parse(line);
            if (r != null) {
                sentBySensor.computeIfAbsent(PartitionKeys.of(r.network, r.node), k -> new ArrayList<>()).add(line);
            }
        }
        Map<String, List<String>> arrivedBySensor = new LinkedHashMap<>();
        Map<String, String> shardOf = new LinkedHashMap<>();
        shards.forEach((shard, records) -> {
            for (Record record : records) {
                String line = record.data().asUtf8String();
                if (SimulatedRun.parse(line) != null) {
                    arrivedBySensor.computeIfAbsent(record.partitionKey(), k -> new ArrayList<>()).add(line);
                    assertThat(shardOf.putIfAbsent(record.partitionKey(), shard)).isIn(null, shard);
                }
            }
        });
        assertThat(arrivedBySensor).isEqualTo(sentBySensor);
    }
}
