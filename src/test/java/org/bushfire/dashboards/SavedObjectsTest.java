package org.bushfire.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bushfire.elasticsearch.ElasticsearchSettings;
import org.bushfire.elasticsearch.IndexTemplates;
import org.bushfire.job.AlertingConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kibana saved objects in dashboards/bushfire-dashboards.ndjson against the job itself: every object
 * parses, every reference resolves, every field an object uses exists — with a type its aggregation
 * accepts — in the index template the job installs, and the index patterns match the job's default indices.
 */
class SavedObjectsTest {
    static final Path NDJSON = Path.of("dashboards", "bushfire-dashboards.ndjson");
    static final ObjectMapper JSON = new ObjectMapper();

    static List<JsonNode> objects;
    static Map<String, JsonNode> byTypeAndId;
    /** index-pattern id -> field name -> mapping type, from the template behind the pattern. */
    static Map<String, Map<String, String>> fieldsByPattern;

    @BeforeAll
    static void read() throws Exception {
        objects = new ArrayList<>();
        byTypeAndId = new LinkedHashMap<>();
        for (String line : Files.readAllLines(NDJSON, StandardCharsets.UTF_8)) {
            JsonNode object = JSON.readTree(line);
            objects.add(object);
            assertThat(byTypeAndId.put(object.get("type").asText() + "/" + object.get("id").asText(), object))
                    .as("duplicate " + object.get("id")).isNull();
        }
        Map<String, String> readings = fieldTypes(IndexTemplates.resource(IndexTemplates.READINGS_TEMPLATE));
        Map<String, String> alerts = fieldTypes(IndexTemplates.resource(IndexTemplates.ALERTS_TEMPLATE));
        fieldsByPattern = Map.of("bushfire-sensor-readings", readings, "bushfire-alerts", alerts);
    }

    /** Dotted field name -> mapping type of a template exactly as the job installs it. */
    static Map<String, String> fieldTypes(JsonNode template) {
        Map<String, String> types = new LinkedHashMap<>();
        collect(template.at("/template/mappings/properties"), "", types);
        assertThat(types).as("fields of the template").isNotEmpty();
        return types;
    }

    private static void collect(JsonNode properties, String prefix, Map<String, String> types) {
        properties.fields().forEachRemaining(f -> {
            JsonNode definition = f.getValue();
            types.put(prefix + f.getKey(), definition.path("type").asText("object"));
            if (definition.has("properties")) {
                collect(definition.get("properties"), prefix + f.getKey() + ".", types);
            }
        });
    }

    private static JsonNode object(String type, String id) {
        JsonNode o = byTypeAndId.get(type + "/" + id);
        assertThat(o).as(type + " " + id).isNotNull();
        return o;
    }

    private static JsonNode embedded(JsonNode object, String pointer) throws Exception {
        return JSON.readTree(object.at(pointer).asText());
    }

    @Test
    void everyObjectIsAnImportableSavedObject() {
        assertThat(objects).hasSize(7);
        Set<String> types = new HashSet<>();
        for (JsonNode o : objects) {
            assertThat(o.get("id").asText()).matches("bushfire-[a-z-]+");
            assertThat(o.get("attributes").get("title").asText()).isNotBlank();
            assertThat(o.get("references").isArray()).isTrue();
            types.add(o.get("type").asText());
            // Kibana 7.10 and OpenSearch Dashboards refuse objects migrated by a newer Kibana.
            o.get("migrationVersion").fields().forEachRemaining(v ->
                    assertThat(v.getValue().asText()).as(o.get("id") + " migrationVersion").matches("7\\.([0-9]|10)\\.[0-9]+"));
        }
        assertThat(types).containsExactlyInAnyOrder("index-pattern", "visualization", "search", "dashboard");
    }

    @Test
    void everyReferenceResolvesAndEveryReferenceNameIsUsed() throws Exception {
        for (JsonNode o : objects) {
            Set<String> names = new HashSet<>();
            for (JsonNode ref : o.get("references")) {
                object(ref.get("type").asText(), ref.get("id").asText());
                names.add(ref.get("name").asText());
            }
            Set<String> used = new HashSet<>();
            JsonNode searchSource = o.at("/attributes/kibanaSavedObjectMeta/searchSourceJSON");
            if (!searchSource.isMissingNode()) {
                JsonNode source = JSON.readTree(searchSource.asText());
                if (source.has("indexRefName")) {
                    used.add(source.get("indexRefName").asText());
                }
            }
            if (o.at("/attributes/panelsJSON").isTextual()) {
                for (JsonNode panel : embedded(o, "/attributes/panelsJSON")) {
                    used.add(panel.get("panelRefName").asText());
                }
            }
            assertThat(used).as(o.get("id") + ": names it uses").isEqualTo(names);
        }
    }

    @Test
    void theIndexPatternsAreTheJobsDefaultIndicesWithTheirEventTimes() {
        JsonNode readings = object("index-pattern", "bushfire-sensor-readings").get("attributes");
        JsonNode alerts = object("index-pattern", "bushfire-alerts").get("attributes");
        assertThat(readings.get("title").asText()).isEqualTo(ElasticsearchSettings.DEFAULT_READINGS_INDEX + "*")
                .isEqualTo(IndexTemplates.resource(IndexTemplates.READINGS_TEMPLATE).at("/index_patterns/0").asText());
        assertThat(alerts.get("title").asText()).isEqualTo(ElasticsearchSettings.DEFAULT_ALERTS_INDEX + "*")
                .isEqualTo(IndexTemplates.resource(IndexTemplates.ALERTS_TEMPLATE).at("/index_patterns/0").asText());
        assertThat(readings.get("timeFieldName").asText()).isEqualTo("eventTime");
        assertThat(fieldsByPattern.get("bushfire-sensor-readings").get("eventTime")).isEqualTo("date");
        assertThat(alerts.get("timeFieldName").asText()).isEqualTo("completedTime");
        assertThat(fieldsByPattern.get("bushfire-alerts").get("completedTime")).isEqualTo("date");
    }

