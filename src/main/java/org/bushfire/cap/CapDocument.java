package org.bushfire.cap;

import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.bushfire.domain.GeoPoint;
import org.bushfire.domain.IncidentMessage;
import org.bushfire.domain.IncidentMessage.Stage;
import org.bushfire.domain.IncidentText;
import org.bushfire.domain.Onset;
import org.bushfire.domain.Reading;
import org.bushfire.domain.UntrustedText;

/**
 * An incident message as an OASIS CAP 1.2 document, following the conventions of the Australian profile
 * (CAP-AU): what an agency's warning systems ingest. Written with the JDK's StAX writer, so every text is
 * escaped by the XML library and never pasted into markup; untrusted ids pass through {@link UntrustedText}
 * first, which also keeps out the control characters XML 1.0 forbids.
 *
 * <p>Everything is deterministic: {@code sent} is the message's event time (to the second, with the offset
 * {@code +00:00}: CAP forbids {@code Z}), the identifier is the message id, and {@code references} name the
 * earlier messages by this sender, identifier and their own sent time, exactly as their documents said.
 *
 * <h2>By stage</h2>
 * <table>
 *   <caption>CAP values by stage</caption>
 *   <tr><th>stage</th><th>msgType</th><th>responseType</th><th>urgency</th><th>severity</th><th>certainty</th></tr>
 *   <tr><td>ALERT</td><td>Alert</td><td>Monitor</td><td>Immediate</td><td>Severe</td><td>Observed</td></tr>
 *   <tr><td>UPDATE</td><td>Update</td><td>Monitor</td><td>Immediate</td><td>Severe</td><td>Observed</td></tr>
 *   <tr><td>ALL_CLEAR</td><td>Update</td><td>AllClear</td><td>Past</td><td>Minor</td><td>Observed</td></tr>
 * </table>
 * Observed, because the sensors measured the fire; Immediate and Severe while it burns, since the mesh cannot
 * tell how many people are in its way (an agency re-issuing the warning grades it with what it knows); Past and
 * Minor once it is out.
 *
 * <h2>Area</h2>
 * The hull of the located burning sensors as a CAP polygon ("lat,lon" pairs, closed: first pair = last pair,
 * so at least 4 pairs). With fewer than 3 located sensors, a circle "lat,lon radius" around the centroid (or,
 * without one, the first chain's newest located sensor) with radius = half the diagonal of the located sensors'
 * bounding box, at least {@link #MIN_CIRCLE_RADIUS_KM} km. Without any position, the area has only its
 * description.
 */
public final class CapDocument {
    public static final String NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2";
    /** The CAP-AU profile's {@code code} value: tells a receiver which rules the document follows. */
    public static final String CAP_AU_CODE = "urn:oasis:names:tc:emergency:cap:1.2:profile:CAP-AU:1.0";
    public static final String LANGUAGE = "en-AU";
    /** A circle around one or two sensors still covers their surroundings. */
    public static final double MIN_CIRCLE_RADIUS_KM = 0.5;
    public static final String SENDER_NAME = "Bushfire sensor mesh alerting";

    private static final DateTimeFormatter SENT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();
    private static final double KM_PER_DEGREE = 111.195;

    private CapDocument() {}

    /** The CAP 1.2 document of one incident message, as XML text (UTF-8 declared). */
    public static String of(IncidentMessage m, CapSettings settings) {
        settings.validate();
        String identifier = checkedIdentifier(m.messageId);
        StringWriter out = new StringWriter(4096);
        try {
            XMLStreamWriter x = XML.createXMLStreamWriter(out);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.setDefaultNamespace(NAMESPACE);
            x.writeStartElement(NAMESPACE, "alert");
            x.writeDefaultNamespace(NAMESPACE);
            Stage stage = m.stage == null ? Stage.ALERT : m.stage;
            element(x, 1, "identifier", identifier);
            element(x, 1, "sender", settings.sender());
            element(x, 1, "sent", sent(m.sentTimestamp));
            element(x, 1, "status", settings.status().capValue());
            element(x, 1, "msgType", msgType(stage));
            element(x, 1, "scope", "Public");
            element(x, 1, "code", CAP_AU_CODE);
            if (settings.status() == CapSettings.Status.EXERCISE) {
                element(x, 1, "note", "Exercise: generated from simulated or demo sensor data, not a real fire.");
            }
            if (m.references.length > 0) {
                element(x, 1, "references", references(m, settings.sender()));
            }
            element(x, 1, "incidents", checkedIdentifier(m.alertId));
            info(x, m, stage);
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the CAP document of " + m.messageId, e);
        }
        return out.toString();
    }

