package org.bushfire.domain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import org.bushfire.domain.MalformedReading.Kind;

/**
 * Parses one JSON reading per the contract (ALERT-SEMANTICS.md). Streaming, so a reading costs no tree of
 * objects; strict, so anything that is not a usable reading is refused with a reason instead of guessed at.
 * Thread-safe and shared: the job and the simulator use this one definition of a reading.
 */
public final class ReadingParser {
    public static final double MIN_TEMPERATURE = -100.0;
    public static final double MAX_TEMPERATURE = 2000.0;

    /** Unknown fields may nest; deeper than this is not a sensor talking. */
    private static final int MAX_NESTING_DEPTH = 32;

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(64)
                    .build())
            .build();

    /**
     * ISO-8601 with a mandatory offset, in the three spellings sensors use: {@code +0000} (the AWS IoT rule
     * format {@code yyyy-MM-dd'T'HH:mm:ss.SSSZ}), {@code Z} and {@code +00:00}. Strict: a date that does not
     * exist (2018-02-30) is refused, not moved to another day.
     */
    private static final DateTimeFormatter EVENT_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendValue(ChronoField.HOUR_OF_DAY, 2)
            .appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart()
            .appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
            .optionalEnd()
            .optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT);

    private ReadingParser() {}

    public static Reading parse(byte[] json) throws MalformedReading {
        if (isBlank(json)) {
            throw new MalformedReading(Kind.EMPTY, "empty record");
        }
        try (JsonParser p = JSON.createParser(json)) {
            return parse(p);
        } catch (IOException e) {
            throw new MalformedReading(Kind.INVALID_JSON, "not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    private static Reading parse(JsonParser p) throws IOException, MalformedReading {
        JsonToken first = p.nextToken();
        if (first != JsonToken.START_OBJECT) {
            throw new MalformedReading(Kind.NOT_AN_OBJECT, "not a JSON object (starts with " + describe(first) + ")");
        }
        Reading r = new Reading();
        boolean hasTemperature = false;
        boolean hasTimestamp = false;
        String eventTime = null;
        String infectedBy = null;
        boolean infectedByNumeric = false;
        Double lat = null;
        Double lon = null;

        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "node":
                    if (v == JsonToken.VALUE_NUMBER_INT) {
                        r.node = p.getText();
                        r.nodeNumeric = true;
                    } else if (v == JsonToken.VALUE_STRING) {
                        r.node = p.getText();
                    } else if (v != JsonToken.VALUE_NULL) {
                        throw new MalformedReading(Kind.BAD_NODE,
                                "node must be an integer or a string, was " + describe(v));
                    }
                    break;
                case "network":
                    if (v == JsonToken.VALUE_STRING || v == JsonToken.VALUE_NUMBER_INT) {
                        String network = p.getText();
                        r.network = network.isEmpty() ? Reading.DEFAULT_NETWORK : network;
                    } else if (v != JsonToken.VALUE_NULL) {
                        throw new MalformedReading(Kind.BAD_NETWORK, "network must be a string, was " + describe(v));
                    }
                    break;
                case "eventTimestamp":
                    if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
                        r.eventTimestamp = epochMillis(p);
                        hasTimestamp = true;
                    } else if (v != JsonToken.VALUE_NULL) {
                        throw new MalformedReading(Kind.BAD_TIME,
                                "eventTimestamp must be a number of epoch milliseconds, was " + describe(v));
                    }
                    break;
                case "eventTime":
                    if (v == JsonToken.VALUE_STRING) {
                        eventTime = p.getText();
                    } else if (v != JsonToken.VALUE_NULL) {
                        throw new MalformedReading(Kind.BAD_TIME,
                                "eventTime must be an ISO-8601 string, was " + describe(v));
                    }
                    break;
                case "temperature":
                    if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
                        r.temperature = p.getDoubleValue();
                        hasTemperature = true;
                    } else {
                        throw new MalformedReading(Kind.BAD_TEMPERATURE,
                                "temperature must be a number, was " + describe(v));
                    }
                    break;
                case "infectedBy":
                    if (v == JsonToken.VALUE_NUMBER_INT) {
                        infectedBy = p.getText();
                        infectedByNumeric = true;
                    } else if (v == JsonToken.VALUE_STRING) {
                        infectedBy = p.getText();
                    } else if (v != JsonToken.VALUE_NULL) {
                        throw new MalformedReading(Kind.BAD_INFECTED_BY,
                                "infectedBy must be an integer or a string, was " + describe(v));
                    }
                    break;
                case "lat":
                    lat = coordinate(p, v, 90.0);
                    break;
                case "lon":
                    lon = coordinate(p, v, 180.0);
                    break;
                default:
                    p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new MalformedReading(Kind.INVALID_JSON, "not valid JSON: unexpected " + describe(t));
        }
        if (p.nextToken() != null) {
            throw new MalformedReading(Kind.INVALID_JSON, "not valid JSON: data after the object");
        }

        if (r.node == null) {
            throw new MalformedReading(Kind.BAD_NODE, "node is missing");
        }
        requireValidId(r.node, Kind.BAD_NODE, "node");
        requireValidId(r.network, Kind.BAD_NETWORK, "network");
        if (!hasTimestamp) {
            if (eventTime == null) {
                throw new MalformedReading(Kind.BAD_TIME, "neither eventTimestamp nor eventTime is present");
            }
            r.eventTimestamp = parseEventTime(eventTime);
        }
        if (!hasTemperature) {
            throw new MalformedReading(Kind.BAD_TEMPERATURE, "temperature is missing");
        }
        if (!(r.temperature >= MIN_TEMPERATURE && r.temperature <= MAX_TEMPERATURE)) {
            throw new MalformedReading(Kind.BAD_TEMPERATURE, "temperature " + r.temperature
                    + " is outside " + MIN_TEMPERATURE + "…" + MAX_TEMPERATURE + " °C");
        }
        if (isInfector(infectedBy, r.node)) {
            requireValidId(infectedBy, Kind.BAD_INFECTED_BY, "infectedBy");
            r.infectedBy = infectedBy;
            r.infectedByNumeric = infectedByNumeric;
        }
        if (lat != null && lon != null) {
            r.lat = lat;
            r.lon = lon;
        }
        return r;
    }

    /** Absent, null, 0, "" or the node's own id all mean "no infector" (an ignition marks itself). */
    private static boolean isInfector(String infectedBy, String node) {
        return infectedBy != null && !infectedBy.isEmpty() && !infectedBy.equals("0") && !infectedBy.equals(node);
    }

    private static void requireValidId(String id, Kind kind, String field) throws MalformedReading {
        String problem = SensorId.problemWith(id);
        if (problem != null) {
            throw new MalformedReading(kind, field + " " + problem);
        }
    }

    private static long epochMillis(JsonParser p) throws IOException, MalformedReading {
        BigDecimal value = p.getDecimalValue();
        long millis;
        try {
            millis = value.longValueExact();
        } catch (ArithmeticException e) {
            throw new MalformedReading(Kind.BAD_TIME,
                    "eventTimestamp " + p.getText() + " is not a whole number of epoch milliseconds");
        }
        if (millis <= 0) {
            throw new MalformedReading(Kind.BAD_TIME, "eventTimestamp " + millis + " is not after 1970 "
                    + "(a sensor without a clock, not a time)");
        }
        return millis;
    }

    static long parseEventTime(String text) throws MalformedReading {
        try {
            long millis = OffsetDateTime.parse(text, EVENT_TIME).toInstant().toEpochMilli();
            if (millis <= 0) {
                throw new MalformedReading(Kind.BAD_TIME, "eventTime " + text + " is not after 1970 "
                        + "(a sensor without a clock, not a time)");
            }
            return millis;
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new MalformedReading(Kind.BAD_TIME, "eventTime '" + abbreviate(text)
                    + "' is not ISO-8601 with an offset (e.g. 2018-09-06T13:23:35.713+0000)");
        }
    }

    /** An unusable position is dropped rather than losing the temperature: position is optional. */
    private static Double coordinate(JsonParser p, JsonToken v, double limit) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = p.getDoubleValue();
            return Math.abs(d) <= limit ? d : null;
        }
        p.skipChildren();
        return null;
    }

    private static boolean isBlank(byte[] json) {
        for (byte b : json) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "end of input";
        }
        switch (t) {
            case START_OBJECT: return "an object";
            case START_ARRAY: return "an array";
            case VALUE_STRING: return "a string";
            case VALUE_NUMBER_INT: return "an integer";
            case VALUE_NUMBER_FLOAT: return "a decimal number";
            case VALUE_TRUE:
            case VALUE_FALSE: return "a boolean";
            case VALUE_NULL: return "null";
            default: return t.asString() == null ? t.name() : t.asString();
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return abbreviate(nl < 0 ? message : message.substring(0, nl));
    }

    static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