    /** The mapping types each aggregation can work on. */
    static final Map<String, Set<String>> ACCEPTS = Map.of(
            "max", Set.of("double", "integer", "long", "float"),
            "top_hits", Set.of("double", "integer", "long", "float"),
            "date_histogram", Set.of("date"),
            "terms", Set.of("keyword", "boolean", "integer", "long"),
            "geohash_grid", Set.of("geo_point"));

    @Test
    void everyFieldAVisualizationUsesExistsInTheTemplateWithATypeItsAggregationAccepts() throws Exception {
        int checked = 0;
        for (JsonNode o : objects) {
            if (!o.get("type").asText().equals("visualization")) {
                continue;
            }
            Map<String, String> fields = fieldsOf(o);
            JsonNode vis = embedded(o, "/attributes/visState");
            for (JsonNode agg : vis.get("aggs")) {
                String type = agg.get("type").asText();
                String field = agg.at("/params/field").asText();
                assertThat(fields).as(o.get("id") + " uses " + field).containsKey(field);
                assertThat(ACCEPTS.get(type)).as(o.get("id") + ": " + type + " on " + field + " (" + fields.get(field) + ")")
                        .contains(fields.get(field));
                if (agg.at("/params/sortField").isTextual()) {
                    assertThat(fields.get(agg.at("/params/sortField").asText())).isEqualTo("date");
                }
                checked++;
            }
        }
        assertThat(checked).isEqualTo(6);
    }

    @Test
    void theAlertsTableShowsFieldsOfTheAlertsTemplate() {
        Map<String, String> fields = showsMappedFieldsSortedByDate(object("search", "bushfire-alerts-table"));
        assertThat(fields).containsKeys("network", "fireRoot", "chain");
    }

    @Test
    void theIncidentsTableShowsEachIncidentsStageSizeAndSpread() {
        JsonNode search = object("search", "bushfire-incidents-table");
        showsMappedFieldsSortedByDate(search);
        List<String> columns = new ArrayList<>();
        search.at("/attributes/columns").forEach(c -> columns.add(c.asText()));
        assertThat(columns).contains("incident.stage", "incident.burningSensors", "incident.areaKm2",
                "incident.headingDegrees", "incident.rateOfSpreadMetresPerMinute");
    }

    /** Every column and sort field of a saved search is a field of its index's template; sorts are by a date. */
    private static Map<String, String> showsMappedFieldsSortedByDate(JsonNode search) {
        Map<String, String> fields = fieldsOf(search);
        search.at("/attributes/columns").forEach(c -> assertThat(fields).as("column " + c).containsKey(c.asText()));
        search.at("/attributes/sort").forEach(s -> assertThat(fields.get(s.get(0).asText())).isEqualTo("date"));
        return fields;
    }

    private static Map<String, String> fieldsOf(JsonNode o) {
        String pattern = null;
        for (JsonNode ref : o.get("references")) {
            if (ref.get("type").asText().equals("index-pattern")) {
                pattern = ref.get("id").asText();
            }
        }
        assertThat(fieldsByPattern).as(o.get("id") + " index pattern").containsKey(pattern);
        return fieldsByPattern.get(pattern);
    }

    @Test
    void theHeatMapsColourScaleTurnsHotExactlyAtTheAlertThreshold() throws Exception {
        double threshold = AlertingConfig.defaults().threshold();
        JsonNode params = embedded(object("visualization", "bushfire-temperature-heatmap"), "/attributes/visState").get("params");
        assertThat(params.get("setColorRange").asBoolean()).isTrue();
        JsonNode ranges = params.get("colorsRange");
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i).get("from").asDouble()).as("contiguous").isEqualTo(ranges.get(i - 1).get("to").asDouble());
        }
        JsonNode hottest = ranges.get(ranges.size() - 1);
        assertThat(hottest.get("from").asDouble()).isEqualTo(threshold);
        assertThat(ranges.get(0).get("from").asDouble()).isLessThanOrEqualTo(-100.0); // the contract's lowest valid reading
        assertThat(hottest.get("to").asDouble()).isGreaterThanOrEqualTo(2000.0);     // and its highest
        assertThat(params.get("colorsNumber").asInt()).isEqualTo(ranges.size());
    }

    @Test
    void theDashboardCombinesTheHeatMapTheSensorMapTheAlertsAndTheIncidentsAndRefreshesItself() throws Exception {
        JsonNode dashboard = object("dashboard", "bushfire-overview");
        List<String> panels = new ArrayList<>();
        dashboard.get("references").forEach(r -> panels.add(r.get("type").asText() + "/" + r.get("id").asText()));
        assertThat(panels).containsExactly("visualization/bushfire-temperature-heatmap", "visualization/bushfire-sensor-map",
                "search/bushfire-alerts-table", "search/bushfire-incidents-table");
        JsonNode attributes = dashboard.get("attributes");
        assertThat(attributes.get("timeRestore").asBoolean()).isTrue();
        assertThat(attributes.at("/refreshInterval/pause").asBoolean()).isFalse();
        assertThat(attributes.at("/refreshInterval/value").asInt()).isBetween(1000, 60000);
        assertThat(embedded(dashboard, "/attributes/panelsJSON")).hasSize(4);
    }
}
