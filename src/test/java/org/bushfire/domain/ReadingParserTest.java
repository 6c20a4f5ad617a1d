package org.bushfire.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.bushfire.domain.MalformedReading.Kind;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The reading contract of ALERT-SEMANTICS.md, as {@link ReadingParser} implements it. */
class ReadingParserTest {
    /** 2018-09-06T13:23:35.713Z, the instant of the contract's eventTime example. */
    static final long EXAMPLE_MILLIS = 1_536_240_215_713L;
    /** A time and temperature that make any object with a node a valid reading. */
    static final String TIME_AND_TEMP = "'eventTimestamp':1536240215713,'temperature':21.5";

    /** JSON written with single quotes, to keep the Java strings readable. */
    static String j(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    static Reading parse(String json) throws MalformedReading {
        return ReadingParser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    static MalformedReading malformed(byte[] json) {
        try {
            Reading r = ReadingParser.parse(json);
            return fail("expected a malformed reading, but parsed " + r);
        } catch (MalformedReading e) {
            return e;
        }
    }

    static MalformedReading malformed(String json) {
        return malformed(json.getBytes(StandardCharsets.UTF_8));
    }

    @Nested
    class Time {
        @Test
        void eventTimestampIsEpochMillis() throws Exception {
            Reading r = parse(j("{'node':5,'eventTimestamp':1732150000000,'temperature':51.5}"));

            assertThat(r.eventTimestamp).isEqualTo(1_732_150_000_000L);
            assertThat(r.temperature).isEqualTo(51.5);
        }

        @Test
        void eventTimestampMayBeWrittenAsAWholeDecimal() throws Exception {
            assertThat(parse(j("{'node':5,'eventTimestamp':1000.0,'temperature':1}")).eventTimestamp).isEqualTo(1000L);
            assertThat(parse(j("{'node':5,'eventTimestamp':1e3,'temperature':1}")).eventTimestamp).isEqualTo(1000L);
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource({
                "2018-09-06T13:23:35.713+0000,   1536240215713",
                "2018-09-06T13:23:35.713Z,       1536240215713",
                "2018-09-06T13:23:35.713+00:00,  1536240215713",
                "2018-09-06T23:23:35.713+10:00,  1536240215713",
                "2018-09-06T23:23:35.713+1000,   1536240215713",
                "2018-09-06T09:53:35.713-03:30,  1536240215713",
                "2018-09-07T01:23:35.713+12:00,  1536240215713",
                "2018-09-06T13:23:35+0000,       1536240215000",
                "2018-09-06T13:23:35Z,           1536240215000",
                "2018-09-06T13:23:35.7+0000,     1536240215700",
                "1970-01-01T00:00:00.001+0000,   1",
                "2016-02-29T12:00:00.000+0000,   1456747200000",
        })
        void eventTimeIsIsoWithAnOffset(String eventTime, long expectedMillis) throws Exception {
            Reading r = parse(j("{'node':5,'eventTime':'" + eventTime + "','temperature':20}"));

            assertThat(r.eventTimestamp).isEqualTo(expectedMillis);
        }

        @Test
        void eventTimestampWinsWhenBothArePresent() throws Exception {
            Reading before = parse(j("{'node':5,'eventTimestamp':1000,'eventTime':'2018-09-06T13:23:35.713+0000',"
                    + "'temperature':20}"));
            Reading after = parse(j("{'node':5,'eventTime':'2018-09-06T13:23:35.713+0000','eventTimestamp':1000,"
                    + "'temperature':20}"));

            assertThat(before.eventTimestamp).isEqualTo(1000L);
            assertThat(after.eventTimestamp).isEqualTo(1000L);
        }

        @Test
        void nullEventTimestampFallsBackToEventTime() throws Exception {
            Reading r = parse(j("{'node':5,'eventTimestamp':null,'eventTime':'2018-09-06T13:23:35.713Z',"
                    + "'temperature':20}"));

            assertThat(r.eventTimestamp).isEqualTo(EXAMPLE_MILLIS);
        }
    }

    @Nested
    class Ids {
        @Test
        void integerAndStringNodeIdsHaveTheSameText() throws Exception {
            Reading number = parse(j("{'node':5," + TIME_AND_TEMP + "}"));
            Reading string = parse(j("{'node':'5'," + TIME_AND_TEMP + "}"));

            assertThat(number.node).isEqualTo("5");
            assertThat(string.node).isEqualTo("5");
            assertThat(number.nodeNumeric).isTrue();
            assertThat(string.nodeNumeric).isFalse();
            assertThat(number.nodeId()).isEqualTo(string.nodeId());
        }

        @Test
        void nonNumericStringNodeIsKeptVerbatim() throws Exception {
            Reading r = parse(j("{'node':'ridge-7/sensor 12 \u00e9'," + TIME_AND_TEMP + "}"));

            assertThat(r.node).isEqualTo("ridge-7/sensor 12 \u00e9");
            assertThat(r.nodeNumeric).isFalse();
        }

        @Test
        void nodeOfExactlyTheMaximumLengthIsAccepted() throws Exception {
            String id = "n".repeat(SensorId.MAX_LENGTH);

            assertThat(parse(j("{'node':'" + id + "'," + TIME_AND_TEMP + "}")).node).isEqualTo(id);
        }

        static Stream<Arguments> noInfector() {
            return Stream.of(
                    Arguments.of("absent", "{'node':5," + TIME_AND_TEMP + "}"),
                    Arguments.of("null", "{'node':5,'infectedBy':null," + TIME_AND_TEMP + "}"),
                    Arguments.of("integer 0", "{'node':5,'infectedBy':0," + TIME_AND_TEMP + "}"),
                    Arguments.of("string \"0\"", "{'node':5,'infectedBy':'0'," + TIME_AND_TEMP + "}"),
                    Arguments.of("empty string", "{'node':5,'infectedBy':''," + TIME_AND_TEMP + "}"),
                    Arguments.of("own id, both integers", "{'node':5,'infectedBy':5," + TIME_AND_TEMP + "}"),
                    Arguments.of("own id, integer node, string infector",
                            "{'node':5,'infectedBy':'5'," + TIME_AND_TEMP + "}"),
                    Arguments.of("own id, string node, integer infector",
                            "{'node':'5','infectedBy':5," + TIME_AND_TEMP + "}"),
                    Arguments.of("own id, both strings", "{'node':'a7','infectedBy':'a7'," + TIME_AND_TEMP + "}"));
        }

        @ParameterizedTest(name = "infectedBy {0}")
        @MethodSource("noInfector")
        void noneValuesOfInfectedByMeanNoInfector(String description, String json) throws Exception {
            Reading r = parse(j(json));

            assertThat(r.infectedBy).isNull();
            assertThat(r.infectedByNumeric).isFalse();
            assertThat(r.infectedById()).isNull();
        }

        @Test
        void infectorIsKeptWithItsJsonType() throws Exception {
            Reading number = parse(j("{'node':5,'infectedBy':4," + TIME_AND_TEMP + "}"));
            Reading string = parse(j("{'node':5,'infectedBy':'4'," + TIME_AND_TEMP + "}"));

            assertThat(number.infectedBy).isEqualTo("4");
            assertThat(number.infectedByNumeric).isTrue();
            assertThat(string.infectedBy).isEqualTo("4");
            assertThat(string.infectedByNumeric).isFalse();
        }
    }

    @Nested
    class Network {
        @Test
        void defaultsToDefault() throws Exception {
            assertThat(parse(j("{'node':5," + TIME_AND_TEMP + "}")).network).isEqualTo("default");
            assertThat(parse(j("{'node':5,'network':null," + TIME_AND_TEMP + "}")).network).isEqualTo("default");
            assertThat(parse(j("{'node':5,'network':''," + TIME_AND_TEMP + "}")).network).isEqualTo("default");
        }

        @Test
        void isKeptWhenGiven() throws Exception {
            assertThat(parse(j("{'network':'ridge-7','node':5," + TIME_AND_TEMP + "}")).network).isEqualTo("ridge-7");
            assertThat(parse(j("{'network':7,'node':5," + TIME_AND_TEMP + "}")).network).isEqualTo("7");
        }
    }

    @Nested
    class Position {
        @Test
        void keptWhenBothAreValid() throws Exception {
            Reading r = parse(j("{'node':5,'lat':-33.71,'lon':150.31," + TIME_AND_TEMP + "}"));

            assertThat(r.hasPosition()).isTrue();
            assertThat(r.lat).isEqualTo(-33.71);
            assertThat(r.lon).isEqualTo(150.31);
        }

        @Test
        void boundariesAreValid() throws Exception {
            Reading r = parse(j("{'node':5,'lat':90,'lon':-180," + TIME_AND_TEMP + "}"));

            assertThat(r.lat).isEqualTo(90.0);
            assertThat(r.lon).isEqualTo(-180.0);
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "lon missing           | 'lat':-33.71",
                "lat missing           | 'lon':150.31",
                "lat null              | 'lat':null,'lon':150.31",
                "lat below -90         | 'lat':-90.5,'lon':150.31",
                "lat above 90          | 'lat':91,'lon':150.31",
                "lon below -180        | 'lat':-33.71,'lon':-181",
                "lon above 180         | 'lat':-33.71,'lon':180.01",
                "lat a string          | 'lat':'-33.71','lon':150.31",
                "lon a boolean         | 'lat':-33.71,'lon':true",
                "lat an object         | 'lat':{'deg':-33},'lon':150.31",
                "lon an array          | 'lat':-33.71,'lon':[150,31]",
        })
        void droppedWhenNotUsableButTheReadingIsKept(String description, String fields) throws Exception {
            Reading r = parse(j("{'node':5," + fields + "," + TIME_AND_TEMP + "}"));

            assertThat(r.hasPosition()).isFalse();
            assertThat(r.lat).isNull();
            assertThat(r.lon).isNull();
            assertThat(r.temperature).isEqualTo(21.5);
        }
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        Reading plain = parse(j("{'network':'n','node':12,'eventTimestamp':1732150000000,'temperature':51.5,"
                + "'infectedBy':11}"));
        Reading withExtras = parse(j("{'batch':3,'event':24,'network':'n','node':12,"
                + "'meta':{'fw':'1.2','tags':['a',{'b':[1,2,{'c':null}]}]},'eventTimestamp':1732150000000,"
                + "'list':[1,2.5,'x',true,null],'temperature':51.5,'flag':false,'infectedBy':11,'none':null}"));

        assertThat(withExtras).isEqualTo(plain);
        assertThat(withExtras.infectedBy).isEqualTo("11");
    }

    @Test
    void unknownFieldNestedUpToTheLimitIsIgnored() throws Exception {
        // the object itself is one level, so 31 more levels reach the limit of 32
        String nested = "[".repeat(31) + "]".repeat(31);

        assertThat(parse(j("{'node':5,'x':" + nested + "," + TIME_AND_TEMP + "}")).node).isEqualTo("5");
    }

    @ParameterizedTest(name = "{0} °C")
    @ValueSource(doubles = {-100.0, -99.99, 0.0, 49.99, 50.0, 1999.99, 2000.0})
    void temperaturesWithinTheRangeAreAccepted(double temperature) throws Exception {
        assertThat(parse(j("{'node':5,'eventTimestamp':1,'temperature':" + temperature + "}")).temperature)
                .isEqualTo(temperature);
    }

    @Test
    void integerTemperatureIsANumberToo() throws Exception {
        assertThat(parse(j("{'node':5,'eventTimestamp':1,'temperature':-100}")).temperature).isEqualTo(-100.0);
        assertThat(parse(j("{'node':5,'eventTimestamp':1,'temperature':2000}")).temperature).isEqualTo(2000.0);
    }

    @Test
    void whitespaceAroundTheObjectIsFine() throws Exception {
        Reading r = parse(j(" \t{'node':5," + TIME_AND_TEMP + "}\r\n"));

        assertThat(r.node).isEqualTo("5");
        assertThat(r.eventTimestamp).isEqualTo(EXAMPLE_MILLIS);
    }

    @Test
    void aFullReadingHasEveryField() throws Exception {
        Reading r = parse(j("{'network':'ridge-7','node':12,'eventTimestamp':1732150000000,'temperature':51.5,"
                + "'infectedBy':11,'lat':-33.71,'lon':150.31}"));

        Reading expected = new Reading("ridge-7", "12", 1_732_150_000_000L, 51.5, "11");
        expected.nodeNumeric = true;
        expected.infectedByNumeric = true;
        expected.lat = -33.71;
        expected.lon = 150.31;
        assertThat(r).isEqualTo(expected);
    }

    static Stream<Arguments> malformedReadings() {
        String t = TIME_AND_TEMP;
        String ts = "'eventTimestamp':1536240215713";
        return Stream.of(
                // not a reading at all
                Arguments.of("empty", "", Kind.EMPTY, "empty record"),
                Arguments.of("whitespace only", " \t\r\n  ", Kind.EMPTY, "empty record"),
                Arguments.of("invalid JSON", "{node:5}", Kind.INVALID_JSON, "not valid JSON: Unexpected character"),
                Arguments.of("plain text", "hello sensor", Kind.INVALID_JSON, "not valid JSON: Unrecognized token"),
                Arguments.of("truncated JSON", "{'node':5,'temperature':", Kind.INVALID_JSON,
                        "not valid JSON: Unexpected end-of-input"),
                Arguments.of("unclosed object", "{'node':5," + t, Kind.INVALID_JSON,
                        "not valid JSON: Unexpected end-of-input"),
                Arguments.of("raw newline in a string", "{'node':'a\nb'," + t + "}", Kind.INVALID_JSON,
                        "not valid JSON: Illegal unquoted character"),
                Arguments.of("a JSON array", "[{'node':5," + t + "}]", Kind.NOT_AN_OBJECT,
                        "not a JSON object (starts with an array)"),
                Arguments.of("a string", "'node'", Kind.NOT_AN_OBJECT, "not a JSON object (starts with a string)"),
                Arguments.of("a number", "42", Kind.NOT_AN_OBJECT, "not a JSON object (starts with an integer)"),
                Arguments.of("a decimal", "42.5", Kind.NOT_AN_OBJECT,
                        "not a JSON object (starts with a decimal number)"),
                Arguments.of("a boolean", "true", Kind.NOT_AN_OBJECT, "not a JSON object (starts with a boolean)"),
                Arguments.of("null", "null", Kind.NOT_AN_OBJECT, "not a JSON object (starts with null)"),
                Arguments.of("a second object after the first", "{'node':5," + t + "} {'node':6," + t + "}",
                        Kind.INVALID_JSON, "not valid JSON: data after the object"),
                Arguments.of("a number after the object", "{'node':5," + t + "} 7", Kind.INVALID_JSON,
                        "not valid JSON: data after the object"),
                Arguments.of("garbage after the object", "{'node':5," + t + "}x", Kind.INVALID_JSON,
                        "not valid JSON: Unrecognized token 'x'"),
                Arguments.of("unknown field nested in 33 arrays",
                        "{'node':5,'x':" + "[".repeat(32) + "]".repeat(32) + "," + t + "}",
                        Kind.INVALID_JSON, "nesting depth (33) exceeds the maximum allowed (32"),
                Arguments.of("unknown field nested in 40 objects",
                        "{'node':5,'x':" + "{'a':".repeat(40) + "1" + "}".repeat(40) + "," + t + "}",
                        Kind.INVALID_JSON, "exceeds the maximum allowed (32"),
                Arguments.of("duplicate node", "{'node':5,'node':6," + t + "}", Kind.INVALID_JSON,
                        "Duplicate field 'node'"),
                Arguments.of("duplicate temperature", "{'node':5," + t + ",'temperature':99}", Kind.INVALID_JSON,
                        "Duplicate field 'temperature'"),
                Arguments.of("duplicate unknown field", "{'node':5,'batch':1,'batch':2," + t + "}",
                        Kind.INVALID_JSON, "Duplicate field 'batch'"),

                // node
                Arguments.of("missing node", "{" + t + "}", Kind.BAD_NODE, "node is missing"),
                Arguments.of("null node", "{'node':null," + t + "}", Kind.BAD_NODE, "node is missing"),
                Arguments.of("node as float", "{'node':5.0," + t + "}", Kind.BAD_NODE,
                        "node must be an integer or a string, was a decimal number"),
                Arguments.of("node as boolean", "{'node':true," + t + "}", Kind.BAD_NODE,
                        "node must be an integer or a string, was a boolean"),
                Arguments.of("node as object", "{'node':{'id':5}," + t + "}", Kind.BAD_NODE,
                        "node must be an integer or a string, was an object"),
                Arguments.of("node as array", "{'node':[5]," + t + "}", Kind.BAD_NODE,
                        "node must be an integer or a string, was an array"),
                Arguments.of("node empty string", "{'node':''," + t + "}", Kind.BAD_NODE, "node is empty"),
                Arguments.of("node over 128 characters", "{'node':'" + "n".repeat(129) + "'," + t + "}",
                        Kind.BAD_NODE, "node is longer than 128 characters"),
                Arguments.of("node with \\u0000", "{'node':'a\\u0000b'," + t + "}", Kind.BAD_NODE,
                        "node contains control or invalid characters"),
                Arguments.of("node with \\n", "{'node':'a\\nb'," + t + "}", Kind.BAD_NODE,
                        "node contains control or invalid characters"),
                Arguments.of("node with \\u001f", "{'node':'a\\u001fb'," + t + "}", Kind.BAD_NODE,
                        "node contains control or invalid characters"),
                Arguments.of("node with DEL \\u007f", "{'node':'a\\u007f'," + t + "}", Kind.BAD_NODE,
                        "node contains control or invalid characters"),
                Arguments.of("node with a lone surrogate", "{'node':'a\\ud800'," + t + "}", Kind.BAD_NODE,
                        "node contains control or invalid characters"),

                // network
                Arguments.of("network as boolean", "{'network':false,'node':5," + t + "}", Kind.BAD_NETWORK,
                        "network must be a string, was a boolean"),
                Arguments.of("network with control character", "{'network':'r\\u0007','node':5," + t + "}",
                        Kind.BAD_NETWORK, "network contains control or invalid characters"),

                // infectedBy
                Arguments.of("infectedBy as boolean", "{'node':5,'infectedBy':false," + t + "}",
                        Kind.BAD_INFECTED_BY, "infectedBy must be an integer or a string, was a boolean"),
                Arguments.of("infectedBy as object", "{'node':5,'infectedBy':{'node':4}," + t + "}",
                        Kind.BAD_INFECTED_BY, "infectedBy must be an integer or a string, was an object"),
                Arguments.of("infectedBy as float", "{'node':5,'infectedBy':4.0," + t + "}",
                        Kind.BAD_INFECTED_BY, "infectedBy must be an integer or a string, was a decimal number"),
                Arguments.of("infectedBy with control characters", "{'node':5,'infectedBy':'4\\u0000'," + t + "}",
                        Kind.BAD_INFECTED_BY, "infectedBy contains control or invalid characters"),
                Arguments.of("infectedBy over 128 characters",
                        "{'node':5,'infectedBy':'" + "i".repeat(129) + "'," + t + "}",
                        Kind.BAD_INFECTED_BY, "infectedBy is longer than 128 characters"),

                // time
                Arguments.of("missing time", "{'node':5,'temperature':20}", Kind.BAD_TIME,
                        "neither eventTimestamp nor eventTime is present"),
                Arguments.of("both times null", "{'node':5,'eventTimestamp':null,'eventTime':null,'temperature':20}",
                        Kind.BAD_TIME, "neither eventTimestamp nor eventTime is present"),
                Arguments.of("eventTimestamp as string (numbers as strings)",
                        "{'node':5,'eventTimestamp':'1536240215713','temperature':20}", Kind.BAD_TIME,
                        "eventTimestamp must be a number of epoch milliseconds, was a string"),
                Arguments.of("eventTimestamp as boolean", "{'node':5,'eventTimestamp':true,'temperature':20}",
                        Kind.BAD_TIME, "eventTimestamp must be a number of epoch milliseconds, was a boolean"),
                Arguments.of("fractional eventTimestamp", "{'node':5,'eventTimestamp':1536240215713.5,'temperature':20}",
                        Kind.BAD_TIME, "eventTimestamp 1536240215713.5 is not a whole number of epoch milliseconds"),
                Arguments.of("eventTimestamp beyond a long", "{'node':5,'eventTimestamp':1e30,'temperature':20}",
                        Kind.BAD_TIME, "is not a whole number of epoch milliseconds"),
                Arguments.of("negative eventTimestamp", "{'node':5,'eventTimestamp':-1,'temperature':20}",
                        Kind.BAD_TIME, "eventTimestamp -1 is not after 1970"),
                Arguments.of("zero eventTimestamp", "{'node':5,'eventTimestamp':0,'temperature':20}",
                        Kind.BAD_TIME, "eventTimestamp 0 is not after 1970"),
                Arguments.of("eventTime at the epoch", "{'node':5,'eventTime':'1970-01-01T00:00:00Z','temperature':20}",
                        Kind.BAD_TIME, "is not after 1970"),
                Arguments.of("eventTime without offset",
                        "{'node':5,'eventTime':'2018-09-06T13:23:35.713','temperature':20}", Kind.BAD_TIME,
                        "eventTime '2018-09-06T13:23:35.713' is not ISO-8601 with an offset"),
                Arguments.of("eventTime garbage", "{'node':5,'eventTime':'yesterday noon','temperature':20}",
                        Kind.BAD_TIME, "eventTime 'yesterday noon' is not ISO-8601 with an offset"),
                Arguments.of("eventTime date only", "{'node':5,'eventTime':'2018-09-06','temperature':20}",
                        Kind.BAD_TIME, "eventTime '2018-09-06' is not ISO-8601 with an offset"),
                Arguments.of("eventTime as number", "{'node':5,'eventTime':1536240215713,'temperature':20}",
                        Kind.BAD_TIME, "eventTime must be an ISO-8601 string, was an integer"),
                Arguments.of("eventTime before 1970", "{'node':5,'eventTime':'1969-12-31T23:59:59Z','temperature':20}",
                        Kind.BAD_TIME, "eventTime 1969-12-31T23:59:59Z is not after 1970"),
                Arguments.of("eventTime on a day that does not exist",
                        "{'node':5,'eventTime':'2018-02-30T13:23:35.713+0000','temperature':20}", Kind.BAD_TIME,
                        "eventTime '2018-02-30T13:23:35.713+0000' is not ISO-8601"),
                Arguments.of("eventTime on 29 February of a common year",
                        "{'node':5,'eventTime':'2018-02-29T13:23:35.713+0000','temperature':20}", Kind.BAD_TIME,
                        "eventTime '2018-02-29T13:23:35.713+0000' is not ISO-8601"),
                Arguments.of("eventTime with month 13",
                        "{'node':5,'eventTime':'2018-13-01T13:23:35.713+0000','temperature':20}", Kind.BAD_TIME,
                        "eventTime '2018-13-01T13:23:35.713+0000' is not ISO-8601"),

                // temperature
                Arguments.of("missing temperature", "{'node':5," + ts + "}", Kind.BAD_TEMPERATURE,
                        "temperature is missing"),
                Arguments.of("temperature as string", "{'node':5," + ts + ",'temperature':'51.5'}",
                        Kind.BAD_TEMPERATURE, "temperature must be a number, was a string"),
                Arguments.of("temperature null", "{'node':5," + ts + ",'temperature':null}", Kind.BAD_TEMPERATURE,
                        "temperature must be a number, was null"),
                Arguments.of("temperature as object", "{'node':5," + ts + ",'temperature':{'c':51.5}}",
                        Kind.BAD_TEMPERATURE, "temperature must be a number, was an object"),
                Arguments.of("temperature NaN", "{'node':5," + ts + ",'temperature':NaN}", Kind.INVALID_JSON,
                        "Non-standard token 'NaN'"),
                Arguments.of("temperature Infinity", "{'node':5," + ts + ",'temperature':Infinity}",
                        Kind.INVALID_JSON, "Non-standard token 'Infinity'"),
                Arguments.of("temperature -Infinity", "{'node':5," + ts + ",'temperature':-Infinity}",
                        Kind.INVALID_JSON, "Non-standard token '-Infinity'"),
                Arguments.of("temperature overflowing a double", "{'node':5," + ts + ",'temperature':1e400}",
                        Kind.BAD_TEMPERATURE, "temperature Infinity is outside"),
                Arguments.of("temperature below -100", "{'node':5," + ts + ",'temperature':-100.01}",
                        Kind.BAD_TEMPERATURE, "temperature -100.01 is outside -100.0…2000.0 °C"),
                Arguments.of("temperature above 2000", "{'node':5," + ts + ",'temperature':2000.5}",
                        Kind.BAD_TEMPERATURE, "temperature 2000.5 is outside -100.0…2000.0 °C"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedReadings")
    void malformedInputIsRefusedWithItsKindAndAReason(String description, String json, Kind kind, String reason) {
        MalformedReading e = malformed(j(json));

        assertThat(e.kind()).as("kind").isEqualTo(kind);
        assertThat(e.getMessage()).as("reason").contains(reason);
    }

    static Stream<Arguments> invalidUtf8() {
        return Stream.of(
                Arguments.of("0xFF in the node", bytes("{\"node\":\"", 0xff, "\",\"eventTimestamp\":1,\"temperature\":1}")),
                Arguments.of("bad continuation byte in an unknown field",
                        bytes("{\"node\":5,\"eventTimestamp\":1,\"temperature\":1,\"x\":\"", 0xc3, 0x28, "\"}")),
                Arguments.of("truncated multi-byte sequence at the end of a string",
                        bytes("{\"node\":\"a", 0xe2, 0x82, "\",\"eventTimestamp\":1,\"temperature\":1}")),
                Arguments.of("0xFE outside strings", bytes("{\"node\":5,", 0xfe, "\"eventTimestamp\":1}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUtf8")
    void invalidUtf8IsInvalidJson(String description, byte[] json) {
        MalformedReading e = malformed(json);

        assertThat(e.kind()).isEqualTo(Kind.INVALID_JSON);
        assertThat(e.getMessage()).startsWith("not valid JSON:").containsIgnoringCase("Invalid UTF-8");
    }

    @Test
    void reasonsQuotingInputAreAbbreviated() {
        String garbage = "x".repeat(5000);

        MalformedReading e = malformed(j("{'node':5,'eventTime':'" + garbage + "','temperature':20}"));

        assertThat(e.kind()).isEqualTo(Kind.BAD_TIME);
        assertThat(e.getMessage()).hasSizeLessThan(400).contains("x".repeat(200) + "…");
    }

    /** Text and raw byte values, concatenated as UTF-8. */
    static byte[] bytes(Object... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof Integer) {
                out.write((Integer) part);
            } else {
                out.writeBytes(((String) part).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }
}
