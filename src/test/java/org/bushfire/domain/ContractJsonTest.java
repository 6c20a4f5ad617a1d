package org.bushfire.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.bushfire.domain.ContractJson.TimeFormat;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ContractJsonTest {
    static final ObjectMapper MAPPER = new ObjectMapper();

    static JsonNode tree(String json) throws Exception {
        return MAPPER.readTree(json);
    }

    static Reading reading(String network, String node, boolean nodeNumeric, long ts, double temperature,
            String infectedBy, boolean infectedByNumeric, Double lat, Double lon) {
        Reading r = new Reading(network, node, ts, temperature, infectedBy);
        r.nodeNumeric = nodeNumeric;
        r.infectedByNumeric = infectedByNumeric;
        r.lat = lat;
        r.lon = lon;
        return r;
    }

    @Nested
    class Readings {
        static Stream<Arguments> readings() {
            List<Arguments> all = new ArrayList<>();
            Reading[] readings = {
                reading("default", "5", true, 1_732_147_260_000L, 51.0, null, false, null, null),
                reading("ridge-7", "12", true, 1_732_150_000_123L, 51.5, "11", true, -33.71, 150.31),
                reading("ridge-7", "12", false, 1_732_150_000_123L, 51.5, "11", false, -33.71, 150.31),
                reading("gully", "sensor-é", false, 1_536_240_215_713L, -12.25, "4", true, 90.0, -180.0),
                reading("7", "1", true, 1L, -100.0, "sensor-b", false, null, null),
                reading("default", "9", true, 1_732_147_200_001L, 2000.0, "8", false, 0.0, 0.0),
            };
            for (Reading r : readings) {
                for (TimeFormat f : TimeFormat.values()) {
                    all.add(Arguments.of(f, r));
                }
            }
            return all.stream();
        }

        @ParameterizedTest(name = "{0}: {1}")
        @MethodSource("readings")
        void readingParsesBackToAnEqualReading(TimeFormat format, Reading r) throws Exception {
            String json = ContractJson.reading(r, format);

            Reading back = ReadingParser.parse(json.getBytes(StandardCharsets.UTF_8));

            assertThat(back).isEqualTo(r);
            assertThat(back.nodeNumeric).isEqualTo(r.nodeNumeric);
            assertThat(back.infectedByNumeric).isEqualTo(r.infectedByNumeric);
            assertThat(back.lat).isEqualTo(r.lat);
            assertThat(back.lon).isEqualTo(r.lon);
        }

        @Test
        void epochMillisFormatWritesEventTimestampOnly() throws Exception {
            Reading r = reading("ridge-7", "12", true, 1_732_150_000_123L, 51.5, "11", true, -33.71, 150.31);

            JsonNode json = tree(ContractJson.reading(r, TimeFormat.EPOCH_MILLIS));

            assertThat(json.get("eventTimestamp").isIntegralNumber()).isTrue();
            assertThat(json.get("eventTimestamp").asLong()).isEqualTo(1_732_150_000_123L);
            assertThat(json.has("eventTime")).isFalse();
            assertThat(json.get("network").asText()).isEqualTo("ridge-7");
            assertThat(json.get("node").isIntegralNumber()).isTrue();
            assertThat(json.get("node").asInt()).isEqualTo(12);
            assertThat(json.get("infectedBy").isIntegralNumber()).isTrue();
            assertThat(json.get("infectedBy").asInt()).isEqualTo(11);
            assertThat(json.get("temperature").asDouble()).isEqualTo(51.5);
            assertThat(json.get("lat").asDouble()).isEqualTo(-33.71);
            assertThat(json.get("lon").asDouble()).isEqualTo(150.31);
        }

        @Test
        void iotRuleFormatWritesEventTimeOnly() throws Exception {
            Reading r = reading("default", "a", false, 1_536_240_215_713L, 30.0, "b", false, null, null);

            JsonNode json = tree(ContractJson.reading(r, TimeFormat.IOT_RULE));

            assertThat(json.get("eventTime").asText()).isEqualTo("2018-09-06T13:23:35.713+0000");
            assertThat(json.has("eventTimestamp")).isFalse();
            assertThat(json.get("node").isTextual()).isTrue();
            assertThat(json.get("infectedBy").isTextual()).isTrue();
        }

        @ParameterizedTest
        @EnumSource(TimeFormat.class)
        void absentInfectorAndPositionAreLeftOut(TimeFormat format) throws Exception {
            Reading r = reading("default", "5", true, 1000L, 20.0, null, false, null, null);

            JsonNode json = tree(ContractJson.reading(r, format));

            assertThat(json.has("infectedBy")).isFalse();
            assertThat(json.has("lat")).isFalse();
            assertThat(json.has("lon")).isFalse();
        }

        @Test
        void halfAPositionIsNotWritten() throws Exception {
            Reading r = reading("default", "5", true, 1000L, 20.0, null, false, -33.0, null);

            JsonNode json = tree(ContractJson.reading(r, TimeFormat.EPOCH_MILLIS));

            assertThat(json.has("lat")).isFalse();
            assertThat(json.has("lon")).isFalse();
        }
    }

    @Nested
    class Times {
        @ParameterizedTest(name = "{0} → {1}")
        @CsvSource({
                "1536240215713, 2018-09-06T13:23:35.713+0000",
                "0,             1970-01-01T00:00:00.000+0000",
                "1732147200000, 2024-11-21T00:00:00.000+0000",
                "1732147260005, 2024-11-21T00:01:00.005+0000",
                "951782400999,  2000-02-29T00:00:00.999+0000",
        })
        void iotRuleTimeIsYearMonthDayTimeMillisAndPlusZeroZeroZeroZero(long millis, String expected) {
            String time = ContractJson.iotRuleTime(millis);

            assertThat(time).isEqualTo(expected);
            assertThat(time).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\+0000");
        }

        @Test
        void isoTimeIsTheInstantInUtc() {
            assertThat(ContractJson.isoTime(1_536_240_215_713L)).isEqualTo("2018-09-06T13:23:35.713Z");
            assertThat(Instant.parse(ContractJson.isoTime(1_732_147_200_000L)).toEpochMilli())
                    .isEqualTo(1_732_147_200_000L);
        }
    }

    @Nested
    class Alerts {
        static final long T1 = 1_732_147_260_000L;
        static final long T2 = T1 + 60_000;
        static final long T3 = T2 + 60_000;

        /** 1 (numeric, ignition, with position) → "b" (string) → 3 (numeric), all of fire 1. */
        Alert alert() {
            SensorId root = new SensorId("1", true);
            Onset o1 = new Onset(reading("ridge-7", "1", true, T1, 51.0, null, false, -33.70, 150.30))
                    .withFireRoot(root, T1);
            Onset o2 = new Onset(reading("ridge-7", "b", false, T2, 52.5, "1", true, null, null))
                    .withFireRoot(root, T1);
            Onset o3 = new Onset(reading("ridge-7", "3", true, T3, 60.25, "b", false, -33.72, 150.32))
                    .withFireRoot(root, T1);
            return Alert.of(new InfectionChain(List.of(o1, o2, o3)));
        }

        @Test
        void alertCarriesIdNetworkRootAndChainInOrder() throws Exception {
            Alert a = alert();

            JsonNode json = tree(ContractJson.alert(a));

            assertThat(json.get("alertId").asText()).isEqualTo(a.alertId).isEqualTo(Alert.idOf("ridge-7", "1", T1));
            assertThat(json.get("network").asText()).isEqualTo("ridge-7");
            assertThat(json.get("fireRoot").isIntegralNumber()).as("numeric root stays a number").isTrue();
            assertThat(json.get("fireRoot").asInt()).isEqualTo(1);
            JsonNode chain = json.get("chain");
            assertThat(chain.isArray()).isTrue();
            assertThat(chain).hasSize(3);
            assertThat(chain.get(0).isIntegralNumber()).isTrue();
            assertThat(chain.get(0).asInt()).isEqualTo(1);
            assertThat(chain.get(1).isTextual()).isTrue();
            assertThat(chain.get(1).asText()).isEqualTo("b");
            assertThat(chain.get(2).isIntegralNumber()).isTrue();
            assertThat(chain.get(2).asInt()).isEqualTo(3);
            assertThat(json.get("chainLength").asInt()).isEqualTo(3);
        }

        @Test
        void alertCarriesCompletionTime() throws Exception {
            JsonNode json = tree(ContractJson.alert(alert()));

            assertThat(json.get("completedTimestamp").asLong()).isEqualTo(T3);
            assertThat(json.get("completedTime").asText()).isEqualTo("2024-11-21T00:03:00Z");
            assertThat(Instant.parse(json.get("completedTime").asText()).toEpochMilli()).isEqualTo(T3);
            assertThat(json.get("fireRootOnsetTimestamp").asLong()).isEqualTo(T1);
        }

        @Test
        void alertCarriesEachOnset() throws Exception {
            JsonNode onsets = tree(ContractJson.alert(alert())).get("onsets");

            assertThat(onsets).hasSize(3);

            JsonNode first = onsets.get(0);
            assertThat(first.get("node").asInt()).isEqualTo(1);
            assertThat(first.get("onsetTimestamp").asLong()).isEqualTo(T1);
            assertThat(first.get("onsetTime").asText()).isEqualTo("2024-11-21T00:01:00Z");
            assertThat(first.get("temperature").asDouble()).isEqualTo(51.0);
            assertThat(first.has("infectedBy")).as("infectedBy is always present").isTrue();
            assertThat(first.get("infectedBy").isNull()).isTrue();
            assertThat(first.get("lat").asDouble()).isEqualTo(-33.70);
            assertThat(first.get("lon").asDouble()).isEqualTo(150.30);

            JsonNode second = onsets.get(1);
            assertThat(second.get("node").isTextual()).isTrue();
            assertThat(second.get("node").asText()).isEqualTo("b");
            assertThat(second.get("onsetTimestamp").asLong()).isEqualTo(T2);
            assertThat(Instant.parse(second.get("onsetTime").asText()).toEpochMilli()).isEqualTo(T2);
            assertThat(second.get("temperature").asDouble()).isEqualTo(52.5);
            assertThat(second.get("infectedBy").isIntegralNumber()).isTrue();
            assertThat(second.get("infectedBy").asInt()).isEqualTo(1);
            assertThat(second.has("lat")).as("position unknown").isFalse();
            assertThat(second.has("lon")).isFalse();

            JsonNode third = onsets.get(2);
            assertThat(third.get("node").asInt()).isEqualTo(3);
            assertThat(third.get("temperature").asDouble()).isEqualTo(60.25);
            assertThat(third.get("infectedBy").isTextual()).isTrue();
            assertThat(third.get("infectedBy").asText()).isEqualTo("b");
            assertThat(third.get("lat").asDouble()).isEqualTo(-33.72);
            assertThat(third.get("lon").asDouble()).isEqualTo(150.32);
        }

        @Test
        void stringRootStaysAString() throws Exception {
            SensorId root = new SensorId("gully-a", false);
            Onset o1 = new Onset(reading("n", "gully-a", false, T1, 51.0, null, false, null, null))
                    .withFireRoot(root, T1);
            Onset o2 = new Onset(reading("n", "5", false, T2, 51.0, "gully-a", false, null, null))
                    .withFireRoot(root, T1);

            JsonNode json = tree(ContractJson.alert(Alert.of(new InfectionChain(List.of(o1, o2)))));

            assertThat(json.get("fireRoot").isTextual()).isTrue();
            assertThat(json.get("fireRoot").asText()).isEqualTo("gully-a");
            assertThat(json.get("chain").get(1).isTextual()).as("string \"5\" stays a string").isTrue();
            assertThat(json.get("chain").get(1).asText()).isEqualTo("5");
        }

        @Test
        void firstOnsetNamingAnInfectorKeepsIt() throws Exception {
            // v1 may have any infectedBy: here the chain starts at a node whose infector was not hot in time
            SensorId root = new SensorId("4", true);
            Onset o1 = new Onset(reading("n", "4", true, T1, 51.0, "3", true, null, null)).withFireRoot(root, T1);
            Onset o2 = new Onset(reading("n", "5", true, T2, 51.0, "4", true, null, null)).withFireRoot(root, T1);

            JsonNode onsets = tree(ContractJson.alert(Alert.of(new InfectionChain(List.of(o1, o2))))).get("onsets");

            assertThat(onsets.get(0).get("infectedBy").asInt()).isEqualTo(3);
        }
    }

    @Nested
    class DeadLetters {
        @Test
        void deadLetterHasKindReasonOriginAndRaw() throws Exception {
            DeadLetter d = new DeadLetter(MalformedReading.Kind.BAD_TIME, "eventTime 'x' is not ISO-8601",
                    "{\"node\":5,\"eventTime\":\"x\"}", null);
            d.origin = "readings.jsonl:7";

            JsonNode json = tree(ContractJson.deadLetter(d));

            assertThat(json.get("kind").asText()).isEqualTo("bad-time");
            assertThat(json.get("reason").asText()).isEqualTo("eventTime 'x' is not ISO-8601");
            assertThat(json.get("raw").asText()).isEqualTo("{\"node\":5,\"eventTime\":\"x\"}");
            assertThat(json.get("origin").asText()).isEqualTo("readings.jsonl:7");
            assertThat(json.has("rawBase64")).isFalse();
        }

        @Test
        void originIsLeftOutWhenUnknown() throws Exception {
            DeadLetter d = new DeadLetter(MalformedReading.Kind.EMPTY, "empty record", "", null);

            JsonNode json = tree(ContractJson.deadLetter(d));

            assertThat(json.has("origin")).isFalse();
            assertThat(json.get("raw").asText()).isEmpty();
            assertThat(json.get("kind").asText()).isEqualTo("empty");
        }

        @Test
        void rawBase64IsWrittenWhenSet() throws Exception {
            byte[] bytes = {'{', (byte) 0xff, '}'};
            DeadLetter d = ReadingDecoder.deadLetter(MalformedReading.Kind.INVALID_JSON, "not valid JSON", bytes);

            JsonNode json = tree(ContractJson.deadLetter(d));

            assertThat(json.get("kind").asText()).isEqualTo("invalid-json");
            assertThat(json.get("raw").asText()).isEqualTo("{\uFFFD}");
            assertThat(Base64.getDecoder().decode(json.get("rawBase64").asText())).isEqualTo(bytes);
        }

        @Test
        void rawWithQuotesNewlinesAndControlCharactersSurvivesEscaping() throws Exception {
            String raw = "{\"node\":\"a\nb\", \"x\":\"\u0000\\\"\t\u001f\"} \u2028 🔥";
            DeadLetter d = new DeadLetter(MalformedReading.Kind.INVALID_JSON, "reason with \"quotes\"", raw, null);

            String json = ContractJson.deadLetter(d);

            assertThat(json).doesNotContain("\n");
            assertThat(tree(json).get("raw").asText()).isEqualTo(raw);
            assertThat(tree(json).get("reason").asText()).isEqualTo("reason with \"quotes\"");
        }
    }
}
