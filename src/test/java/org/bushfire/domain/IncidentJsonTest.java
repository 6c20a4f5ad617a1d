package org.bushfire.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.List;
import org.bushfire.testing.IncidentFixtures;
import org.junit.jupiter.api.Test;

/** {@link ContractJson#incident}: the alert's fields unchanged, then the incident's own. */
class IncidentJsonTest {
    static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void theAlertStageCarriesEveryFieldOfTheAlertJsonWithTheSameValue() throws Exception {
        IncidentMessage m = IncidentFixtures.alert("ridge-7", true);
        Alert alert = Alert.of(new InfectionChain(List.of(m.firstChain)));
        JsonNode alertJson = MAPPER.readTree(ContractJson.alert(alert));

        JsonNode json = MAPPER.readTree(ContractJson.incident(m));

        assertThat(alertJson.fieldNames()).toIterable().containsExactly("alertId", "network", "fireRoot", "chain",
                "chainLength", "completedTimestamp", "completedTime", "fireRootOnsetTimestamp", "onsets");
        for (Iterator<String> names = alertJson.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            assertThat(json.get(name)).as(name).isEqualTo(alertJson.get(name));
        }
        assertThat(json.get("alertId").asText()).isEqualTo(Alert.idOf("ridge-7", "1", IncidentFixtures.T0));
        assertThat(json.get("chain").toString()).isEqualTo("[1,2,3,4,5]");
        assertThat(json.get("completedTime").asText()).isEqualTo("2024-11-21T00:04:00Z");
        assertThat(json.get("messageId").asText()).isEqualTo(json.get("alertId").asText() + ".1");
        assertThat(json.get("sequence").asInt()).isEqualTo(1);
        assertThat(json.get("stage").asText()).isEqualTo("ALERT");
        assertThat(json.get("msgType").asText()).isEqualTo("Alert");
        assertThat(json.get("reason").asText()).isEqualTo("FIRST_CHAIN");
        assertThat(json.get("previousMessageId").isNull()).isTrue();
        assertThat(json.get("references").size()).isZero();
        assertThat(json.get("hull").size()).isZero();
        assertThat(json.get("headingDegrees").isNull()).isTrue();
        assertThat(json.get("headingCompass").isNull()).isTrue();
    }

    @Test
    void anUpdateCarriesItsPlaceInTheSequenceTheBurntAreaAndTheSpread() throws Exception {
        IncidentMessage m = IncidentFixtures.update("ridge-7");

        JsonNode json = MAPPER.readTree(ContractJson.incident(m));

        String alertId = Alert.idOf("ridge-7", "1", IncidentFixtures.T0);
        assertThat(json.get("messageId").asText()).isEqualTo(alertId + ".2");
        assertThat(json.get("sequence").asInt()).isEqualTo(2);
        assertThat(json.get("stage").asText()).isEqualTo("UPDATE");
        assertThat(json.get("msgType").asText()).isEqualTo("Update");
        assertThat(json.get("reason").asText()).isEqualTo("MILESTONE");
        assertThat(json.get("milestone").asInt()).isEqualTo(10);
        assertThat(json.get("previousMessageId").asText()).isEqualTo(alertId + ".1");
        assertThat(json.get("references").toString()).isEqualTo("[{\"messageId\":\"" + alertId + ".1\","
                + "\"sentTimestamp\":1732147440000,\"sentTime\":\"2024-11-21T00:04:00Z\"}]");
        assertThat(json.get("sentTime").asText()).isEqualTo("2024-11-21T00:20:00.500Z");
        assertThat(json.get("lastOnsetTime").asText()).isEqualTo("2024-11-21T00:20:00.500Z");
        assertThat(json.get("burningSensors").asInt()).isEqualTo(10);
        assertThat(json.get("positionedSensors").asInt()).isEqualTo(10);
        assertThat(json.get("newestOnsets").size()).isEqualTo(3);
        assertThat(json.at("/newestOnsets/0/node").asInt()).isEqualTo(10);
        assertThat(json.at("/newestOnsets/0/infectedBy").asInt()).isEqualTo(9);
        assertThat(json.at("/newestOnsets/0/lat").asDouble()).isEqualTo(-33.69);
        assertThat(json.get("areaKm2").asDouble()).isEqualTo(20.6);
        assertThat(json.get("hull").toString()).isEqualTo("[{\"lat\":-33.74,\"lon\":150.3},{\"lat\":-33.74,\"lon\":150.34},"
                + "{\"lat\":-33.69,\"lon\":150.34},{\"lat\":-33.69,\"lon\":150.3}]");
        assertThat(json.get("centroid").toString()).isEqualTo("{\"lat\":-33.715,\"lon\":150.32}");
        assertThat(json.get("boundingBox").toString())
                .isEqualTo("{\"south\":-33.74,\"west\":150.3,\"north\":-33.69,\"east\":150.34}");
        assertThat(json.get("headingDegrees").asDouble()).isEqualTo(45.0);
        assertThat(json.get("headingCompass").asText()).isEqualTo("NE");
        assertThat(json.get("rateOfSpreadMetresPerMinute").asDouble()).isEqualTo(30.0);
        assertThat(json.get("chainLength").asInt()).as("the first chain, as in the alert").isEqualTo(5);
        assertThat(json.get("completedTime").asText()).isEqualTo("2024-11-21T00:04:00Z");
    }

    @Test
    void theAllClearNamesEveryEarlierMessageAndHasNoSpread() throws Exception {
        JsonNode json = MAPPER.readTree(ContractJson.incident(IncidentFixtures.allClear("ridge-7")));

        assertThat(json.get("stage").asText()).isEqualTo("ALL_CLEAR");
        assertThat(json.get("msgType").asText()).isEqualTo("AllClear");
        assertThat(json.get("reason").asText()).isEqualTo("BURNT_OUT");
        assertThat(json.get("previousMessageId").asText()).endsWith(".2");
        assertThat(json.get("references").findValuesAsText("messageId"))
                .containsExactly(json.get("alertId").asText() + ".1", json.get("alertId").asText() + ".2");
        assertThat(json.get("headingDegrees").isNull()).isTrue();
        assertThat(json.get("rateOfSpreadMetresPerMinute").isNull()).isTrue();
    }

    @Test
    void aMessageWithoutPositionsHasNullGeometry() throws Exception {
        JsonNode json = MAPPER.readTree(ContractJson.incident(IncidentFixtures.alert("default", false)));

        assertThat(json.get("centroid").isNull()).isTrue();
        assertThat(json.get("boundingBox").isNull()).isTrue();
        assertThat(json.get("positionedSensors").asInt()).isZero();
        assertThat(json.get("areaKm2").asDouble()).isZero();
    }
}
