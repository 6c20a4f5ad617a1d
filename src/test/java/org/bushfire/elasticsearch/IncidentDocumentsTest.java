package org.bushfire.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bushfire.domain.Alert;
import org.bushfire.domain.IncidentMessage;
import org.bushfire.testing.IncidentFixtures;
import org.junit.jupiter.api.Test;

class IncidentDocumentsTest {
    @Test
    void aMessageIsItsFiresAlertDocumentWithTheIncidentsLatestState() {
        IncidentMessage m = IncidentFixtures.update("ridge");
        Map<String, Object> doc = IncidentDocuments.document(m);

        assertThat(IncidentDocuments.id(m)).isEqualTo(Alert.idOf("ridge", "1", IncidentFixtures.T0));
        Map<String, Object> alertDoc = AlertDocuments.document(alertOf(m));
        List<String> keys = new ArrayList<>(alertDoc.keySet());
        keys.add("incident");
        assertThat(doc).containsAllEntriesOf(alertDoc).containsOnlyKeys(keys);
        assertThat(doc).containsEntry("chain", List.of("1", "2", "3", "4", "5"))
                .containsEntry("completedTime", "2024-11-21T00:04:00Z");
        @SuppressWarnings("unchecked")
        Map<String, Object> incident = (Map<String, Object>) doc.get("incident");
        assertThat(incident).containsEntry("messageId", m.alertId + ".2")
                .containsEntry("sequence", 2)
                .containsEntry("stage", "UPDATE")
                .containsEntry("reason", "MILESTONE")
                .containsEntry("sentTime", "2024-11-21T00:20:00.500Z")
                .containsEntry("lastOnsetTime", "2024-11-21T00:20:00.500Z")
                .containsEntry("burningSensors", 10)
                .containsEntry("milestone", 10)
                .containsEntry("positionedSensors", 10)
                .containsEntry("areaKm2", 20.6)
                .containsEntry("centroid", Map.of("lat", -33.715, "lon", 150.32))
                .containsEntry("boundingBoxMin", Map.of("lat", -33.74, "lon", 150.30))
                .containsEntry("boundingBoxMax", Map.of("lat", -33.69, "lon", 150.34))
                .containsEntry("headingDegrees", 45.0)
                .containsEntry("rateOfSpreadMetresPerMinute", 30.0);
        assertThat(incident.get("hull")).isEqualTo(List.of(Map.of("lat", -33.74, "lon", 150.30),
                Map.of("lat", -33.74, "lon", 150.34), Map.of("lat", -33.69, "lon", 150.34),
                Map.of("lat", -33.69, "lon", 150.30)));
    }

    @Test
    void whatCannotBeEstimatedIsLeftOut() {
        @SuppressWarnings("unchecked")
        Map<String, Object> incident = (Map<String, Object>) IncidentDocuments.document(
                IncidentFixtures.alert("ridge", false)).get("incident");
        assertThat(incident).doesNotContainKeys("hull", "centroid", "boundingBoxMin", "boundingBoxMax",
                "headingDegrees", "rateOfSpreadMetresPerMinute").containsEntry("stage", "ALERT");
    }

    @Test
    void everyFieldOfTheDocumentIsInTheAlertsTemplate() {
        Map<String, String> mapped = IndexTemplates.fieldTypes(
                IndexTemplates.resource(IndexTemplates.ALERTS_TEMPLATE).path("template").path("mappings"));
        @SuppressWarnings("unchecked")
        Map<String, Object> incident = (Map<String, Object>) IncidentDocuments.document(
                IncidentFixtures.update("ridge")).get("incident");
        for (String field : incident.keySet()) {
            assertThat(mapped).as("incident.%s is mapped", field).containsKey("incident." + field);
        }
        assertThat(mapped).containsEntry("incident.hull", "geo_point").containsEntry("incident.centroid", "geo_point")
                .containsEntry("incident.sentTime", "date").containsEntry("incident.stage", "keyword");
    }

    /** The alert that message 1 of the same fire announced, as the alert path writes it. */
    private static Alert alertOf(IncidentMessage m) {
        Alert a = new Alert();
        a.alertId = m.alertId;
        a.network = m.network;
        a.fireRoot = m.fireRoot;
        a.fireRootNumeric = m.fireRootNumeric;
        a.fireRootOnsetTimestamp = m.fireRootOnsetTimestamp;
        a.chain = m.firstChain;
        a.completedTimestamp = m.firstChain[m.firstChain.length - 1].timestamp();
        return a;
    }
}
