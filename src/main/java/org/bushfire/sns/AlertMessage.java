package org.bushfire.sns;

import java.util.Map;
import java.util.Objects;
import org.bushfire.domain.Alert;
import org.bushfire.domain.ContractJson;
import org.bushfire.domain.Onset;
import org.bushfire.domain.Reading;
import org.bushfire.domain.UntrustedText;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * What a fire officer receives for one alert: a subject and body in plain words, and the alert's identity as
 * message attributes (for subscription filter policies) and FIFO group and deduplication ids. Built once from
 * an {@link Alert}; no AWS types, so it can be tested alone and carried through checkpoints as a committable.
 *
 * <p>Sensor and network ids come from the field and are untrusted: every displayed id passes through
 * {@link UntrustedText}, because the text ends up in e-mail and SMS where it must not be able to forge extra lines.
 */
public final class AlertMessage implements SnsNotification {
    /** SNS refuses a subject of 100 characters or more; it must also be ASCII without line breaks. */
    public static final int MAX_SUBJECT_LENGTH = 99;
    /** Longest sensor or network id shown in the body; longer ones are cut and marked with an ellipsis. */
    public static final int MAX_DISPLAYED_ID_LENGTH = UntrustedText.MAX_DISPLAYED_ID_LENGTH;
    /** Message attribute: the alert's deterministic id (String). */
    public static final String ALERT_ID = "alertId";
    /** Message attribute: the sensor network the fire is in (String). */
    public static final String NETWORK = "network";
    /** Message attribute: how many sensors the chain has (Number). */
    public static final String CHAIN_LENGTH = "chainLength";


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
        return SnsAttributes.fifoSafe(network);
    }

    /** The FIFO deduplication id: the alertId, so the same fire published twice is delivered once. */
    public String fifoDeduplicationId() {
        return SnsAttributes.fifoSafe(alertId);
    }

    @Override
    public String kind() {
        return "alert";
    }

    @Override
    public String id() {
        return alertId;
    }

    @Override
    public String describe() {
        return displayed(network) + ", " + chainLength + " sensors";
    }

    @Override
    public String recordJson() {
        return alertJson;
    }

    @Override
    public String topicArn(SnsSettings settings) {
        return settings.topicArn();
    }

    /** The subject and plain-text body to every protocol, the alert's attributes, FIFO ids on a FIFO topic. */
    @Override
    public PublishRequest request(SnsSettings settings) {
        PublishRequest.Builder request = PublishRequest.builder()
                .topicArn(settings.topicArn())
                .subject(subject)
                .message(body)
                .messageAttributes(Map.of(
                        ALERT_ID, SnsAttributes.text(alertId),
                        NETWORK, SnsAttributes.text(network),
                        CHAIN_LENGTH, SnsAttributes.number(chainLength)));
        if (SnsSettings.isFifoTopic(settings.topicArn())) {
            request.messageGroupId(fifoGroupId()).messageDeduplicationId(fifoDeduplicationId());
        }
        return request.build();
    }

    // ------------------------------------------------------------------ subject

    private static final String SUBJECT_PREFIX = "Bushfire alert: ";

    static String subject(String network, int chainLength) {
        String suffix = " - fire spread through " + chainLength + " sensors";
        int room = MAX_SUBJECT_LENGTH - SUBJECT_PREFIX.length() - suffix.length();
        String subject = SUBJECT_PREFIX + cap(ascii(visible(network)), room, "...") + suffix;
        return subject.length() <= MAX_SUBJECT_LENGTH ? subject : subject.substring(0, MAX_SUBJECT_LENGTH);
    }

    static String ascii(String text) {
        return UntrustedText.ascii(text);
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

    private static boolean hasUsablePosition(Reading r) {
        return UntrustedText.isUsablePosition(r.lat, r.lon);
    }

    static String mapLink(double lat, double lon) {
        return UntrustedText.mapLink(lat, lon);
    }

    private static String coordinate(double degrees) {
        return UntrustedText.coordinate(degrees);
    }

    // ------------------------------------------------------------------ untrusted ids

    static String displayed(String id) {
        return UntrustedText.displayed(id);
    }

    private static String attributeValue(String id) {
        return SnsAttributes.value(id);
    }

    private static String visible(String text) {
        return UntrustedText.visible(text);
    }

    private static String cap(String text, int max, String mark) {
        return UntrustedText.cap(text, max, mark);
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
