package org.bushfire.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.bushfire.domain.Alert;
import org.bushfire.domain.GeoPoint;
import org.bushfire.domain.IncidentMessage;
import org.junit.jupiter.api.Test;

class IncidentDocumentsTest {
    static final long T0 = AlertDocumentsTest.T0;

    /** Message {@code sequence} of the fire of {@link AlertDocumentsTest#alert}: a square hull 1 km a side. */
    static IncidentMessage message(int sequence, IncidentMessage.Stage stage, IncidentMessage.Reason reason) {
        Alert alert = AlertDocumentsTest.alert(true);
        IncidentMessage m = new IncidentMessage();
        m.alertId = alert.alertId;
        m.messageId = IncidentMessage.idOf(alert.alertId, sequence);
        m.sequence = sequence;
        m.stage = stage;
        m.reason = reason;
        m.network = alert.network;
        m.fireRoot = alert.fireRoot;
        m.fireRootNumeric = alert.fireRootNumeric;
        m.fireRootOnsetTimestamp = alert.fireRootOnsetTimestamp;
        m.firstChain = alert.chain;
        m.sentTimestamp = T0 + sequence * 600_000L;
        m.lastOnsetTimestamp = T0 + sequence * 540_000L;
        m.burningSensors = 5 * sequence;
        m.positionedSensors = 4 * sequence;
        m.hull = new GeoPoint[] {new GeoPoint(-33.75, 150.30), new GeoPoint(-33.75, 150.31),
            new GeoPoint(-33.74, 150.31), new GeoPoint(-33.74, 150.30)};
        m.areaKm2 = 1.03;
        m.centroid = new GeoPoint(-33.745, 150.305);
        m.boundingBoxMin = new GeoPoint(-33.75, 150.30);
        m.boundingBoxMax = new GeoPoint(-33.74, 150.31);
        m.headingDegrees = 45.0;
        m.rateOfSpreadMetresPerMinute = 12.5;
        return m;
    }

    @Test
    void aMessageIsItsFiresAlertDocumentWithTheIncidentsLatestState() {
        IncidentMessage m = message(3, IncidentMessage.Stage.UPDATE, IncidentMessage.Reason.MILESTONE);
        Map<String, Object> doc = IncidentDocuments.document(m);

        assertThat(IncidentDocuments.id(m)).isEqualTo(AlertDocumentsTest.alert(true).alertId);
        Map<String, Object> alertDoc = AlertDocuments.document(AlertDocumentsTest.alert(true));
        assertThat(doc).containsAllEntriesOf(alertDoc).containsOnlyKeys(
                concat(alertDoc.keySet(), "incident"));
        @SuppressWarnings("unchecked")
        Map<String, Object> incident = (Map<String, Object>) doc.get("incident");
        assertThat(incident).containsEntry("messageId", AlertDocumentsTest.alert(true).alertId + ".3")
                .containsEntry("sequence", 3)
                .containsEntry("stage", "UPDATE")
                .containsEntry("reason", "MILESTONE")
                .containsEntry("sentTime", "2024-11-21T00:30:00Z")
                .containsEntry("lastOnsetTime", "2024-11-21T00:27:00Z")
                .containsEntry("burningSensors", 15)
                .containsEntry("positionedSensors", 12)
                .containsEntry("areaKm2", 1.03)
                .containsEntry("centroid", Map.of("lat", -33.745, "lon", 150.305))
                .containsEntry("boundingBoxMin", Map.of("lat", -33.75, "lon", 150.30))
                .containsEntry("boundingBoxMax", Map.of("lat", -33.74, "lon", 150.31))
                .containsEntry("headingDegrees", 45.0)
                .containsEntry("rateOfSpreadMetresPerMinute", 12.5);
        assertThat(incident.get("hull")).isEqualTo(List.of(Map.of("lat", -33.75, "lon", 150.30),
                Map.of("lat", -33.75, "lon", 150.31), Map.of("lat", -33.74, "lon", 150.31),
                Map.of("lat", -33.74, "lon", 150.30)));
    }

    @Test
    void whatCannotBeEstimatedIsLeftOut() {
        IncidentMessage m = message(1, IncidentMessage.Stage.ALERT, IncidentMessage.Reason.FIRST_CHAIN);
        m.hull = new GeoPoint[0];
        m.centroid = null;
        m.boundingBoxMin = null;
        m.boundingBoxMax = null;
        m.headingDegrees = null;
        m.rateOfSpreadMetresPerMinute = null;
        @SuppressWarnings("unchecked")
        Map<String, Object> incident = (Map<String, Object>) IncidentDocuments.document(m).get("incident");
        assertThat(incident).doesNotContainKeys("hull", "centroid", "boundingBoxMin", "boundingBoxMax",
                "headingDegrees", "rateOfSpreadMetresPerMinute").containsEntry("stage", "ALERT");
    }

    @Test
    void everyFieldOfTheDocumentIsInTheAlertsTemplate() {
        Map<String, String> mapped = IndexTemplates.fieldTypes(
                IndexTemplates.resource(IndexTemplates.ALERTS_TEMPLATE).path("template").path("mappings"));
        Map<String, Object> doc = IncidentDocuments.document(message(2, IncidentMessage.Stage.UPDATE,
                IncidentMessage.Reason.PERIODIC));
        @SuppressWarnings("unchecked")
        Map<String, Object> incident = (Map<String, Object>) doc.get("incident");
        for (String field : incident.keySet()) {
            assertThat(mapped).as("incident.%s is mapped", field).containsKey("incident." + field);
        }
        assertThat(mapped).containsEntry("incident.hull", "geo_point").containsEntry("incident.centroid", "geo_point")
                .containsEntry("incident.sentTime", "date").containsEntry("incident.stage", "keyword");
    }

    private static String[] concat(java.util.Set<String> keys, String extra) {
        List<String> all = new java.util.ArrayList<>(keys);
        all.add(extra);
        return all.toArray(String[]::new);
    }
}
