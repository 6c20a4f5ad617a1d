package org.bushfire.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.http.HttpHost;
import org.apache.http.util.EntityUtils;
import org.bushfire.domain.Alert;
import org.bushfire.domain.ReadingParser;
import org.bushfire.file.JsonLinesReadingsSource;
import org.bushfire.job.AlertingConfig;
import org.bushfire.job.AlertingJob;
import org.bushfire.job.AlertingSinks;
import org.bushfire.job.StartupCheckFailed;
import org.bushfire.testing.LocalServices;
import org.bushfire.testing.LocalServices.Service;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.bushfire.testing.TestIndices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's Elasticsearch sinks and index templates against a node with x-pack security on, as a production
 * cluster runs: https only, with a certificate from a private CA, and basic authentication. The node is the
 * optional secured node of {@code scripts/services.sh} (Elasticsearch 7.17, the same install as the plain one);
 * the job trusts its CA through {@code --es-ca-cert} and reads the {@code elastic} user's password from a
 * {@code --es-credentials-file}, never from the command line or the environment.
 */
class SecuredElasticsearchIntegrationTest {
    @RegisterExtension
    @Order(1)
    static final LocalServices SERVICES = LocalServices.of(Service.ELASTICSEARCH_SECURE);

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    static final Path REFERENCE = Path.of("examples", "reference-11-nodes.jsonl");
    static final long T0 = 1732147200000L; // 2024-11-21T00:00:00Z, batch 1 of the reference scenario
    /** A start-up check that fails must say so well within this, not hang on a handshake or a retry loop. */
    static final Duration FAIL_FAST = Duration.ofSeconds(15);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    ElasticsearchSettings secured;
    RestClient es;

    @BeforeEach
    void uniqueIndices() {
        String run = "secured-" + UUID.randomUUID().toString().substring(0, 8);
        secured = ElasticsearchSettings.defaults()
                .withHosts(List.of(Service.ELASTICSEARCH_SECURE.endpoint().toString()))
                .withCaCertificate(LocalServices.secureElasticsearchCaCertificate())
                .withCredentialsFile(LocalServices.secureElasticsearchCredentials())
                .withReadingsIndex(run + "-readings")
                .withAlertsIndex(run + "-alerts")
                // no BUSHFIRE_ES_* variables: the credentials can only come from the file
                .resolve(Map.of());
        es = ElasticsearchClients.restClient(secured).build();
    }

    @AfterEach
    void deleteIndices() throws IOException {
        try {
            TestIndices.deleteJobIndices(es, secured);
        } finally {
            es.close();
        }
    }

    @Test
    void theNodeIsReallySecured() throws Exception {
        try (RestClient anonymous = RestClient.builder(HttpHost.create(Service.ELASTICSEARCH_SECURE.endpoint().toString()))
                .setHttpClientConfigCallback(http -> http.setSSLContext(secured.sslContext())).build()) {
            assertThatThrownBy(() -> anonymous.performRequest(new Request("GET", "/")))
                    .isInstanceOf(ResponseException.class).hasMessageContaining("401");
        }
        JsonNode whoAmI = json(es.performRequest(new Request("GET", "/_security/_authenticate")));
        assertThat(whoAmI.get("username").asText()).isEqualTo("elastic");
    }

    @Test
    void theJobIndexesEveryReadingAndTheAlertOverTlsWithBasicAuth() throws Exception {
        IndexTemplates.install(secured);

        indexTheReferenceScenarioAndCheck(secured);
        assertThat(ids(secured.alertsIndex())).containsExactly(Alert.idOf("default", "1", T0 + 60_000));
        JsonNode mapping = json(es.performRequest(new Request("GET", "/" + secured.readingsIndex() + "/_mapping")));
        assertThat(mapping.at("/" + secured.readingsIndex() + "/mappings/properties/location/type").asText())
                .as("the template was installed through the secured REST API").isEqualTo("geo_point");
    }

