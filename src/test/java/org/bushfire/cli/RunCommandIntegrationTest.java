package org.bushfire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.bushfire.domain.Alert;
import org.bushfire.domain.ReadingParser;
import org.bushfire.elasticsearch.ReadingDocuments;
import org.bushfire.testing.AlertSubscription;
import org.bushfire.testing.LocalAws;
import org.bushfire.testing.LocalServices;
import org.bushfire.testing.LocalServices.Service;
import org.bushfire.testing.Replay;
import org.bushfire.testing.Scenario;
import org.bushfire.testing.ThrowawayCredentials;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * {@code bushfire run} and {@code bushfire index} end to end on the real stand-ins: readings put into
 * kinesis-local, both jobs on one MiniCluster, the alert received from an SQS queue subscribed to a standard SNS
 * topic (no deduplication to hide a second copy), and every reading found in Elasticsearch exactly once.
 */
class RunCommandIntegrationTest {
    @RegisterExtension
    static final LocalServices SERVICES = LocalServices.of(Service.KINESIS, Service.SNS, Service.ELASTICSEARCH);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4) // the alerting and the indexing job, at parallelism 2 each
            .build());

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    /** A literal, not Alert.idOf: a change of the id formula would break FIFO dedup and ES upserts across an upgrade. */
    static final String ALERT_ID = "610fcc6d-d4bc-3129-bb8f-cafd68b0e9b7";

    static SnsClient sns;
    static SqsClient sqs;

    @TempDir
    Path dir;

    @RegisterExtension
    static final ThrowawayCredentials CREDENTIALS = new ThrowawayCredentials();

    @BeforeAll
    static void clients() {
        sns = LocalAws.snsClient(LocalAws.REGION);
        sqs = LocalAws.sqsClient(LocalAws.REGION);
    }

    @AfterAll
    static void closeClients() {
        sns.close();
        sqs.close();
    }

    @ParameterizedTest(name = "--alert-delivery {0}")
    @ValueSource(strings = {"at-least-once", "exactly-once"})
    void theReferenceFireIsDeliveredThroughSnsAndEveryReadingIsIndexedOnce(
            String delivery, @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        String name = "run-" + UUID.randomUUID();
        AlertSubscription subscription = AlertSubscription.standard(sns, sqs, name);
        String topic = subscription.topicArn;
        String queue = subscription.queueUrl;

        List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("examples", "reference-11-nodes.jsonl")));
        lines.add("{\"node\":\"garbage\"");                                   // malformed: dead-lettered
        Scenario after = Scenario.create();
        for (int node = 1; node <= 11; node++) {
            after.cold(node, Duration.ofMinutes(5)).cold(node, Duration.ofMinutes(6));
        }
        lines.addAll(after.inEventTimeOrder().lines());
        String late = "{\"node\":9,\"eventTimestamp\":" + Scenario.at(Duration.ofMinutes(2).plusSeconds(7))
                + ",\"temperature\":22.5}";
        lines.add(late);                                                     // four minutes behind: late
        try (KinesisClient kinesis = LocalAws.kinesisClient(Service.KINESIS.endpoint())) {
            LocalAws.createStream(kinesis, name, 1);
            LocalAws.put(kinesis, name, lines);
        }

        Path deadLetters = dir.resolve("dead-letters.jsonl");
        String readingsIndex = "readings-" + name;
        String alertsIndex = "alerts-" + name;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> stream = List.of("--stream", name, "--region", LocalAws.REGION,
                "--kinesis-endpoint", Service.KINESIS.endpoint().toString(), "--initial-position", "TRIM_HORIZON",
                "--idle-timeout", "20s", "--checkpoint-interval", "1s", "--parallelism", "2");
        List<String> run = new ArrayList<>(List.of("run"));
        run.addAll(stream);
        run.addAll(List.of("--sns-topic-arn", topic, "--sns-endpoint", Service.SNS.endpoint().toString(),
                "--alert-delivery", delivery, "--dead-letters-out", deadLetters.toString()));
        List<String> index = new ArrayList<>(List.of("index"));
        index.addAll(stream);
        index.addAll(List.of("--es-hosts", Service.ELASTICSEARCH.endpoint().toString(),
                "--es-readings-index", readingsIndex, "--es-alerts-index", alertsIndex));
        ByteArrayOutputStream indexErr = new ByteArrayOutputStream();
        CompletableFuture<Integer> job = CompletableFuture.supplyAsync(() -> BushfireCli.execute(
                new PrintStream(err, true, StandardCharsets.UTF_8), run.toArray(String[]::new)));
        CompletableFuture<Integer> indexJob = CompletableFuture.supplyAsync(() -> BushfireCli.execute(
                new PrintStream(indexErr, true, StandardCharsets.UTF_8), index.toArray(String[]::new)));
        try {
            Message message = receiveOne(queue, Duration.ofSeconds(120));
            JsonNode envelope = JSON.readTree(message.body());
            assertThat(envelope.get("Subject").asText()).contains("default").contains("5 sensors");
            assertThat(envelope.get("Message").asText()).contains("1 → 2 → 3 → 4 → 5");
            assertThat(envelope.at("/MessageAttributes/alertId/Value").asText()).isEqualTo(ALERT_ID);
            assertThat(envelope.at("/MessageAttributes/network/Value").asText()).isEqualTo("default");
            assertThat(envelope.at("/MessageAttributes/chainLength/Value").asText()).isEqualTo("5");

            Set<String> expectedIds = new HashSet<>();
            for (String line : lines) {
                try {
                    expectedIds.add(ReadingDocuments.id(ReadingParser.parse(line.getBytes(StandardCharsets.UTF_8))));
                } catch (Exception malformed) {
                    // the malformed line is not a document
                }
            }
            assertThat(expectedIds).hasSize(lines.size() - 1);
            List<String> indexed = waitForDocuments(readingsIndex, expectedIds.size(), Duration.ofSeconds(60));
            assertThat(indexed).as("every reading, the late one too, exactly once").hasSize(expectedIds.size());
            assertThat(new HashSet<>(indexed)).isEqualTo(expectedIds);
            assertThat(waitForDocuments(alertsIndex, 1, Duration.ofSeconds(30))).containsExactly(ALERT_ID);

            List<JsonNode> dead = Replay.read(deadLetters);
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).get("raw").asText()).isEqualTo("{\"node\":\"garbage\"");
            assertThat(job).as("the alerting job runs on").isNotDone();
            assertThat(indexJob).as("the indexing job runs on").isNotDone();
        } finally {
            cancelAllJobs(cluster);
        }
        assertThat(job.get()).as("exit code after cancellation").isNotZero();
        assertThat(indexJob.get()).as("indexing job's exit code after cancellation").isNotZero();
        assertThat(sqs.receiveMessage(r -> r.queueUrl(queue).waitTimeSeconds(1)).messages())
                .as("one alert per fire").isEmpty();
    }

    /**
     * A fire's whole incident through {@code run} with the product's defaults (N = 5, updates every 10 min,
     * all-clear after a quiet hour), in event time: ten sensors burn along a path, one a minute, then all report
     * cold, and a reading an hour and a quarter later moves the watermark on. What the defaults promise: the
     * alert when the fifth burns (5 burning), an update a minute after the tenth crossed the milestone 2N = 10
     * (10 burning; nothing burns after it, so no periodic update), the all-clear an hour after the last onset
     * (10 burnt). Each arrives once on a standard topic with its attributes; subscriptions with a filter policy on
     * {@code msgType} get only theirs; the CAP topic gets one document per message.
     */
    @Test
    void aGrowingFireSendsItsUpdateAndAllClearThroughSnsAndFilterPoliciesSelectThem(
            @InjectClusterClient ClusterClient<?> cluster) throws Exception {
        String name = "incident-" + UUID.randomUUID();
        AlertSubscription everything = AlertSubscription.standard(sns, sqs, name);
        AlertSubscription updatesOnly = AlertSubscription.another(sns, sqs, everything.topicArn, name + "-updates",
                "{\"msgType\":[\"Update\"]}");
        AlertSubscription allClearOnly = AlertSubscription.another(sns, sqs, everything.topicArn, name + "-clear",
                "{\"msgType\":[\"AllClear\"]}");
        AlertSubscription cap = AlertSubscription.standard(sns, sqs, name + "-cap");

        String network = "ridge-3";
        Scenario fire = Scenario.create();
        for (int node = 1; node <= 10; node++) {
            Duration onset = Duration.ofMinutes(node - 1);
            fire.hot(network, node, onset, node == 1 ? 1 : node - 1).hot(network, node, onset.plusSeconds(30), null);
            fire.reading(network, node, Duration.ofMinutes(20), 21.0, null);          // the fire is out
        }
        fire.reading(network, 11, Duration.ofMinutes(75), 19.0, null);              // moves the watermark on
        List<String> lines = fire.inEventTimeOrder().lines();
        try (KinesisClient kinesis = LocalAws.kinesisClient(Service.KINESIS.endpoint())) {
            LocalAws.createStream(kinesis, name, 1);
            LocalAws.put(kinesis, name, lines);
        }

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> job = CompletableFuture.supplyAsync(() -> BushfireCli.execute(
                new PrintStream(err, true, StandardCharsets.UTF_8), "run", "--stream", name, "--region", LocalAws.REGION,
                "--kinesis-endpoint", Service.KINESIS.endpoint().toString(), "--initial-position", "TRIM_HORIZON",
                "--checkpoint-interval", "1s", "--parallelism", "2",
                "--sns-topic-arn", everything.topicArn, "--sns-endpoint", Service.SNS.endpoint().toString(),
                "--cap-topic-arn", cap.topicArn, "--cap-status", "Exercise"));
        List<JsonNode> all;
        try {
            all = new ArrayList<>(receive(everything, 3, Duration.ofSeconds(120)));
            // a standard queue keeps no order: the messages are put in theirs by the sequence number they carry
            all.sort(java.util.Comparator.comparingInt(m -> m.at("/MessageAttributes/sequence/Value").asInt()));
            assertThat(job).as("the alerting job runs on; stderr:%n%s", err).isNotDone();
        } finally {
            cancelAllJobs(cluster);
        }
        assertThat(all).extracting(m -> m.at("/MessageAttributes/msgType/Value").asText())
                .as("alert, update, all-clear, each once").containsExactly("Alert", "Update", "AllClear");
        assertThat(all).extracting(m -> m.at("/MessageAttributes/burningSensors/Value").asText())
                .containsExactly("5", "10", "10");
        assertThat(all).extracting(m -> m.at("/MessageAttributes/severity/Value").asText())
                .containsExactly("Severe", "Severe", "Minor");
        assertThat(all).extracting(m -> m.at("/MessageAttributes/network/Value").asText()).containsOnly(network);
        String alertId = all.get(0).at("/MessageAttributes/alertId/Value").asText();
        assertThat(all).extracting(m -> m.at("/MessageAttributes/alertId/Value").asText()).containsOnly(alertId);
        assertThat(all).extracting(m -> m.at("/MessageAttributes/messageId/Value").asText())
                .as("the alert id and a sequence number").containsExactly(alertId + ".1", alertId + ".2", alertId + ".3");
        assertThat(all.get(1).get("Subject").asText()).startsWith("Bushfire update 2: " + network + " - 10 sensors");

        assertThat(receive(updatesOnly, 1, Duration.ofSeconds(10)))
                .extracting(m -> m.at("/MessageAttributes/messageId/Value").asText())
                .as("the filter policy {msgType: [Update]}").containsExactly(alertId + ".2");
        assertThat(receive(allClearOnly, 1, Duration.ofSeconds(10)))
                .extracting(m -> m.at("/MessageAttributes/messageId/Value").asText())
                .as("the filter policy {msgType: [AllClear]}").containsExactly(alertId + ".3");
        List<JsonNode> capDocuments = receive(cap, 3, Duration.ofSeconds(10));
        assertThat(capDocuments).extracting(m -> m.at("/MessageAttributes/contentType/Value").asText())
                .containsOnly("application/cap+xml");
        assertThat(capDocuments).extracting(m -> m.at("/MessageAttributes/messageId/Value").asText())
                .containsExactlyInAnyOrder(alertId + ".1", alertId + ".2", alertId + ".3");
        assertThat(capDocuments).allSatisfy(m -> assertThat(m.get("Message").asText())
                .contains("<status>Exercise</status>"));
    }

    @Test
    void aMissingStreamFailsFastNamingTheOption() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = BushfireCli.execute(new PrintStream(err, true, StandardCharsets.UTF_8),
                "run", "--stream", "no-such-stream-" + UUID.randomUUID(), "--region", LocalAws.REGION,
                "--kinesis-endpoint", Service.KINESIS.endpoint().toString(),
                "--sns-topic-arn", sns.createTopic(r -> r.name("t-" + UUID.randomUUID())).topicArn(),
                "--sns-endpoint", Service.SNS.endpoint().toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("does not exist").contains("--stream");
    }

    @Test
    void anUnreachableSnsEndpointFailsFastNamingTheOption() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = BushfireCli.execute(new PrintStream(err, true, StandardCharsets.UTF_8),
                "run", "--stream", "readings", "--region", LocalAws.REGION,
                "--kinesis-endpoint", Service.KINESIS.endpoint().toString(),
                "--sns-topic-arn", "arn:aws:sns:us-east-1:000000000000:alerts", "--sns-endpoint", "http://127.0.0.1:9");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot reach SNS").contains("--sns-endpoint");
    }

    @Test
    void anUnreachableElasticsearchFailsFastNamingTheOption() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = BushfireCli.execute(new PrintStream(err, true, StandardCharsets.UTF_8),
                "index", "--stream", "readings", "--region", LocalAws.REGION,
                "--kinesis-endpoint", Service.KINESIS.endpoint().toString(),
                "--es-hosts", "http://127.0.0.1:9");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot reach Elasticsearch").contains("--es-hosts");
    }

    private static Message receiveOne(String queue, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(2)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (!messages.isEmpty()) {
                assertThat(messages).hasSize(1);
                sqs.deleteMessage(r -> r.queueUrl(queue).receiptHandle(messages.get(0).receiptHandle()));
                return messages.get(0);
            }
        }
        throw new AssertionError("no alert reached the queue within " + timeout);
    }

    /** The SNS envelopes the subscription's queue delivers (see {@link AlertSubscription#receive}). */
    private static List<JsonNode> receive(AlertSubscription subscription, int expected, Duration timeout)
            throws Exception {
        List<JsonNode> envelopes = new ArrayList<>();
        for (Message m : subscription.receive(sqs, expected, timeout)) {
            envelopes.add(JSON.readTree(m.body()));
        }
        return envelopes;
    }

    /** The ids in an index once it holds at least {@code expected} documents, and nothing more came after. */
    private static List<String> waitForDocuments(String index, int expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> ids = searchIds(index);
        while (ids.size() < expected && System.nanoTime() < deadline) {
            Thread.sleep(500);
            ids = searchIds(index);
        }
        Thread.sleep(1500);
        return searchIds(index);
    }

    private static List<String> searchIds(String index) throws Exception {
        String base = Service.ELASTICSEARCH.endpoint() + "/" + index;
        HTTP.send(HttpRequest.newBuilder(URI.create(base + "/_refresh")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(base + "/_search?size=1000&_source=false")).GET().build(), HttpResponse.BodyHandlers.ofString());
        List<String> ids = new ArrayList<>();
        if (response.statusCode() == 200) {
            JSON.readTree(response.body()).at("/hits/hits").forEach(hit -> ids.add(hit.get("_id").asText()));
        }
        return ids;
    }

    private static void cancelAllJobs(ClusterClient<?> client) throws Exception {
        for (var job : client.listJobs().get()) {
            if (!job.getJobState().isGloballyTerminalState()) {
                client.cancel(job.getJobId()).get();
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && client.listJobs().get().stream()
                .anyMatch(j -> !j.getJobState().isGloballyTerminalState() && j.getJobState() != JobStatus.CANCELED)) {
            Thread.sleep(200);
        }
    }
}
