package org.bushfire.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bushfire.domain.Alert;
import org.bushfire.domain.InfectionChain;
import org.bushfire.domain.Onset;
import org.bushfire.domain.Reading;
import org.bushfire.domain.SensorId;
import org.junit.jupiter.api.Test;

class AlertDocumentsTest {
    static final long T0 = 1732147200000L; // 2024-11-21T00:00:00Z

    static final double[] LAT = {0, -33.71, -33.72, -33.73, -33.74, -33.75};
    static final double[] LON = {0, 150.31, 150.32, 150.33, 150.34, 150.35};

    static Alert alert(boolean withPositions) {
        List<Onset> onsets = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            Reading r = new Reading("default", String.valueOf(i), T0 + i * 60_000L, 50.0 + i, i == 1 ? null : String.valueOf(i - 1));
            if (withPositions && i != 3) {
                r.lat = LAT[i];
                r.lon = LON[i];
            }
            onsets.add(new Onset(r).withFireRoot(new SensorId("1", true), T0 + 60_000L));
        }
        return Alert.of(new InfectionChain(onsets));
    }

    @Test
    void alertDocumentNamesTheFireItsChainAndItsOnsets() {
        Alert a = alert(true);
        Map<String, Object> doc = AlertDocuments.document(a);

        assertThat(AlertDocuments.id(a)).isEqualTo(a.alertId).matches("[0-9a-f-]{36}");
        assertThat(doc).containsEntry("alertId", a.alertId)
                .containsEntry("network", "default")
                .containsEntry("fireRoot", "1")
                .containsEntry("fireRootOnsetTime", "2024-11-21T00:01:00Z")
                .containsEntry("chain", List.of("1", "2", "3", "4", "5"))
                .containsEntry("chainLength", 5)
                .containsEntry("completedTime", "2024-11-21T00:05:00Z");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> onsets = (List<Map<String, Object>>) doc.get("onsets");
        assertThat(onsets).hasSize(5);
        assertThat(onsets.get(0)).containsEntry("node", "1").containsEntry("onsetTime", "2024-11-21T00:01:00Z")
                .containsEntry("temperature", 51.0).doesNotContainKey("infectedBy")
                .containsEntry("location", Map.of("lat", -33.71, "lon", 150.31));
        assertThat(onsets.get(1)).containsEntry("infectedBy", "1");
        assertThat(onsets.get(2)).doesNotContainKey("location");
        assertThat(doc.get("positions")).isEqualTo(List.of(
                Map.of("lat", -33.71, "lon", 150.31), Map.of("lat", -33.72, "lon", 150.32),
                Map.of("lat", -33.74, "lon", 150.34), Map.of("lat", -33.75, "lon", 150.35)));
    }

    @Test
    void positionsAreLeftOutWhenNoOnsetHasOne() {
        assertThat(AlertDocuments.document(alert(false))).doesNotContainKey("positions");
    }
}
