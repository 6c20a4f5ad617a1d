package org.bushfire.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settings → REST client, checked on the wire against a loopback server: credentials become an
 * {@code Authorization} header on the first request, and a self-signed node is trusted through --es-ca-cert or
 * --es-truststore and only then. (A secured real node is a later issue's test.)
 */
class ElasticsearchClientsTest {
    static final String STORE_PASSWORD = SelfSignedNode.STORE_PASSWORD;

    @TempDir
    static Path certificates;
    static Path nodeKeystore;
    static Path caPem;
    static SSLContext nodeTls;

    @BeforeAll
    static void selfSignedNode() throws Exception {
        SelfSignedNode node = SelfSignedNode.create(certificates);
        nodeKeystore = node.keystore;
        caPem = node.caPem;
        nodeTls = node.serverTls;
    }

    private static int get(ElasticsearchSettings settings) throws IOException {
        try (RestClient client = ElasticsearchClients.restClient(settings).build()) {
            return client.performRequest(new Request("GET", "/")).getStatusLine().getStatusCode();
        }
    }

    @Test
    void anApiKeyGoesOutWithTheFirstRequest() throws Exception {
        try (FakeElasticsearch es = FakeElasticsearch.http()) {
            get(ElasticsearchSettings.defaults().withHosts(List.of(es.url()))
                    .resolve(Map.of("BUSHFIRE_ES_API_KEY", "id1:key1")));

            assertThat(es.received).hasSize(1);
            assertThat(es.received.get(0).authorization).isEqualTo("ApiKey aWQxOmtleTE=");
        }
    }

    @Test
    void basicAuthGoesOutWithoutWaitingForAChallenge() throws Exception {
        try (FakeElasticsearch es = FakeElasticsearch.http()) {
            get(ElasticsearchSettings.defaults().withHosts(List.of(es.url()))
                    .resolve(Map.of("BUSHFIRE_ES_USERNAME", "bushfire", "BUSHFIRE_ES_PASSWORD", "pw")));

            assertThat(es.received).hasSize(1);
            assertThat(es.received.get(0).authorization).isEqualTo("Basic YnVzaGZpcmU6cHc=");
        }
    }

    @Test
    void noCredentialsNoHeader() throws Exception {
        try (FakeElasticsearch es = FakeElasticsearch.http()) {
            get(ElasticsearchSettings.defaults().withHosts(List.of(es.url())).resolve(Map.of()));

            assertThat(es.received).hasSize(1);
            assertThat(es.received.get(0).authorization).isNull();
        }
    }

    @Test
    void unresolvedSettingsBuildNoClient() {
        assertThatThrownBy(() -> ElasticsearchClients.restClient(ElasticsearchSettings.defaults()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("resolved");
    }

    @Test
    void aSelfSignedNodeIsTrustedThroughItsCaCertificate() throws Exception {
        try (FakeElasticsearch es = FakeElasticsearch.https(nodeTls)) {
            ElasticsearchSettings settings = ElasticsearchSettings.defaults().withHosts(List.of(es.url()))
                    .withCaCertificate(caPem).resolve(Map.of());

            assertThat(settings.trustedCertificates()).hasSize(1);
            assertThat(get(settings)).isEqualTo(200);
            assertThat(es.received).hasSize(1);
        }
    }

    @Test
    void aSelfSignedNodeIsTrustedThroughATruststore() throws Exception {
        try (FakeElasticsearch es = FakeElasticsearch.https(nodeTls)) {
            ElasticsearchSettings settings = ElasticsearchSettings.defaults().withHosts(List.of(es.url()))
                    .withTruststore(nodeKeystore).resolve(Map.of("BUSHFIRE_ES_TRUSTSTORE_PASSWORD", STORE_PASSWORD));

            assertThat(get(settings)).isEqualTo(200);
        }
    }

    @Test
    void withoutTheCaASelfSignedNodeIsRefused() throws Exception {
        try (FakeElasticsearch es = FakeElasticsearch.https(nodeTls)) {
            ElasticsearchSettings settings = ElasticsearchSettings.defaults().withHosts(List.of(es.url())).resolve(Map.of());

            assertThatThrownBy(() -> get(settings)).isInstanceOf(SSLException.class);
            assertThatThrownBy(() -> IndexTemplates.install(settings))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("TLS handshake with Elasticsearch at " + es.url())
                    .hasMessageContaining("--es-ca-cert");
            assertThat(es.received).isEmpty();
        }
    }

    @Test
    void unusableTrustFilesAreNamed() throws Exception {
        Path garbage = Files.writeString(certificates.resolve("garbage.pem"), "not a certificate\n");
        List<String> https = List.of("https://127.0.0.1:9200");

        assertThatThrownBy(() -> ElasticsearchSettings.defaults().withHosts(https).withCaCertificate(garbage).resolve(Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--es-ca-cert");
        assertThatThrownBy(() -> ElasticsearchSettings.defaults().withHosts(https).withCaCertificate(certificates.resolve("none.pem"))
                .resolve(Map.of())).hasMessageContaining("--es-ca-cert").hasMessageContaining("cannot read");
        assertThatThrownBy(() -> ElasticsearchSettings.defaults().withHosts(https).withTruststore(nodeKeystore)
                .resolve(Map.of("BUSHFIRE_ES_TRUSTSTORE_PASSWORD", "Wr0ngPw")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--es-truststore")
                .hasMessageNotContaining("Wr0ngPw");
    }
}
