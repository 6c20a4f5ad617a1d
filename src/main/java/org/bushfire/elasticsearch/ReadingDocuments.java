package org.bushfire.elasticsearch;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bushfire.domain.ContractJson;
import org.bushfire.domain.Reading;

/**
 * The Elasticsearch document of one raw reading, and its {@code _id}. Pure: the same reading always gives the
 * same document and id, so an at-least-once replay overwrites documents instead of duplicating them.
 *
 * <p>Document ({@code elasticsearch/sensor-readings-template.json} maps it):
 * <pre>
 * {"network":"ridge-7","node":"12","eventTime":"2024-11-21T00:01:00Z","temperature":51.5,
 *  "infectedBy":"11","location":{"lat":-33.71,"lon":150.31},"hot":true}
 * </pre>
 * {@code infectedBy} and {@code location} are left out when unknown; {@code hot} is {@code temperature ≥ T}.
 *
 * <p>Id, at most {@value #MAX_READABLE_ID_LENGTH} characters, URL-safe (letters, digits, {@code - _ . ~}):
 * <ul>
 *   <li>{@code <network>~<node>~<eventTimestamp>} when network and node use only letters, digits, {@code -},
 *       {@code _} and {@code .} and the result fits — readable in Kibana, e.g. {@code default~12~1732147260000};
 *   <li>otherwise {@code sha256~} followed by the unpadded base64url SHA-256 of the UTF-8 bytes of
 *       {@code <length of network>:<network><length of node>:<node><eventTimestamp>} (lengths in UTF-16
 *       units, as Java counts them; the length prefixes make the input unambiguous).
 * </ul>
 * The two forms cannot collide: a readable id has two {@code ~}, a hashed id one.
 */
public final class ReadingDocuments implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int MAX_READABLE_ID_LENGTH = 200;
    static final String HASHED_ID_PREFIX = "sha256~";

    private final double threshold;

    /** @param threshold T: a reading at or above it is {@code hot}, as the job decides. */
    public ReadingDocuments(double threshold) {
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold must be finite (was " + threshold + ")");
        }
        this.threshold = threshold;
    }

    public double threshold() {
        return threshold;
    }

    public Map<String, Object> document(Reading r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("network", r.network);
        doc.put("node", r.node);
        doc.put("eventTime", ContractJson.isoTime(r.eventTimestamp));
        doc.put("temperature", r.temperature);
        if (r.infectedBy != null) {
            doc.put("infectedBy", r.infectedBy);
        }
        if (r.hasPosition()) {
            doc.put("location", geoPoint(r.lat, r.lon));
        }
        doc.put("hot", r.isHot(threshold));
        return doc;
    }

    public static String id(Reading r) {
        return idOf(r.network, r.node, r.eventTimestamp);
    }

    public static String idOf(String network, String node, long eventTimestamp) {
        if (isPlain(network) && isPlain(node)) {
            String readable = network + '~' + node + '~' + eventTimestamp;
            if (readable.length() <= MAX_READABLE_ID_LENGTH) {
                return readable;
            }
        }
        String identity = network.length() + ":" + network + node.length() + ":" + node + eventTimestamp;
        return HASHED_ID_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(identity));
    }

    /** {@code {"lat":…,"lon":…}}: the object form of a geo_point, the least ambiguous of its forms. */
    static Map<String, Object> geoPoint(double lat, double lon) {
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("lat", lat);
        point.put("lon", lon);
        return point;
    }

    private static boolean isPlain(String id) {
        if (id.isEmpty()) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.';
            if (!plain) {
                return false;
            }
        }
        return true;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
