package org.bushfire.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The template files as the dashboards see them, and how installation fails; the real node is in the integration test. */
class IndexTemplatesTest {
    @Test
    void readingsTemplateMapsEveryReadingField() {
        ObjectNode template = IndexTemplates.resource(IndexTemplates.READINGS_TEMPLATE);

        assertThat(template.get("index_patterns").get(0).asText()).isEqualTo("sensor-readings*");
        assertThat(template.at("/template/settings/number_of_replicas").asInt()).isZero();
        assertThat(template.at("/template/mappings/dynamic").asText()).isEqualTo("strict");
        assertThat(IndexTemplates.fieldTypes(template.at("/template/mappings"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "network", "keyword", "node", "keyword", "eventTime", "date", "temperature", "double",
                "infectedBy", "keyword", "location", "geo_point", "hot", "boolean"));
    }

    @Test
    void alertsTemplateMapsEveryAlertField() {
        ObjectNode template = IndexTemplates.resource(IndexTemplates.ALERTS_TEMPLATE);

        assertThat(template.get("index_patterns").get(0).asText()).isEqualTo("bushfire-alerts*");
        assertThat(IndexTemplates.fieldTypes(template.at("/template/mappings"))).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("alertId", "keyword"), Map.entry("network", "keyword"), Map.entry("fireRoot", "keyword"),
                Map.entry("fireRootOnsetTime", "date"), Map.entry("chain", "keyword"), Map.entry("chainLength", "integer"),
                Map.entry("completedTime", "date"), Map.entry("onsets", "object"), Map.entry("onsets.node", "keyword"),
                Map.entry("onsets.onsetTime", "date"), Map.entry("onsets.temperature", "double"),
                Map.entry("onsets.infectedBy", "keyword"), Map.entry("onsets.location", "geo_point"),
                Map.entry("positions", "geo_point"), Map.entry("incident", "object"),
                Map.entry("incident.messageId", "keyword"), Map.entry("incident.sequence", "integer"),
                Map.entry("incident.stage", "keyword"), Map.entry("incident.reason", "keyword"),
                Map.entry("incident.sentTime", "date"), Map.entry("incident.lastOnsetTime", "date"),
                Map.entry("incident.burningSensors", "integer"), Map.entry("incident.milestone", "integer"),
                Map.entry("incident.positionedSensors", "integer"), Map.entry("incident.areaKm2", "double"),
                Map.entry("incident.hull", "geo_point"), Map.entry("incident.centroid", "geo_point"),
                Map.entry("incident.boundingBoxMin", "geo_point"), Map.entry("incident.boundingBoxMax", "geo_point"),
                Map.entry("incident.headingDegrees", "double"),
                Map.entry("incident.rateOfSpreadMetresPerMinute", "double")));
    }

    @Test
    void installedTemplatesFollowTheConfiguredIndexAndReplicas() {
        ElasticsearchSettings settings = ElasticsearchSettings.defaults().withReadingsIndex("ridge-readings")
                .withAlertsIndex("ridge-alerts").withReplicas(2);

        ObjectNode readings = IndexTemplates.readingsTemplate(settings);
        ObjectNode alerts = IndexTemplates.alertsTemplate(settings);

        assertThat(readings.get("index_patterns")).hasSize(1);
        assertThat(readings.get("index_patterns").get(0).asText()).isEqualTo("ridge-readings*");
        assertThat(alerts.get("index_patterns").get(0).asText()).isEqualTo("ridge-alerts*");
        assertThat(readings.at("/template/settings/number_of_replicas").asInt()).isEqualTo(2);
        JsonNode resource = IndexTemplates.resource(IndexTemplates.READINGS_TEMPLATE);
        assertThat(readings.at("/template/mappings")).isEqualTo(resource.at("/template/mappings"));
        assertThat(readings.get("priority").asLong())
                .as("the file's priority plus the name's length").isEqualTo(resource.get("priority").asLong() + 14);
    }

    @Test
    void anUnreachableNodeFailsFastNamingTheOption() {
        ElasticsearchSettings settings = ElasticsearchSettings.defaults().withHosts(List.of("http://127.0.0.1:1"));

        long start = System.nanoTime();
        assertThatThrownBy(() -> IndexTemplates.install(settings))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot reach Elasticsearch at http://127.0.0.1:1 (--es-hosts)");
        assertThat((System.nanoTime() - start) / 1_000_000).as("ms to fail").isLessThan(10_000);
    }

    @Test
    void refusedCredentialsAreNamed() {
        try (FakeElasticsearch es = FakeElasticsearch.http().answering(401,
                "{\"error\":{\"type\":\"security_exception\",\"reason\":\"unable to authenticate user [bushfire]\"},\"status\":401}")) {
            ElasticsearchSettings settings = ElasticsearchSettings.defaults().withHosts(List.of(es.url()))
                    .resolve(Map.of("BUSHFIRE_ES_USERNAME", "bushfire", "BUSHFIRE_ES_PASSWORD", "nope-pw"));

            assertThatThrownBy(() -> IndexTemplates.install(settings))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("refused to install index template 'sensor-readings'")
                    .hasMessageContaining("HTTP 401")
                    .hasMessageContaining("unable to authenticate")
                    .hasMessageContaining("BUSHFIRE_ES_USERNAME")
                    .hasMessageContaining("--es-credentials-file")
                    .hasMessageNotContaining("nope-pw");
            assertThat(es.received.get(0).method).isEqualTo("PUT");
            assertThat(es.received.get(0).path).isEqualTo("/_index_template/sensor-readings");
        }
    }

    @Test
    void missingPrivilegesAreNamed() {
        try (FakeElasticsearch es = FakeElasticsearch.http().answering(403,
                "{\"error\":{\"type\":\"security_exception\",\"reason\":\"action [indices:admin/index_template/put] is unauthorized\"}}")) {
            ElasticsearchSettings settings = ElasticsearchSettings.defaults().withHosts(List.of(es.url()));

            assertThatThrownBy(() -> IndexTemplates.install(settings))
                    .hasMessageContaining("HTTP 403")
                    .hasMessageContaining("manage_index_templates");
        }
    }
}
