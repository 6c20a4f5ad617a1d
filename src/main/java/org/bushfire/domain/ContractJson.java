package org.bushfire.domain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The JSON forms of the contract's records: readings (as the simulator writes them and the job reads them),
 * alerts, incident messages, and dead letters. Ids are written the way the sensor sent them: numbers stay numbers.
 */
public final class ContractJson {
    /** How a reading carries its event time. */
    public enum TimeFormat {
        /** {@code eventTimestamp}: epoch milliseconds, as the simulator sends. */
        EPOCH_MILLIS,
        /** {@code eventTime}: {@code yyyy-MM-dd'T'HH:mm:ss.SSSZ}, as an AWS IoT rule emits. */
        IOT_RULE
    }

    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter IOT_RULE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

    private ContractJson() {}

    public static String iotRuleTime(long epochMillis) {
        return IOT_RULE_TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    public static String isoTime(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    public static String reading(Reading r, TimeFormat format) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("network", r.network);
            g.writeFieldName("node");
            writeId(g, r.node, r.nodeNumeric);
            if (format == TimeFormat.IOT_RULE) {
                g.writeStringField("eventTime", iotRuleTime(r.eventTimestamp));
            } else {
                g.writeNumberField("eventTimestamp", r.eventTimestamp);
            }
            g.writeNumberField("temperature", r.temperature);
            if (r.infectedBy != null) {
                g.writeFieldName("infectedBy");
                writeId(g, r.infectedBy, r.infectedByNumeric);
            }
            writePosition(g, r);
            g.writeEndObject();
        });
    }

    public static String alert(Alert a) {
        return write(g -> {
            g.writeStartObject();
            writeAlertFields(g, a.alertId, a.network, a.fireRoot, a.fireRootNumeric, a.fireRootOnsetTimestamp,
                    a.completedTimestamp, a.chain);
            g.writeEndObject();
        });
    }

    /**
     * One message of a fire incident. Every stage carries the alert's fields first, with the same names and
     * meaning ({@code chain}, {@code onsets} and {@code completedTimestamp} are the fire's first chain of N), so a
     * consumer of alerts reads an incident message's ALERT stage unchanged; the incident's own fields follow.
     */
    public static String incident(IncidentMessage m) {
        return write(g -> {
            g.writeStartObject();
            Alert a = m.alert();
            writeAlertFields(g, a.alertId, a.network, a.fireRoot, a.fireRootNumeric, a.fireRootOnsetTimestamp,
                    a.completedTimestamp, a.chain);
            g.writeStringField("messageId", m.messageId);
            g.writeNumberField("sequence", m.sequence);
            g.writeStringField("stage", m.stage == null ? null : m.stage.name());
            g.writeStringField("msgType", IncidentText.msgType(m.stage));
            g.writeStringField("reason", m.reason == null ? null : m.reason.name());
            g.writeStringField("previousMessageId", m.previousMessageId);
            g.writeFieldName("references");
            g.writeStartArray();
            for (IncidentMessage.Reference r : m.references) {
                g.writeStartObject();
                g.writeStringField("messageId", r.messageId);
                g.writeNumberField("sentTimestamp", r.sentTimestamp);
                g.writeStringField("sentTime", isoTime(r.sentTimestamp));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("sentTimestamp", m.sentTimestamp);
            g.writeStringField("sentTime", isoTime(m.sentTimestamp));
            g.writeNumberField("lastOnsetTimestamp", m.lastOnsetTimestamp);
            g.writeStringField("lastOnsetTime", isoTime(m.lastOnsetTimestamp));
            g.writeNumberField("burningSensors", m.burningSensors);
            g.writeNumberField("milestone", m.milestone);
            writeOnsets(g, "newestOnsets", m.newestOnsets);
            g.writeNumberField("positionedSensors", m.positionedSensors);
            g.writeNumberField("areaKm2", m.areaKm2);
            g.writeFieldName("hull");
            g.writeStartArray();
            for (GeoPoint p : m.hull) {
                writePoint(g, p);
            }
            g.writeEndArray();
            g.writeFieldName("centroid");
            writePoint(g, m.centroid);
            g.writeFieldName("boundingBox");
            if (m.boundingBoxMin == null || m.boundingBoxMax == null) {
                g.writeNull();
            } else {
                g.writeStartObject();
                g.writeNumberField("south", m.boundingBoxMin.lat);
                g.writeNumberField("west", m.boundingBoxMin.lon);
                g.writeNumberField("north", m.boundingBoxMax.lat);
                g.writeNumberField("east", m.boundingBoxMax.lon);
                g.writeEndObject();
            }
            writeNullableNumber(g, "headingDegrees", m.headingDegrees);
            g.writeStringField("headingCompass",
                    m.headingDegrees == null ? null : IncidentText.compassPoint(m.headingDegrees));
            writeNullableNumber(g, "rateOfSpreadMetresPerMinute", m.rateOfSpreadMetresPerMinute);
            g.writeEndObject();
        });
    }

    private static void writeAlertFields(JsonGenerator g, String alertId, String network, String fireRoot,
            boolean fireRootNumeric, long fireRootOnsetTimestamp, long completedTimestamp, Onset[] chain)
            throws IOException {
        g.writeStringField("alertId", alertId);
        g.writeStringField("network", network);
        g.writeFieldName("fireRoot");
        writeId(g, fireRoot, fireRootNumeric);
        g.writeFieldName("chain");
        g.writeStartArray();
        for (Onset o : chain) {
            writeId(g, o.reading.node, o.reading.nodeNumeric);
        }
        g.writeEndArray();
        g.writeNumberField("chainLength", chain.length);
        g.writeNumberField("completedTimestamp", completedTimestamp);
        g.writeStringField("completedTime", isoTime(completedTimestamp));
        g.writeNumberField("fireRootOnsetTimestamp", fireRootOnsetTimestamp);
        writeOnsets(g, "onsets", chain);
    }

    private static void writeOnsets(JsonGenerator g, String field, Onset[] onsets) throws IOException {
        g.writeFieldName(field);
        g.writeStartArray();
        for (Onset o : onsets) {
            Reading r = o.reading;
            g.writeStartObject();
            g.writeFieldName("node");
            writeId(g, r.node, r.nodeNumeric);
            g.writeNumberField("onsetTimestamp", r.eventTimestamp);
            g.writeStringField("onsetTime", isoTime(r.eventTimestamp));
            g.writeNumberField("temperature", r.temperature);
            g.writeFieldName("infectedBy");
            if (r.infectedBy == null) {
                g.writeNull();
            } else {
                writeId(g, r.infectedBy, r.infectedByNumeric);
            }
            writePosition(g, r);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writePoint(JsonGenerator g, GeoPoint p) throws IOException {
        if (p == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeNumberField("lat", p.lat);
        g.writeNumberField("lon", p.lon);
        g.writeEndObject();
    }

    private static void writeNullableNumber(JsonGenerator g, String field, Double value) throws IOException {
        if (value == null || !Double.isFinite(value)) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, value);
        }
    }

    public static String deadLetter(DeadLetter d) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("kind", d.kind);
            g.writeStringField("reason", d.reason);
            if (d.origin != null) {
                g.writeStringField("origin", d.origin);
            }
            g.writeStringField("raw", d.raw);
            if (d.rawBase64 != null) {
                g.writeStringField("rawBase64", d.rawBase64);
            }
            g.writeEndObject();
        });
    }

    private static void writeId(JsonGenerator g, String text, boolean numeric) throws IOException {
        if (numeric) {
            g.writeNumber(text);
        } else {
            g.writeString(text);
        }
    }

    private static void writePosition(JsonGenerator g, Reading r) throws IOException {
        if (r.hasPosition()) {
            g.writeNumberField("lat", r.lat);
            g.writeNumberField("lon", r.lon);
        }
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Body body) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
