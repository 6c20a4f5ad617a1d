package org.bushfire.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.http.HttpHost;
import org.apache.http.util.EntityUtils;
import org.bushfire.domain.Alert;
import org.bushfire.domain.ContractJson;
import org.bushfire.domain.Reading;
import org.bushfire.file.JsonLinesFileSink;
import org.bushfire.file.JsonLinesReadingsSource;
import org.bushfire.job.AlertingConfig;
import org.bushfire.job.AlertingJob;
import org.bushfire.job.AlertingSinks;
import org.bushfire.job.StreamSink;
import org.bushfire.testing.IncidentFixtures;
import org.bushfire.testing.LocalServices;
import org.bushfire.testing.Replay;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.bushfire.testing.TestIndices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.bushfire.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real alerting job on a MiniCluster at parallelism 2, writing through the Elasticsearch sinks into the
 * real local node (scripts/services.sh). Each test uses its own index names and deletes them afterwards, so
 * it can share a node with other engineers' runs.
 */
class ElasticsearchSinksIntegrationTest {
    @RegisterExtension
    static final LocalServices SERVICES = LocalServices.of(LocalServices.Service.ELASTICSEARCH);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestCluster.twoSlots();

    static final Path REFERENCE = Path.of("examples", "reference-11-nodes.jsonl");
    static final long T0 = 1732147200000L; // 2024-11-21T00:00:00Z, batch 1 of the reference scenario
    static final ObjectMapper JSON = new ObjectMapper();
    /** A node the reference data lacks, reporting 2.5 minutes behind the newest reading: late with B = 30 s. */
    static final String LATE_LINE = "{\"network\":\"default\",\"node\":12,\"eventTimestamp\":" + (T0 + 90_000)
            + ",\"temperature\":30.0,\"lat\":-34.0,\"lon\":151.0}";

    @TempDir
    Path dir;

    ElasticsearchSettings settings;
    RestClient es;

    @BeforeEach
    void uniqueIndices() {
        String run = "it-" + UUID.randomUUID().toString().substring(0, 8);
        settings = ElasticsearchSettings.defaults()
                .withHosts(List.of(LocalServices.Service.ELASTICSEARCH.endpoint().toString()))
                .withReadingsIndex(run + "-readings")
                .withAlertsIndex(run + "-alerts")
                .resolve(Map.of());
        es = RestClient.builder(HttpHost.create(LocalServices.Service.ELASTICSEARCH.endpoint().toString())).build();
    }

    @AfterEach
    void deleteIndices() throws IOException {
        try {
            TestIndices.deleteJobIndices(es, settings);
        } finally {
            es.close();
        }
    }

