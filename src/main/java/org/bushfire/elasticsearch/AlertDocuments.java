package org.bushfire.elasticsearch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bushfire.domain.Alert;
import org.bushfire.domain.ContractJson;
import org.bushfire.domain.Onset;
import org.bushfire.domain.Reading;

/**
 * The Elasticsearch document of an alert; its {@code _id} is the alert's deterministic {@code alertId} (a
 * UUID), so the same fire is one document however often the job replays it.
 *
 * <pre>
 * {"alertId":"…","network":"default","fireRoot":"1","fireRootOnsetTime":"…","chain":["1","2","3","4","5"],
 *  "chainLength":5,"completedTime":"2024-11-21T00:04:00Z",
 *  "onsets":[{"node":"1","onsetTime":"…","temperature":51.0,"location":{"lat":…,"lon":…}}, …],
 *  "positions":[{"lat":…,"lon":…}, …]}
 * </pre>
 * {@code positions} holds the known onset positions in chain order, as a multi-valued geo_point for maps: a
 * {@code geo_shape} line would draw the path better, but the minimal Elasticsearch distribution we run has no
 * geo_shape mapper. Unknown {@code infectedBy}, {@code location} and {@code positions} are left out.
 */
public final class AlertDocuments {
    private AlertDocuments() {}

    public static String id(Alert a) {
        return a.alertId;
    }

    public static Map<String, Object> document(Alert a) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("alertId", a.alertId);
        doc.put("network", a.network);
        doc.put("fireRoot", a.fireRoot);
        doc.put("fireRootOnsetTime", ContractJson.isoTime(a.fireRootOnsetTimestamp));
        doc.put("chain", a.chainNodes());
        doc.put("chainLength", a.chain.length);
        doc.put("completedTime", ContractJson.isoTime(a.completedTimestamp));
        List<Map<String, Object>> onsets = new ArrayList<>();
        List<Map<String, Object>> positions = new ArrayList<>();
        for (Onset o : a.chain) {
            Reading r = o.reading;
            Map<String, Object> onset = new LinkedHashMap<>();
            onset.put("node", r.node);
            onset.put("onsetTime", ContractJson.isoTime(r.eventTimestamp));
            onset.put("temperature", r.temperature);
            if (r.infectedBy != null) {
                onset.put("infectedBy", r.infectedBy);
            }
            if (r.hasPosition()) {
                onset.put("location", ReadingDocuments.geoPoint(r.lat, r.lon));
                positions.add(ReadingDocuments.geoPoint(r.lat, r.lon));
            }
            onsets.add(onset);
        }
        doc.put("onsets", onsets);
        if (!positions.isEmpty()) {
            doc.put("positions", positions);
        }
        return doc;
    }
}
