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
 * alerts, and dead letters. Ids are written the way the sensor sent them: numbers stay numbers.
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
            g.writeStringField("alertId", a.alertId);
            g.writeStringField("network", a.network);
            g.writeFieldName("fireRoot");
            writeId(g, a.fireRoot, a.fireRootNumeric);
            g.writeFieldName("chain");
            g.writeStartArray();
            for (Onset o : a.chain) {
                writeId(g, o.reading.node, o.reading.nodeNumeric);
            }
            g.writeEndArray();
            g.writeNumberField("chainLength", a.chain.length);
            g.writeNumberField("completedTimestamp", a.completedTimestamp);
            g.writeStringField("completedTime", isoTime(a.completedTimestamp));
            g.writeNumberField("fireRootOnsetTimestamp", a.fireRootOnsetTimestamp);
            g.writeFieldName("onsets");
            g.writeStartArray();
            for (Onset o : a.chain) {
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
            g.writeEndObject();
        });
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