    @Test
    void installedTemplatesGiveTheIndicesTheirMappings() throws Exception {
        IndexTemplates.install(settings);
        IndexTemplates.install(settings); // idempotent

        JsonNode readings = get("/" + settings.readingsIndex() + "/_mapping").path(settings.readingsIndex()).path("mappings");
        assertThat(IndexTemplates.fieldTypes(readings)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "network", "keyword", "node", "keyword", "eventTime", "date", "temperature", "double",
                "infectedBy", "keyword", "location", "geo_point", "hot", "boolean"));
        assertThat(readings.path("dynamic").asText()).isEqualTo("strict");
        JsonNode alerts = get("/" + settings.alertsIndex() + "/_mapping").path(settings.alertsIndex()).path("mappings");
        assertThat(IndexTemplates.fieldTypes(alerts)).containsEntry("positions", "geo_point")
                .containsEntry("onsets.location", "geo_point").containsEntry("completedTime", "date")
                .containsEntry("chain", "keyword");
        JsonNode indexSettings = get("/" + settings.readingsIndex() + "/_settings").path(settings.readingsIndex());
        assertThat(indexSettings.at("/settings/index/number_of_replicas").asText()).isEqualTo("0");
        JsonNode template = get("/_index_template/" + settings.readingsIndex()).at("/index_templates/0/index_template");
        assertThat(template.get("index_patterns").get(0).asText()).isEqualTo(settings.readingsIndex() + "*");
    }

    @Test
    void jobsWhoseIndexNamesArePrefixesOfEachOtherBothInstall() throws Exception {
        // One job on "<run>-readings", another (a demo, a second region) on "<run>-readings-demo": each
        // template's pattern matches the other's index name.
        ElasticsearchSettings longer = settings.withReadingsIndex(settings.readingsIndex() + "-demo")
                .withAlertsIndex(settings.alertsIndex() + "-demo");
        IndexTemplates.install(settings);
        try {
            IndexTemplates.install(longer);

            JsonNode mapping = get("/" + longer.readingsIndex() + "/_mapping").path(longer.readingsIndex()).path("mappings");
            assertThat(IndexTemplates.fieldTypes(mapping)).containsEntry("location", "geo_point");
        } finally {
            TestIndices.deleteJobIndices(es, longer);
        }
    }

    @Test
    void anIndexMappedBeforeItsTemplateIsRefusedByName() throws Exception {
        Request create = new Request("PUT", "/" + settings.readingsIndex());
        create.setJsonEntity("{\"settings\":{\"number_of_replicas\":0},\"mappings\":{\"properties\":{\"location\":{\"type\":\"float\"}}}}");
        es.performRequest(create);

        assertThatThrownBy(() -> IndexTemplates.install(settings))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'" + settings.readingsIndex() + "' maps field 'location' as float, not geo_point")
                .hasMessageContaining("--es-readings-index");
    }

    @Test
    void anOlderIndexGainsTheTemplatesMissingFields() throws Exception {
        Request create = new Request("PUT", "/" + settings.readingsIndex());
        create.setJsonEntity("{\"settings\":{\"number_of_replicas\":0},\"mappings\":{\"properties\":{\"node\":{\"type\":\"keyword\"}}}}");
        es.performRequest(create);

        IndexTemplates.install(settings);

        JsonNode readings = get("/" + settings.readingsIndex() + "/_mapping").path(settings.readingsIndex()).path("mappings");
        assertThat(IndexTemplates.fieldTypes(readings)).containsEntry("location", "geo_point").containsEntry("hot", "boolean")
                .containsEntry("node", "keyword");
    }

    @Test
    void theReferenceScenarioIsIndexedOncePerReadingAndAReplayDuplicatesNothing() throws Exception {
        Path input = referenceWithPositionsADuplicateAndALateReading();
        List<String> expectedIds = expectedReadingIds(input);
        assertThat(expectedIds).hasSize(56).doesNotHaveDuplicates();
        IndexTemplates.install(settings);
        int dispatchersBefore = restClientThreads();

        JobRun first = runJob(input);

        assertThat(first.late).as("the appended reading is really late").hasSize(1);
        assertThat(first.late.get(0).get("node").asInt()).isEqualTo(12);
        assertThat(first.alerts).hasSize(1);
        String alertId = first.alerts.get(0).get("alertId").asText();
        assertThat(alertId).isEqualTo(Alert.idOf("default", "1", T0 + 60_000));

        refresh();
        assertThat(count(settings.readingsIndex())).isEqualTo(56);
        assertThat(indexedIds(settings.readingsIndex())).containsExactlyInAnyOrderElementsOf(expectedIds);
        String lateId = ReadingDocuments.idOf("default", "12", T0 + 90_000);
        JsonNode late = get("/" + settings.readingsIndex() + "/_doc/" + lateId);
        assertThat(late.get("found").asBoolean()).isTrue();
        assertThat(late.at("/_source/eventTime").asText()).isEqualTo("2024-11-21T00:01:30Z");
        assertThat(late.at("/_source/hot").asBoolean()).isFalse();
        String duplicatedId = ReadingDocuments.idOf("default", "3", T0 + 180_000);
        assertThat(version(duplicatedId)).as("the duplicated line overwrote its document").isEqualTo(2);
        JsonNode hot = search(settings.readingsIndex(), "{\"size\":0,\"query\":{\"term\":{\"hot\":true}}}");
        assertThat(hot.at("/hits/total/value").asInt()).as("readings at or above 50 °C").isEqualTo(hotLines(input));

        // geo_point: 2 km around the late node finds exactly it; a box around node 5 finds its five readings
        assertThat(idsOf(search(settings.readingsIndex(), "{\"query\":{\"geo_distance\":{\"distance\":\"2km\","
                + "\"location\":{\"lat\":-34.0,\"lon\":151.0}}}}"))).containsExactly(lateId);
        JsonNode node5 = search(settings.readingsIndex(), "{\"size\":20,\"query\":{\"geo_bounding_box\":{\"location\":{"
                + "\"top_left\":{\"lat\":-33.745,\"lon\":150.345},\"bottom_right\":{\"lat\":-33.755,\"lon\":150.355}}}}}");
        assertThat(node5.at("/hits/total/value").asInt()).isEqualTo(5);
        node5.at("/hits/hits").forEach(h -> assertThat(h.at("/_source/node").asText()).isEqualTo("5"));

        assertThat(count(settings.alertsIndex())).isEqualTo(1);
        JsonNode alert = get("/" + settings.alertsIndex() + "/_doc/" + alertId).path("_source");
        assertThat(alert.get("chain")).isEqualTo(JSON.readTree("[\"1\",\"2\",\"3\",\"4\",\"5\"]"));
        assertThat(alert.get("completedTime").asText()).isEqualTo("2024-11-21T00:04:00Z");
        assertThat(alert.get("positions")).hasSize(5);
        assertThat(alert.at("/onsets/4/location/lat").asDouble()).isEqualTo(-33.75);
        JsonNode alertNearNode1 = search(settings.alertsIndex(), "{\"query\":{\"geo_distance\":{\"distance\":\"500m\","
                + "\"positions\":{\"lat\":-33.71,\"lon\":150.31}}}}");
        assertThat(idsOf(alertNearNode1)).containsExactly(alertId);

        // Writers closed their clients: no REST client threads outlive the job.
        awaitAtMost(dispatchersBefore);

        runJob(input);

        refresh();
        assertThat(count(settings.readingsIndex())).as("replay overwrote, never added").isEqualTo(56);
        assertThat(indexedIds(settings.readingsIndex())).containsExactlyInAnyOrderElementsOf(expectedIds);
        assertThat(count(settings.alertsIndex())).isEqualTo(1);
        assertThat(version(lateId)).as("the replay did write again").isEqualTo(2);
        assertThat(version(duplicatedId)).isEqualTo(4);
    }

    /**
     * An incident's messages through the incidents sink of a real job: one document per fire (the alert id),
     * ending at the latest message, with its geometry searchable as geo points.
     */
    @Test
    void theAlertsIndexHoldsEachIncidentsLatestState() throws Exception {
        IndexTemplates.install(settings);
        List<org.bushfire.domain.IncidentMessage> messages = List.of(IncidentFixtures.alert("ridge", true),
                IncidentFixtures.update("ridge"), IncidentFixtures.allClear("ridge"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        ElasticsearchSinks.incidents(settings).attach(env.fromData(messages));
        env.execute("incidents to elasticsearch");

        refresh();
        String alertId = messages.get(0).alertId;
        assertThat(indexedIds(settings.alertsIndex())).containsExactly(alertId);
        JsonNode doc = get("/" + settings.alertsIndex() + "/_doc/" + alertId);
        assertThat(doc.get("_version").asLong()).as("one write per message").isEqualTo(3);
        JsonNode incident = doc.path("_source").path("incident");
        assertThat(incident.get("stage").asText()).isEqualTo("ALL_CLEAR");
        assertThat(incident.get("messageId").asText()).isEqualTo(alertId + ".3");
        assertThat(incident.get("burningSensors").asInt()).isEqualTo(10);
        assertThat(doc.path("_source").get("chain")).isEqualTo(JSON.readTree("[\"1\",\"2\",\"3\",\"4\",\"5\"]"));
        JsonNode nearCentroid = search(settings.alertsIndex(), "{\"query\":{\"geo_distance\":{\"distance\":\"100m\","
                + "\"incident.centroid\":{\"lat\":-33.7151,\"lon\":150.3201}}}}");
        assertThat(idsOf(nearCentroid)).containsExactly(alertId);
        JsonNode clear = search(settings.alertsIndex(), "{\"query\":{\"term\":{\"incident.stage\":\"ALL_CLEAR\"}}}");
        assertThat(idsOf(clear)).containsExactly(alertId);
    }

    @Test
    @Timeout(120)
    void aJobWhoseElasticsearchIsUnreachableFailsInsteadOfDroppingReadings() throws Exception {
        ElasticsearchSettings unreachable = settings.withHosts(List.of("http://127.0.0.1:1")).resolve(Map.of());

        StreamExecutionEnvironment env = environment();
        ElasticsearchSinks.rawReadings(unreachable, 50.0).attach(env.fromData(new Reading("default", "1", T0, 20.0, null)));

        assertThatThrownBy(() -> env.execute("unreachable elasticsearch")).hasStackTraceContaining("Connection refused");
    }

    @Test
    void bulkRequestsCarryTheApiKeyOverTlsToASelfSignedNode() throws Exception {
        SelfSignedNode node = SelfSignedNode.create(dir);
        String bulkResponse = "{\"took\":1,\"errors\":false,\"items\":[{\"index\":{\"_index\":\"x\",\"_type\":\"_doc\","
                + "\"_id\":\"x\",\"_version\":1,\"result\":\"created\",\"_shards\":{\"total\":1,\"successful\":1,"
                + "\"failed\":0},\"_seq_no\":0,\"_primary_term\":1,\"status\":201}}]}";
        try (FakeElasticsearch fake = FakeElasticsearch.https(node.serverTls).answering(200, bulkResponse)) {
            ElasticsearchSettings secured = settings.withHosts(List.of(fake.url())).withCaCertificate(node.caPem)
                    .resolve(Map.of("BUSHFIRE_ES_API_KEY", "id1:key1"));

            StreamExecutionEnvironment env = environment();
            ElasticsearchSinks.rawReadings(secured, 50.0).attach(env.fromData(new Reading("default", "7", T0, 61.0, null)));
            env.execute("api key over tls");

            assertThat(fake.received).isNotEmpty();
            FakeElasticsearch.Received bulk = fake.received.get(fake.received.size() - 1);
            assertThat(bulk.path).isEqualTo("/_bulk");
            assertThat(bulk.authorization).isEqualTo("ApiKey aWQxOmtleTE=");
            assertThat(bulk.body).contains("\"_id\":\"default~7~" + T0 + "\"").contains("\"hot\":true");
        }
    }

    // ---------------------------------------------------------------- the job

    static final class JobRun {
        final List<JsonNode> alerts;
        final List<JsonNode> late;

        JobRun(List<JsonNode> alerts, List<JsonNode> late) {
            this.alerts = alerts;
            this.late = late;
        }
    }

    private static StreamExecutionEnvironment environment() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(2);
        return env;
    }

    /** The production graph: readings and alerts to Elasticsearch, alerts and late readings also to files. */
    private JobRun runJob(Path input) throws Exception {
        Path run = Files.createTempDirectory(dir, "run");
        Path alertsFile = run.resolve("alerts.jsonl");
        Path lateFile = run.resolve("late.jsonl");
        AlertingConfig config = AlertingConfig.defaults();
        StreamSink<Alert> alertsToElasticsearch = ElasticsearchSinks.alerts(settings);
        StreamSink<Alert> alertsToFile = StreamSink.of(new JsonLinesFileSink<>(alertsFile, ContractJson::alert, true), "alerts file", 1);
        AlertingSinks sinks = AlertingSinks
                .alertsTo(stream -> {
                    alertsToElasticsearch.attach(stream);
                    alertsToFile.attach(stream);
                })
                .rawReadingsTo(ElasticsearchSinks.rawReadings(settings, config.threshold()))
                .lateReadingsTo(StreamSink.of(new JsonLinesFileSink<Reading>(lateFile,
                        r -> ContractJson.reading(r, ContractJson.TimeFormat.EPOCH_MILLIS), false), "late readings file", 1));

        StreamExecutionEnvironment env = environment();
        new AlertingJob(config, new JsonLinesReadingsSource(input), sinks).build(env);
        long start = System.nanoTime();
        env.execute("elasticsearch sinks " + input.getFileName());
        System.out.printf("ElasticsearchSinksIntegrationTest: job over %s took %d ms%n", input.getFileName(),
                (System.nanoTime() - start) / 1_000_000);
        return new JobRun(Replay.read(alertsFile), Replay.read(lateFile));
    }

    /**
     * The reference scenario with a position per node (node n at −33.70 − n/100, 150.30 + n/100), node 3's
     * batch-4 reading twice in a row, and one late reading at the end.
     */
    private Path referenceWithPositionsADuplicateAndALateReading() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(REFERENCE, StandardCharsets.UTF_8)) {
            ObjectNode reading = (ObjectNode) JSON.readTree(line);
            int node = reading.get("node").asInt();
            reading.put("lat", new java.math.BigDecimal("-33.70").subtract(java.math.BigDecimal.valueOf(node, 2)));
            reading.put("lon", new java.math.BigDecimal("150.30").add(java.math.BigDecimal.valueOf(node, 2)));
            lines.add(reading.toString());
            if (node == 3 && reading.get("eventTimestamp").asLong() == T0 + 180_000) {
                lines.add(reading.toString());
            }
        }
        lines.add(LATE_LINE);
        assertThat(lines).hasSize(57);
        return Files.write(dir.resolve("readings.jsonl"), lines, StandardCharsets.UTF_8);
    }

    private static List<String> expectedReadingIds(Path input) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(input, StandardCharsets.UTF_8)) {
            JsonNode r = JSON.readTree(line);
            String id = ReadingDocuments.idOf(r.get("network").asText(), r.get("node").asText(), r.get("eventTimestamp").asLong());
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    private static int hotLines(Path input) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(input, StandardCharsets.UTF_8)) {
            JsonNode r = JSON.readTree(line);
            String id = ReadingDocuments.idOf("default", r.get("node").asText(), r.get("eventTimestamp").asLong());
            if (r.get("temperature").asDouble() >= 50.0 && !ids.contains(id)) {
                ids.add(id);
            }
        }
        return ids.size();
    }

    // ---------------------------------------------------------------- Elasticsearch, read back over REST

    private JsonNode get(String path) throws IOException {
        return JSON.readTree(EntityUtils.toString(es.performRequest(new Request("GET", path)).getEntity()));
    }

    private JsonNode search(String index, String body) throws IOException {
        Request request = new Request("POST", "/" + index + "/_search");
        request.setJsonEntity(body);
        return JSON.readTree(EntityUtils.toString(es.performRequest(request).getEntity()));
    }

    private void refresh() throws IOException {
        es.performRequest(new Request("POST", "/" + settings.readingsIndex() + "," + settings.alertsIndex() + "/_refresh"));
    }

    private long count(String index) throws IOException {
        return get("/" + index + "/_count").get("count").asLong();
    }

    private long version(String id) throws IOException {
        return get("/" + settings.readingsIndex() + "/_doc/" + id).get("_version").asLong();
    }

    private List<String> indexedIds(String index) throws IOException {
        return idsOf(search(index, "{\"size\":1000,\"_source\":false,\"query\":{\"match_all\":{}}}"));
    }

    private static List<String> idsOf(JsonNode searchResult) {
        List<String> ids = new ArrayList<>();
        searchResult.at("/hits/hits").forEach(h -> ids.add(h.get("_id").asText()));
        return ids;
    }


    /** Threads of Apache's async HTTP client, which the Elasticsearch REST client runs on. */
    private static int restClientThreads() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("I/O dispatcher")) {
                n++;
            }
        }
        return n;
    }

    private static void awaitAtMost(int threads) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (restClientThreads() > threads && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(restClientThreads()).as("REST client threads left after the job").isLessThanOrEqualTo(threads);
    }
}
