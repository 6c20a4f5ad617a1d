package org.bushfire.elasticsearch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bushfire.domain.ContractJson;
import org.bushfire.domain.GeoPoint;
import org.bushfire.domain.IncidentMessage;

/**
 * A fire's document in the alerts index as its incident goes on: the alert's document
 * ({@link AlertDocuments}, unchanged, so every saved search on alerts keeps working) plus an {@code incident}
 * object with the state the latest message reported. The {@code _id} stays the alert id, so each fire is one
 * document, overwritten by each message of its incident in turn:
 *
 * <pre>
 * {"alertId":"…", …the alert's fields…,
 *  "incident":{"messageId":"….3","sequence":3,"stage":"UPDATE","reason":"MILESTONE","sentTime":"…",
 *              "lastOnsetTime":"…","burningSensors":40,"milestone":40,"positionedSensors":40,"areaKm2":1.92,
 *              "hull":[{"lat":…,"lon":…}, …],"centroid":{…},"boundingBoxMin":{…},"boundingBoxMax":{…},
 *              "headingDegrees":44.0,"rateOfSpreadMetresPerMinute":18.5}}
 * </pre>
 * Messages of one fire come from one keyed subtask, in sequence order, and the Elasticsearch writer sends its
 * bulks one at a time (a flush blocks until answered, retries included), so the document ends at the latest
 * message. The hull is a multi-valued {@code geo_point} (the minimal distribution we run has no
 * {@code geo_shape} mapper); a map draws it as a polygon from the points in order.
 */
public final class IncidentDocuments {
    private IncidentDocuments() {}

    public static String id(IncidentMessage m) {
        return m.alertId;
    }

    public static Map<String, Object> document(IncidentMessage m) {
        Map<String, Object> doc = AlertDocuments.document(m.alert());
        Map<String, Object> incident = new LinkedHashMap<>();
        incident.put("messageId", m.messageId);
        incident.put("sequence", m.sequence);
        incident.put("stage", m.stage.name());
        incident.put("reason", m.reason.name());
        incident.put("sentTime", ContractJson.isoTime(m.sentTimestamp));
        incident.put("lastOnsetTime", ContractJson.isoTime(m.lastOnsetTimestamp));
        incident.put("burningSensors", m.burningSensors);
        incident.put("milestone", m.milestone);
        incident.put("positionedSensors", m.positionedSensors);
        incident.put("areaKm2", m.areaKm2);
        if (m.hull.length > 0) {
            List<Map<String, Object>> hull = new ArrayList<>(m.hull.length);
            for (GeoPoint p : m.hull) {
                hull.add(ReadingDocuments.geoPoint(p.lat, p.lon));
            }
            incident.put("hull", hull);
        }
        putPoint(incident, "centroid", m.centroid);
        putPoint(incident, "boundingBoxMin", m.boundingBoxMin);
        putPoint(incident, "boundingBoxMax", m.boundingBoxMax);
        if (m.headingDegrees != null) {
            incident.put("headingDegrees", m.headingDegrees);
        }
        if (m.rateOfSpreadMetresPerMinute != null) {
            incident.put("rateOfSpreadMetresPerMinute", m.rateOfSpreadMetresPerMinute);
        }
        doc.put("incident", incident);
        return doc;
    }

    private static void putPoint(Map<String, Object> doc, String field, GeoPoint p) {
        if (p != null) {
            doc.put(field, ReadingDocuments.geoPoint(p.lat, p.lon));
        }
    }
}
