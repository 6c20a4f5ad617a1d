package org.bushfire.sns;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.bushfire.domain.Alert;
import org.bushfire.domain.ContractJson;
import org.bushfire.domain.Onset;
import org.bushfire.domain.Reading;

/**
 * What a fire officer receives for one alert: a subject and body in plain words, and the alert's identity as
 * message attributes (for subscription filter policies) and FIFO group and deduplication ids. Built once from
 * an {@link Alert}; no AWS types, so it can be tested alone and carried through checkpoints as a committable.
 *
 * <p>Sensor and network ids come from the field and are untrusted: the parser already refuses control
 * characters, but this class strips control, format (e.g. right-to-left overrides) and line-separator characters
 * again and caps every displayed id, because the text ends up in e-mail and SMS where it must not be able to
 * forge extra lines.
 */
public final class AlertMessage {
    /** SNS refuses a subject of 100 characters or more; it must also be ASCII without line breaks. */
    public static final int MAX_SUBJECT_LENGTH = 99;
    /** Longest sensor or network id shown in the body; longer ones are cut and marked with an ellipsis. */
    public static final int MAX_DISPLAYED_ID_LENGTH = 40;
    /** Message attribute: the alert's deterministic id (String). */
    public static final String ALERT_ID = "alertId";
    /** Message attribute: the sensor network the fire is in (String). */
    public static final String NETWORK = "network";
    /** Message attribute: how many sensors the chain has (Number). */
    public static final String CHAIN_LENGTH = "chainLength";

    /** SNS FIFO group and deduplication ids: at most 128 of these ASCII characters. */
    private static final Pattern FIFO_ID = Pattern.compile("[A-Za-z0-9!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~]{1,128}");
    /** Longest attribute value we send: ids are at most 128 characters, so this never cuts an honest one. */
    private static final int MAX_ATTRIBUTE_LENGTH = 256;
    private static final int MAP_ZOOM = 14;

    private final String alertId;
    private final String network;
    private final int chainLength;
    private final String subject;
    private final String body;
    private final String alertJson;

    AlertMessage(String alertId, String network, int chainLength, String subject, String body, String alertJson) {
        this.alertId = Objects.requireNonNull(alertId, "alertId");
        this.network = Objects.requireNonNull(network, "network");
        this.chainLength = chainLength;
        this.subject = Objects.requireNonNull(subject, "subject");
        this.body = Objects.requireNonNull(body, "body");
        this.alertJson = Objects.requireNonNull(alertJson, "alertJson");
    }

    public static AlertMessage of(Alert alert) {
        String network = alert.network == null ? Reading.DEFAULT_NETWORK : alert.network;
        int length = alert.chain.length;
        return new AlertMessage(
                attributeValue(alert.alertId),
                attributeValue(network),
                length,
                subject(network, length),
                body(alert, network),
                ContractJson.alert(alert));
    }

    /** The {@code alertId} attribute, and the FIFO deduplication id. */
    public String alertId() {
        return alertId;
    }

    /** The {@code network} attribute: the network id without control characters. */
    public String network() {
        return network;
    }

    /** The {@code chainLength} attribute. */
    public int chainLength() {
        return chainLength;
    }

    /** ASCII, one line, under 100 characters: what SNS accepts and e-mail shows as the subject. */
    public String subject() {
        return subject;
    }

    public String body() {
        return body;
    }

    /** The full alert as {@link ContractJson#alert}, for the log when it cannot be delivered. */
    public String alertJson() {
        return alertJson;
    }

    /**
     * The FIFO message group: the network, so alerts of one network stay in order. A network id SNS would refuse
     * as a group id (spaces, non-ASCII, too long) is replaced by a stable name-based UUID of it.
     */
    public String fifoGroupId() {
        return fifoSafe(network);
    }

    /** The FIFO deduplication id: the alertId, so the same fire published twice is delivered once. */
    public String fifoDeduplicationId() {
        return fifoSafe(alertId);
    }