    /** CAP {@code sent}: the event time to the second, offset {@code +00:00}, e.g. 2024-11-21T00:20:00+00:00. */
    public static String sent(long epochMillis) {
        return SENT.format(Instant.ofEpochMilli(epochMillis));
    }

    /** {@code Alert}, or {@code Update} for updates and the all-clear. */
    public static String msgType(Stage stage) {
        return stage == Stage.ALERT ? "Alert" : "Update";
    }

    public static String responseType(Stage stage) {
        return stage == Stage.ALL_CLEAR ? "AllClear" : "Monitor";
    }

    public static String urgency(Stage stage) {
        return stage == Stage.ALL_CLEAR ? "Past" : "Immediate";
    }

    /** The CAP severity; also the SNS message attribute {@code severity}. */
    public static String severity(Stage stage) {
        return stage == Stage.ALL_CLEAR ? "Minor" : "Severe";
    }

    public static String certainty(Stage stage) {
        return "Observed";
    }

    /** "sender,identifier,sent" of each earlier message, oldest first, space-separated. */
    static String references(IncidentMessage m, String sender) {
        StringBuilder sb = new StringBuilder();
        for (IncidentMessage.Reference r : m.references) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(sender).append(',').append(checkedIdentifier(r.messageId)).append(',').append(sent(r.sentTimestamp));
        }
        return sb.toString();
    }

    private static void info(XMLStreamWriter x, IncidentMessage m, Stage stage) throws XMLStreamException {
        indent(x, 1);
        x.writeStartElement(NAMESPACE, "info");
        element(x, 2, "language", LANGUAGE);
        element(x, 2, "category", "Fire");
        element(x, 2, "event", "Bushfire");
        element(x, 2, "responseType", responseType(stage));
        element(x, 2, "urgency", urgency(stage));
        element(x, 2, "severity", severity(stage));
        element(x, 2, "certainty", certainty(stage));
        element(x, 2, "onset", sent(m.fireRootOnsetTimestamp));
        element(x, 2, "senderName", SENDER_NAME);
        element(x, 2, "headline", IncidentText.headline(m));
        element(x, 2, "description", IncidentText.body(m));
        GeoPoint centre = IncidentText.mapCentre(m);
        if (centre != null) {
            element(x, 2, "web", UntrustedText.mapLink(centre.lat, centre.lon));
        }
        parameter(x, "messageSequence", Integer.toString(m.sequence));
        parameter(x, "burningSensors", Integer.toString(m.burningSensors));
        parameter(x, "locatedSensors", Integer.toString(m.positionedSensors));
        if (m.hull.length >= 3) {
            parameter(x, "burntAreaKm2", String.format(Locale.ROOT, "%.3f", m.areaKm2));
        }
        if (m.headingDegrees != null && Double.isFinite(m.headingDegrees)) {
            parameter(x, "headingDegrees", String.format(Locale.ROOT, "%.0f", m.headingDegrees));
        }
        if (m.rateOfSpreadMetresPerMinute != null && Double.isFinite(m.rateOfSpreadMetresPerMinute)) {
            parameter(x, "rateOfSpreadMetresPerMinute", String.format(Locale.ROOT, "%.1f", m.rateOfSpreadMetresPerMinute));
        }
        parameter(x, "firstChain", IncidentText.path(m.firstChain));
        area(x, m);
        indent(x, 1);
        x.writeEndElement();
    }

    private static void area(XMLStreamWriter x, IncidentMessage m) throws XMLStreamException {
        indent(x, 2);
        x.writeStartElement(NAMESPACE, "area");
        String network = UntrustedText.displayed(m.network == null ? Reading.DEFAULT_NETWORK : m.network);
        String polygon = polygon(m.hull);
        String circle = polygon == null ? circle(m) : null;
        String desc;
        if (polygon != null) {
            desc = "Burnt area of the bushfire in sensor network " + network + ": convex hull of "
                    + m.positionedSensors + " located burning sensors";
        } else if (circle != null) {
            desc = "Around the located burning sensors of the bushfire in sensor network " + network
                    + " (fewer than 3 located sensors)";
        } else {
            desc = "Sensor network " + network + " (no sensor of this fire reported a position)";
        }
        element(x, 3, "areaDesc", desc);
        if (polygon != null) {
            element(x, 3, "polygon", polygon);
        } else if (circle != null) {
            element(x, 3, "circle", circle);
        }
        indent(x, 2);
        x.writeEndElement();
    }

    /** The hull closed: its pairs, then the first again; null below three usable points. */
    static String polygon(GeoPoint[] hull) {
        if (hull.length < 3) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (GeoPoint p : hull) {
            if (!UntrustedText.isUsablePosition(p.lat, p.lon)) {
                return null;
            }
            sb.append(pair(p)).append(' ');
        }
        return sb.append(pair(hull[0])).toString();
    }

    static String circle(IncidentMessage m) {
        GeoPoint centre = m.centroid;
        if (centre == null || !UntrustedText.isUsablePosition(centre.lat, centre.lon)) {
            centre = newestLocated(m.firstChain);
        }
        if (centre == null) {
            return null;
        }
        double radius = MIN_CIRCLE_RADIUS_KM;
        if (m.boundingBoxMin != null && m.boundingBoxMax != null) {
            radius = Math.max(radius, distanceKm(m.boundingBoxMin, m.boundingBoxMax) / 2);
        }
        return pair(centre) + " " + String.format(Locale.ROOT, "%.2f", radius);
    }

    private static GeoPoint newestLocated(Onset[] chain) {
        for (int i = chain.length - 1; i >= 0; i--) {
            Reading r = chain[i].reading;
            if (UntrustedText.isUsablePosition(r.lat, r.lon)) {
                return new GeoPoint(r.lat, r.lon);
            }
        }
        return null;
    }

    /** Equirectangular: exact enough over the few kilometres of one fire. */
    private static double distanceKm(GeoPoint a, GeoPoint b) {
        double meanLat = Math.toRadians((a.lat + b.lat) / 2);
        double dy = (b.lat - a.lat) * KM_PER_DEGREE;
        double dx = (b.lon - a.lon) * KM_PER_DEGREE * Math.cos(meanLat);
        return Math.hypot(dx, dy);
    }

    private static String pair(GeoPoint p) {
        return UntrustedText.coordinate(p.lat) + "," + UntrustedText.coordinate(p.lon);
    }

    /** CAP 1.2: an identifier "MUST NOT include spaces, commas or restricted characters (< and &)". */
    private static String checkedIdentifier(String id) {
        if (id == null || id.isEmpty() || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ',' && c != '<' && c != '&')) {
            throw new IllegalArgumentException("not a CAP identifier (printable ASCII without spaces, commas, < or &): '"
                    + id + "'");
        }
        return id;
    }

    private static void parameter(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        indent(x, 2);
        x.writeStartElement(NAMESPACE, "parameter");
        element(x, 3, "valueName", name);
        element(x, 3, "value", value);
        indent(x, 2);
        x.writeEndElement();
    }

    private static void element(XMLStreamWriter x, int depth, String name, String text) throws XMLStreamException {
        indent(x, depth);
        x.writeStartElement(NAMESPACE, name);
        x.writeCharacters(text);
        x.writeEndElement();
    }

    private static void indent(XMLStreamWriter x, int depth) throws XMLStreamException {
        x.writeCharacters("\n" + "  ".repeat(depth));
    }
}