    /**
     * API keys, as fine-grained access control hands them out, against the real node: a key the node itself
     * created (limited to this run's indices), given to the job as {@code api_key=id:key} in the credentials
     * file, installs the templates and indexes the readings — and the node says the key, not a user's password,
     * authenticated the requests.
     */
    @Test
    void anApiKeyFromTheNodeInstallsTheTemplatesAndIndexesTheReadings() throws Exception {
        Request create = new Request("POST", "/_security/api_key");
        String indices = "[\"" + secured.readingsIndex() + "*\",\"" + secured.alertsIndex() + "*\"]";
        create.setJsonEntity("{\"name\":\"bushfire-test-" + secured.readingsIndex() + "\",\"expiration\":\"1h\","
                + "\"role_descriptors\":{\"bushfire-job\":{\"cluster\":[\"manage_index_templates\",\"monitor\"],"
                + "\"indices\":[{\"names\":" + indices + ",\"privileges\":[\"all\"]}]}}}");
        JsonNode key;
        try {
            key = json(es.performRequest(create));
        } catch (ResponseException e) {
            String body = EntityUtils.toString(e.getResponse().getEntity(), StandardCharsets.UTF_8);
            // Skipped, not passed: scripts/services.sh installs Elastic's integ-test-zip, whose modules lack
            // analysis-common, and the .security index that API keys live in cannot be created without it.
            Assumptions.assumeFalse(body.contains("pattern_capture"),
                    "this node cannot store API keys (no analysis-common module for the .security index): " + body);
            throw e;
        }
        Path file = dir.resolve("api-key.properties");
        Files.writeString(file, "api_key=" + key.get("id").asText() + ":" + key.get("api_key").asText() + "\n");
        ElasticsearchSettings withKey = secured.withCredentialsFile(file).resolve(Map.of());
        assertThat(withKey.credentials().kind()).isEqualTo(Credentials.Kind.API_KEY);

        try (RestClient asKey = ElasticsearchClients.restClient(withKey).build()) {
            JsonNode who = json(asKey.performRequest(new Request("GET", "/_security/_authenticate")));
            assertThat(who.at("/authentication_type").asText()).isEqualTo("api_key");
            assertThat(who.at("/api_key/id").asText()).isEqualTo(key.get("id").asText());
        }
        IndexTemplates.install(withKey);
        indexTheReferenceScenarioAndCheck(withKey);
        assertThat(ids(secured.alertsIndex())).containsExactly("610fcc6d-d4bc-3129-bb8f-cafd68b0e9b7");

        // The same key, invalidated, is refused: it really was the key that got in.
        Request invalidate = new Request("DELETE", "/_security/api_key");
        invalidate.setJsonEntity("{\"ids\":[\"" + key.get("id").asText() + "\"]}");
        es.performRequest(invalidate);
        assertThatThrownBy(() -> IndexTemplates.install(withKey)).isInstanceOf(StartupCheckFailed.class)
                .hasMessageContaining("HTTP 401");
    }

    @Test
    void aWrongPasswordFailsFastNamingWhereTheCredentialsComeFrom() throws Exception {
        Path wrong = dir.resolve("wrong-credentials.properties");
        Files.writeString(wrong, "username=elastic\npassword=not-the-password\n");
        ElasticsearchSettings settings = secured.withCredentialsFile(wrong).resolve(Map.of());

        long start = System.nanoTime();
        assertThatThrownBy(() -> IndexTemplates.install(settings))
                .isInstanceOf(StartupCheckFailed.class)
                .hasMessageStartingWith("Elasticsearch at " + Service.ELASTICSEARCH_SECURE.endpoint() + " refused")
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("unable to authenticate user [elastic]")
                .hasMessageContaining("check the credentials")
                .hasMessageContaining("--es-credentials-file")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-password"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAIL_FAST);
    }

    @Test
    void aCertificateFromAnotherCaFailsFastNamingTheTlsOptions() throws Exception {
        SelfSignedNode stranger = SelfSignedNode.create(dir);
        ElasticsearchSettings settings = secured.withCaCertificate(stranger.caPem).resolve(Map.of());

        long start = System.nanoTime();
        assertThatThrownBy(() -> IndexTemplates.install(settings))
                .isInstanceOf(StartupCheckFailed.class)
                .hasMessageStartingWith("TLS handshake with Elasticsearch at " + Service.ELASTICSEARCH_SECURE.endpoint()
                        + " failed (--es-hosts, --es-ca-cert or --es-truststore)");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAIL_FAST);
    }

    @Test
    void withoutTheCaTheJvmsOwnTrustRefusesTheNodeToo() {
        ElasticsearchSettings settings = secured.withCaCertificate(null).resolve(Map.of());

        assertThatThrownBy(() -> IndexTemplates.install(settings))
                .isInstanceOf(StartupCheckFailed.class)
                .hasMessageStartingWith("TLS handshake with Elasticsearch at " + Service.ELASTICSEARCH_SECURE.endpoint());
    }

    /** The alerting job over the reference scenario into {@code settings}' indices; every reading there once. */
    private void indexTheReferenceScenarioAndCheck(ElasticsearchSettings settings) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        AlertingConfig config = AlertingConfig.defaults();
        new AlertingJob(config, new JsonLinesReadingsSource(REFERENCE),
                AlertingSinks.alertsTo(ElasticsearchSinks.alerts(settings))
                        .rawReadingsTo(ElasticsearchSinks.rawReadings(settings, config.threshold())))
                .build(env);
        env.execute("reference scenario into a secured node");

        es.performRequest(new Request("POST", "/" + settings.readingsIndex() + "," + settings.alertsIndex() + "/_refresh"));
        Set<String> expected = new HashSet<>();
        for (String line : Files.readAllLines(REFERENCE, StandardCharsets.UTF_8)) {
            expected.add(ReadingDocuments.id(ReadingParser.parse(line.getBytes(StandardCharsets.UTF_8))));
        }
        List<String> readings = ids(settings.readingsIndex());
        assertThat(readings).as("every reading, once").hasSize(expected.size());
        assertThat(new HashSet<>(readings)).isEqualTo(expected);
    }

    private List<String> ids(String index) throws IOException {
        JsonNode hits = json(es.performRequest(new Request("GET", "/" + index + "/_search?size=1000&_source=false")));
        List<String> ids = new ArrayList<>();
        hits.at("/hits/hits").forEach(hit -> ids.add(hit.get("_id").asText()));
        return ids;
    }


    private static JsonNode json(org.elasticsearch.client.Response response) throws IOException {
        return JSON.readTree(EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8));
    }
}
