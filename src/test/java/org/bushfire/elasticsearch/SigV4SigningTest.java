package org.bushfire.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SigV4 for Amazon OpenSearch Service, checked on the wire: requests of the job's own REST client (the one the
 * template installer and the sink writers use) reach a loopback endpoint, and {@link SigV4Verifier} — an
 * implementation independent of the AWS SDK signer that signed them, itself proven on AWS's published test
 * vectors — recomputes each signature from what arrived and the known secret.
 */
class SigV4SigningTest {
    // AWS's own example credentials from the SigV4 test suite; never valid anywhere.
    static final String ACCESS_KEY = "AKIDEXAMPLE";
    static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})");

    String previousKey;
    String previousSecret;

    @BeforeEach
    void awsCredentialsInTheDefaultChain() {
        // System properties come first in the AWS SDK's default chain, before the environment and the profile.
        previousKey = System.setProperty("aws.accessKeyId", ACCESS_KEY);
        previousSecret = System.setProperty("aws.secretAccessKey", SECRET_KEY);
    }

    @AfterEach
    void restore() {
        restore("aws.accessKeyId", previousKey);
        restore("aws.secretAccessKey", previousSecret);
    }

    private static void restore(String name, String value) {
        if (value == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, value);
        }
    }

    @Test
    void theVerifierReproducesAwsPublishedTestVectors() {
        Map<String, List<String>> headers = Map.of("host", List.of("example.amazonaws.com"), "x-amz-date", List.of("20150830T123600Z"));
        // get-vanilla
        assertThat(SigV4Verifier.signature(SECRET_KEY, "GET", "/", null, headers, "host;x-amz-date", new byte[0],
                "20150830T123600Z", "us-east-1", "service"))
                .isEqualTo("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        // get-vanilla-query-order-key-case: the query is sorted before signing
        assertThat(SigV4Verifier.signature(SECRET_KEY, "GET", "/", "Param2=value2&Param1=value1", headers, "host;x-amz-date",
                new byte[0], "20150830T123600Z", "us-east-1", "service"))
                .isEqualTo("b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
    }

    @Test
    void everyRequestToADomainIsSignedAsAwsSpecifies() throws Exception {
        try (FakeElasticsearch domain = FakeElasticsearch.http().answering(200, "{\"acknowledged\":true}")) {
            ElasticsearchSettings settings = ElasticsearchSettings.defaults().withHosts(List.of(domain.url()))
                    .withSigV4("ap-southeast-2", "es").resolve(Map.of());
            try (RestClient client = ElasticsearchClients.restClient(settings).build()) {
                client.performRequest(new Request("GET", "/"));
                Request put = new Request("PUT", "/sensor-readings/_doc/default:1:1732147200000");
                put.addParameter("refresh", "wait_for");
                put.setJsonEntity("{\"network\":\"default\",\"node\":\"1\",\"temperature\":61.5}");
                client.performRequest(put);
                Request bulk = new Request("POST", "/_bulk");
                bulk.setJsonEntity("{\"index\":{\"_index\":\"sensor-readings\",\"_id\":\"x\"}}\n{\"node\":\"2\"}\n");
                client.performRequest(bulk);
            }

            assertThat(domain.received).hasSize(3);
            for (FakeElasticsearch.Received r : domain.received) {
                Matcher auth = AUTHORIZATION.matcher(r.authorization);
                assertThat(auth.matches()).as("Authorization of %s %s: %s", r.method, r.path, r.authorization).isTrue();
                String amzDate = r.headers.get("x-amz-date").get(0);
                assertThat(auth.group(1)).isEqualTo(ACCESS_KEY);
                assertThat(auth.group(2)).isEqualTo(amzDate.substring(0, 8));
                assertThat(auth.group(3)).isEqualTo("ap-southeast-2");
                assertThat(auth.group(4)).isEqualTo("es");
                assertThat(List.of(auth.group(5).split(";"))).contains("host", "x-amz-date");
                String expected = SigV4Verifier.signature(SECRET_KEY, r.method, r.path, r.rawQuery, r.headers,
                        auth.group(5), r.body.getBytes(StandardCharsets.UTF_8), amzDate, "ap-southeast-2", "es");
                assertThat(auth.group(6)).as("signature of %s %s?%s", r.method, r.path, r.rawQuery).isEqualTo(expected);
                // and it is sensitive to what was signed: another body, another signature
                assertThat(SigV4Verifier.signature(SECRET_KEY, r.method, r.path, r.rawQuery, r.headers, auth.group(5),
                        (r.body + " ").getBytes(StandardCharsets.UTF_8), amzDate, "ap-southeast-2", "es"))
                        .isNotEqualTo(auth.group(6));
            }
        }
    }

    @Test
    void signingAndElasticsearchCredentialsExcludeEachOther() {
        assertThatThrownBy(() -> ElasticsearchSettings.defaults().withSigV4("ap-southeast-2", "es")
                .resolve(Map.of("BUSHFIRE_ES_API_KEY", "id:key")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--es-sigv4-region")
                .hasMessageNotContaining("id:key");
        assertThatThrownBy(() -> ElasticsearchSettings.defaults().withSigV4("sydney", "es").validate())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--es-sigv4-region");
    }
}