    private static String fifoSafe(String id) {
        if (FIFO_ID.matcher(id).matches()) {
            return id;
        }
        return UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).toString();
    }

    // ------------------------------------------------------------------ subject

    private static final String SUBJECT_PREFIX = "Bushfire alert: ";

    static String subject(String network, int chainLength) {
        String suffix = " - fire spread through " + chainLength + " sensors";
        int room = MAX_SUBJECT_LENGTH - SUBJECT_PREFIX.length() - suffix.length();
        String subject = SUBJECT_PREFIX + cap(ascii(visible(network)), room, "...") + suffix;
        return subject.length() <= MAX_SUBJECT_LENGTH ? subject : subject.substring(0, MAX_SUBJECT_LENGTH);
    }

    /** Printable ASCII only: anything else becomes '?', so a subject can never carry a line break. */
    static String ascii(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> sb.append(cp >= 0x20 && cp < 0x7f ? (char) cp : '?'));
        return sb.length() == 0 ? "?" : sb.toString();
    }

    // ------------------------------------------------------------------ body

    private static String body(Alert alert, String network) {
        Onset[] chain = alert.chain;
        StringBuilder b = new StringBuilder(256 + 160 * chain.length);
        b.append("BUSHFIRE ALERT in sensor network ").append(displayed(network)).append('\n');
        b.append('\n');
        b.append("The fire has spread through ").append(chain.length).append(" sensors: ").append(path(chain)).append('\n');
        b.append("Chain completed at ").append(ContractJson.isoTime(alert.completedTimestamp))
                .append(" (event time, UTC).\n");
        b.append("Fire root: sensor ").append(displayed(alert.fireRoot))
                .append(", onset ").append(ContractJson.isoTime(alert.fireRootOnsetTimestamp)).append(".\n");
        b.append('\n');
        b.append("Sensors, in the order the fire reached them:\n");
        for (int i = 0; i < chain.length; i++) {
            b.append(i + 1).append(". ").append(line(chain[i].reading)).append('\n');
        }
        b.append('\n');
        Reading located = latestWithPosition(chain);
        if (located == null) {
            b.append("Map: no sensor of this chain reported a position.\n");
        } else {
            b.append("Map of the latest located sensor (").append(displayed(located.node)).append("): ")
                    .append(mapLink(located.lat, located.lon)).append('\n');
        }
        b.append('\n');
        b.append("Alert id: ").append(displayed(alert.alertId)).append('\n');
        return b.toString();
    }

    private static String path(Onset[] chain) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < chain.length; i++) {
            sb.append(i == 0 ? "" : " → ").append(displayed(chain[i].node()));
        }
        return sb.toString();
    }

    private static String line(Reading r) {
        StringBuilder sb = new StringBuilder();
        sb.append("sensor ").append(displayed(r.node))
                .append(": onset ").append(ContractJson.isoTime(r.eventTimestamp))
                .append(", ").append(r.temperature).append(" °C, ");
        if (r.infectedBy == null) {
            sb.append("no infector reported (ignition)");
        } else {
            sb.append("infected by ").append(displayed(r.infectedBy));
        }
        sb.append(", position ");
        if (hasUsablePosition(r)) {
            sb.append(coordinate(r.lat)).append(", ").append(coordinate(r.lon));
        } else {
            sb.append("unknown");
        }
        return sb.toString();
    }

    private static Reading latestWithPosition(Onset[] chain) {
        for (int i = chain.length - 1; i >= 0; i--) {
            if (hasUsablePosition(chain[i].reading)) {
                return chain[i].reading;
            }
        }
        return null;
    }

    /** The parser already checks ranges; a link to a bogus place would still send a crew the wrong way. */
    private static boolean hasUsablePosition(Reading r) {
        return r.hasPosition() && Double.isFinite(r.lat) && Double.isFinite(r.lon)
                && Math.abs(r.lat) <= 90.0 && Math.abs(r.lon) <= 180.0;
    }

    static String mapLink(double lat, double lon) {
        String la = coordinate(lat);
        String lo = coordinate(lon);
        return "https://www.openstreetmap.org/?mlat=" + la + "&mlon=" + lo + "#map=" + MAP_ZOOM + "/" + la + "/" + lo;
    }

    /** Five decimals: about a metre, more than a sensor's GPS knows. */
    private static String coordinate(double degrees) {
        return String.format(Locale.ROOT, "%.5f", degrees);
    }

    // ------------------------------------------------------------------ untrusted ids

    /** An id as shown to a person: invisible and line-breaking characters removed, at most 40 characters. */
    static String displayed(String id) {
        return cap(visible(id), MAX_DISPLAYED_ID_LENGTH, "…");
    }

    private static String attributeValue(String id) {
        return cap(visible(id), MAX_ATTRIBUTE_LENGTH, "…");
    }

    /** Drops control, format, line/paragraph separator, private-use, unassigned and lone surrogate characters. */
    static String visible(String text) {
        if (text == null) {
            return "?";
        }
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().filter(AlertMessage::isVisible).forEach(sb::appendCodePoint);
        return sb.length() == 0 ? "?" : sb.toString();
    }

    private static boolean isVisible(int cp) {
        switch (Character.getType(cp)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
            case Character.PRIVATE_USE:
            case Character.SURROGATE:
            case Character.UNASSIGNED:
                return false;
            default:
                return true;
        }
    }

    /** At most {@code max} code points, the last ones replaced by {@code mark} when cut. */
    private static String cap(String text, int max, String mark) {
        if (text.codePointCount(0, text.length()) <= max) {
            return text;
        }
        int keep = Math.max(0, max - mark.length());
        return text.substring(0, text.offsetByCodePoints(0, keep)) + mark;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AlertMessage)) {
            return false;
        }
        AlertMessage m = (AlertMessage) o;
        return chainLength == m.chainLength && alertId.equals(m.alertId) && network.equals(m.network)
                && subject.equals(m.subject) && body.equals(m.body) && alertJson.equals(m.alertJson);
    }

    @Override
    public int hashCode() {
        return Objects.hash(alertId, network, chainLength);
    }

    /** Short on purpose: Flink prints committables in its commit-failure messages. */
    @Override
    public String toString() {
        return "AlertMessage[" + alertId + " " + displayed(network) + " " + chainLength + " sensors]";
    }
}
