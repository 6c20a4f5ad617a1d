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

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        AlertingConfig config = AlertingConfig.defaults();
        new AlertingJob(config, new JsonLinesReadingsSource(REFERENCE),
                AlertingSinks.alertsTo(ElasticsearchSinks.alerts(secured))
                        .rawReadingsTo(ElasticsearchSinks.rawReadings(secured, config.threshold())))
                .build(env);
        env.execute("reference scenario into a secured node");

        es.performRequest(new Request("POST", "/" + secured.readingsIndex() + "," + secured.alertsIndex() + "/_refresh"));
        Set<String> expected = new HashSet<>();
        for (String line : Files.readAllLines(REFERENCE, StandardCharsets.UTF_8)) {
            expected.add(ReadingDocuments.id(ReadingParser.parse(line.getBytes(StandardCharsets.UTF_8))));
        }
        List<String> readings = ids(secured.readingsIndex());
        assertThat(readings).as("every reading, once").hasSize(expected.size());
        assertThat(new HashSet<>(readings)).isEqualTo(expected);
        assertThat(ids(secured.alertsIndex())).containsExactly(Alert.idOf("default", "1", T0 + 60_000));
        JsonNode mapping = json(es.performRequest(new Request("GET", "/" + secured.readingsIndex() + "/_mapping")));
        assertThat(mapping.at("/" + secured.readingsIndex() + "/mappings/properties/location/type").asText())
                .as("the template was installed through the secured REST API").isEqualTo("geo_point");
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
