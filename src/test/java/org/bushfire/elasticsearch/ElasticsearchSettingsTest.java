package org.bushfire.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.http.HttpHost;
import org.bushfire.elasticsearch.ElasticsearchSettings.Backoff;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElasticsearchSettingsTest {
    static final String PASSWORD = "s3cr3t-Pa55";
    static final String API_KEY = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";

    @TempDir
    Path dir;

    static ElasticsearchSettings defaults() {
        return ElasticsearchSettings.defaults();
    }

    @Test
    void defaultsSuitALocalNode() {
        ElasticsearchSettings s = defaults().validate();

        assertThat(s.hosts()).containsExactly("http://127.0.0.1:9200");
        assertThat(s.readingsIndex()).isEqualTo("sensor-readings");
        assertThat(s.alertsIndex()).isEqualTo("bushfire-alerts");
        assertThat(s.replicas()).isZero();
        assertThat(s.bulkFlushMaxActions()).isEqualTo(1000);
        assertThat(s.bulkFlushMaxSizeMb()).isEqualTo(5);
        assertThat(s.bulkFlushInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.backoff()).isEqualTo(Backoff.EXPONENTIAL);
        assertThat(s.backoffRetries()).isEqualTo(8);
        assertThat(s.backoffDelay()).isEqualTo(Duration.ofMillis(50));
        assertThat(s.resolve(Map.of()).credentials().kind()).isEqualTo(Credentials.Kind.NONE);
    }

    @Test
    void hostsParseWithTheSchemesPortWhenNoneIsGiven() {
        HttpHost[] hosts = defaults().withHosts(List.of("https://es.example", "http://10.0.0.5:9201", "HTTPS://es2.example:9243/"))
                .httpHosts();

        assertThat(hosts).extracting(HttpHost::toURI)
                .containsExactly("https://es.example:443", "http://10.0.0.5:9201", "https://es2.example:9243");
        assertThat(defaults().withHosts(List.of("http://a:1", "https://b:2")).hasHttpsHost()).isTrue();
        assertThat(defaults().hasHttpsHost()).isFalse();
    }

    @Test
    void validationNamesTheOptionToFix() {
        expectInvalid(s -> s.withHosts(List.of()), "--es-hosts");
        expectInvalid(s -> s.withHosts(List.of("127.0.0.1:9200")), "--es-hosts", "http://");
        expectInvalid(s -> s.withHosts(List.of("ftp://es:21")), "--es-hosts");
        expectInvalid(s -> s.withHosts(List.of("http://es:9200/prefix")), "--es-hosts", "path");
        expectInvalid(s -> s.withHosts(List.of("http://es:9200", " ")), "--es-hosts");
        expectInvalid(s -> s.withReadingsIndex("Sensor-Readings"), "--es-readings-index", "lowercase");
        expectInvalid(s -> s.withReadingsIndex("_readings"), "--es-readings-index");
        expectInvalid(s -> s.withReadingsIndex("a/b"), "--es-readings-index");
        expectInvalid(s -> s.withReadingsIndex(""), "--es-readings-index");
        expectInvalid(s -> s.withAlertsIndex("alerts*"), "--es-alerts-index");
        expectInvalid(s -> s.withAlertsIndex("x".repeat(256)), "--es-alerts-index", "255");
        expectInvalid(s -> s.withAlertsIndex("sensor-readings"), "--es-alerts-index", "differ");
        expectInvalid(s -> s.withAlertsIndex("sensor-readings-alerts"), "--es-alerts-index", "overlap");
        expectInvalid(s -> s.withReadingsIndex("bushfire"), "--es-readings-index", "overlap");
        expectInvalid(s -> s.withReplicas(-1), "--es-replicas");
        expectInvalid(s -> s.withBulkFlushMaxActions(0), "--es-bulk-max-actions");
        expectInvalid(s -> s.withBulkFlushMaxSizeMb(0), "--es-bulk-max-size-mb");
        expectInvalid(s -> s.withBulkFlushInterval(Duration.ZERO), "--es-bulk-flush-interval");
        expectInvalid(s -> s.withBulkFlushInterval(null), "--es-bulk-flush-interval");
        expectInvalid(s -> s.withBackoff(Backoff.EXPONENTIAL, 0, Duration.ofMillis(50)), "--es-backoff-retries");
        expectInvalid(s -> s.withBackoff(Backoff.CONSTANT, 3, Duration.ZERO), "--es-backoff-delay");
        expectInvalid(s -> s.withHosts(List.of("https://es:9200")).withCaCertificate(dir.resolve("ca.pem"))
                .withTruststore(dir.resolve("t.p12")), "--es-ca-cert", "--es-truststore");
        expectInvalid(s -> s.withCaCertificate(dir.resolve("ca.pem")), "--es-ca-cert", "https");
        expectInvalid(s -> s.withTruststore(dir.resolve("t.p12")), "--es-truststore", "https");

        assertThat(defaults().withBackoff(Backoff.NONE, 0, Duration.ZERO).validate().backoff()).isEqualTo(Backoff.NONE);
    }

    @Test
    void aHostWithCredentialsIsRefusedWithoutRepeatingThem() {
        assertThatThrownBy(() -> defaults().withHosts(List.of("https://elastic:" + PASSWORD + "@es:9200")).validate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--es-hosts")
                .hasMessageContaining("BUSHFIRE_ES_USERNAME")
                .hasMessageNotContaining(PASSWORD);
        assertThat(defaults().withHosts(List.of("https://elastic:" + PASSWORD + "@es:9200")).toString())
                .doesNotContain(PASSWORD).contains("https://<redacted>@es:9200");
    }

    @Test
    void basicAuthFromTheEnvironment() {
        ElasticsearchSettings s = defaults().resolve(Map.of("BUSHFIRE_ES_USERNAME", "bushfire", "BUSHFIRE_ES_PASSWORD", PASSWORD));

        assertThat(s.isResolved()).isTrue();
        assertThat(s.credentials()).isEqualTo(Credentials.basic("bushfire", PASSWORD));
        assertThat(s.credentials().authorizationHeader()).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString(("bushfire:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void apiKeyFromTheEnvironmentEncodedOrAsIdAndKey() {
        assertThat(defaults().resolve(Map.of("BUSHFIRE_ES_API_KEY", API_KEY)).credentials().authorizationHeader())
                .isEqualTo("ApiKey " + API_KEY);
        assertThat(defaults().resolve(Map.of("BUSHFIRE_ES_API_KEY", "VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw"))
                .credentials().authorizationHeader()).isEqualTo("ApiKey " + API_KEY);
    }

    @Test
    void incompleteOrConflictingEnvironmentCredentialsAreRefused() {
        assertThatThrownBy(() -> defaults().resolve(Map.of("BUSHFIRE_ES_USERNAME", "bushfire")))
                .hasMessageContaining("BUSHFIRE_ES_PASSWORD");
        assertThatThrownBy(() -> defaults().resolve(Map.of("BUSHFIRE_ES_PASSWORD", PASSWORD)))
                .hasMessageContaining("BUSHFIRE_ES_USERNAME").hasMessageNotContaining(PASSWORD);
        assertThatThrownBy(() -> defaults().resolve(Map.of("BUSHFIRE_ES_USERNAME", "u", "BUSHFIRE_ES_PASSWORD", PASSWORD,
                "BUSHFIRE_ES_API_KEY", API_KEY)))
                .hasMessageContaining("BUSHFIRE_ES_API_KEY").hasMessageNotContaining(PASSWORD).hasMessageNotContaining(API_KEY);
        assertThat(defaults().resolve(Map.of("BUSHFIRE_ES_USERNAME", " ", "BUSHFIRE_ES_PASSWORD", "")).credentials())
                .as("blank counts as unset").isEqualTo(Credentials.none());
    }

    @Test
    void credentialsFileWinsOverTheEnvironment() throws Exception {
        Path file = Files.writeString(dir.resolve("es.credentials"),
                "# bushfire writer\n\n  username = bushfire \npassword=" + PASSWORD + "\r\n");

        ElasticsearchSettings s = defaults().withCredentialsFile(file)
                .resolve(Map.of("BUSHFIRE_ES_API_KEY", API_KEY));

        assertThat(s.credentials()).isEqualTo(Credentials.basic("bushfire", PASSWORD));
        assertThat(s.credentialsFile()).isEqualTo(file.toString());
    }

    @Test
    void apiKeyFromACredentialsFile() throws Exception {
        Path file = Files.writeString(dir.resolve("es.credentials"), "api_key=" + API_KEY + "\n");

        assertThat(defaults().withCredentialsFile(file).resolve(Map.of()).credentials()).isEqualTo(Credentials.apiKey(API_KEY));
    }

    @Test
    void badCredentialsFilesAreNamedWithoutTheirSecrets() throws Exception {
        expectUnresolvable(dir.resolve("missing"), "--es-credentials-file", "cannot read");
        expectUnresolvable(Files.writeString(dir.resolve("empty"), "# nothing\n"), "--es-credentials-file", "no credentials");
        expectUnresolvable(Files.writeString(dir.resolve("typo"), "username=u\npasword=" + PASSWORD + "\n"),
                "--es-credentials-file", "unknown key 'pasword'");
        // A line holding only a secret reads as a key without a value: it must not be echoed.
        expectUnresolvable(Files.writeString(dir.resolve("no-eq"), PASSWORD + "\n"), "--es-credentials-file", "not key=value");
        expectUnresolvable(Files.writeString(dir.resolve("twice"), "username=u\npassword=a\npassword=" + PASSWORD + "\n"),
                "--es-credentials-file", "twice");
        expectUnresolvable(Files.writeString(dir.resolve("half"), "username=u\n"), "--es-credentials-file", "password");
        expectUnresolvable(Files.writeString(dir.resolve("both"), "username=u\npassword=" + PASSWORD + "\napi_key=" + API_KEY),
                "--es-credentials-file", "not both");
    }

    @Test
    void theCredentialsFileIsAPropertiesFile() throws Exception {
        // Properties syntax: ':' separates too, '!' comments, a backslash escapes; values are trimmed.
        Path file = Files.writeString(dir.resolve("props"), "! a comment\nusername : bushfire\npassword=a\\\\b  \n");

        assertThat(defaults().withCredentialsFile(file).resolve(Map.of()).credentials())
                .isEqualTo(Credentials.basic("bushfire", "a\\b"));
    }

    @Test
    void toStringRedactsSecrets() throws Exception {
        ElasticsearchSettings basic = defaults().resolve(Map.of("BUSHFIRE_ES_USERNAME", "bushfire", "BUSHFIRE_ES_PASSWORD", PASSWORD));
        ElasticsearchSettings apiKey = defaults().resolve(Map.of("BUSHFIRE_ES_API_KEY", API_KEY));
        String fromIdAndKey = defaults().resolve(Map.of("BUSHFIRE_ES_API_KEY", "id1:" + PASSWORD)).toString();

        assertThat(basic.toString()).doesNotContain(PASSWORD).contains("bushfire").contains("redacted");
        assertThat(apiKey.toString()).doesNotContain(API_KEY).doesNotContain(API_KEY.substring(0, 12)).contains("redacted");
        assertThat(fromIdAndKey).doesNotContain(PASSWORD);
        assertThat(basic.credentials().toString()).doesNotContain(PASSWORD);
        assertThat(defaults().toString()).contains("credentials=unresolved");
    }

    @Test
    void resolvedSettingsTravelToTheTaskManagersWithTheirSecrets() throws Exception {
        ElasticsearchSettings s = defaults().withReadingsIndex("r1").withAlertsIndex("a1")
                .resolve(Map.of("BUSHFIRE_ES_API_KEY", API_KEY));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        ElasticsearchSettings copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (ElasticsearchSettings) in.readObject();
        }

        assertThat(copy.isResolved()).isTrue();
        assertThat(copy.credentials()).isEqualTo(Credentials.apiKey(API_KEY));
        assertThat(copy.readingsIndex()).isEqualTo("r1");
        assertThat(copy.toString()).isEqualTo(s.toString());
    }

    @Test
    void anyChangeAfterResolvingAsksForANewResolution() {
        ElasticsearchSettings resolved = defaults().resolve(Map.of("BUSHFIRE_ES_API_KEY", API_KEY));

        assertThat(resolved.withReadingsIndex("other").isResolved()).isFalse();
        assertThat(resolved.resolved()).isSameAs(resolved);
    }

    private static void expectInvalid(UnaryOperator<ElasticsearchSettings> change, String... messageParts) {
        var thrown = assertThatThrownBy(() -> change.apply(defaults()).validate()).isInstanceOf(IllegalArgumentException.class);
        for (String part : messageParts) {
            thrown.hasMessageContaining(part);
        }
    }

    private static void expectUnresolvable(Path credentialsFile, String... messageParts) {
        var thrown = assertThatThrownBy(() -> defaults().withCredentialsFile(credentialsFile).resolve(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining(PASSWORD)
                .hasMessageNotContaining(API_KEY);
        for (String part : messageParts) {
            thrown.hasMessageContaining(part);
        }
    }
}
