package org.bushfire.sns;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bushfire.cap.CapDocument;
import org.bushfire.domain.ContractJson;
import org.bushfire.domain.IncidentMessage;
import org.bushfire.domain.IncidentText;
import org.bushfire.domain.Reading;
import org.bushfire.domain.UntrustedText;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * One publish of an incident message: to the topic, or its CAP document to the CAP topic. Built once from an
 * {@link IncidentMessage}; plain values only, so it is tested alone and carried through checkpoints.
 *
 * <p><b>To the topic</b> it goes with {@code MessageStructure=json}, one body per protocol: {@code email} and
 * {@code email-json} get the readable text of {@link IncidentText#body} (with the map link), {@code sms} the
 * subject line, and every other protocol ({@code sqs}, {@code http(s)}, {@code lambda}, {@code firehose}, …) takes
 * {@code default}: the message as {@link ContractJson#incident}.
 *
 * <p><b>To the CAP topic</b> (only when {@code --cap-topic-arn} is set) the body is the CAP 1.2 XML of
 * {@link CapDocument#of}, the same to every protocol. A second topic rather than a key of the per-protocol
 * structure: that structure chooses by protocol only, so two SQS subscribers — one wanting JSON, one wanting
 * CAP — could not be told apart; an agency subscribes its CAP ingest to the CAP topic instead.
 *
 * <p>Both carry the same message attributes, for subscription filter policies: {@code msgType}
 * ({@code Alert}, {@code Update} or {@code AllClear}), {@code severity} (the CAP severity: {@code Severe} while the
 * fire burns, {@code Minor} for the all-clear), {@code network}, {@code alertId}, {@code messageId}, and the
 * numbers {@code sequence}, {@code burningSensors}, {@code chainLength}; the CAP one also {@code contentType}
 * {@code application/cap+xml}. On a FIFO topic the group is the network and the deduplication id is the message id,
 * so a message published again after a restore is dropped by SNS within its deduplication window, and two
 * messages of one fire are never mistaken for copies.
 */
final class IncidentNotice implements SnsNotification {
    /** Message attributes, beside {@link AlertMessage#ALERT_ID}, {@link AlertMessage#NETWORK}, {@link AlertMessage#CHAIN_LENGTH}. */
    static final String MSG_TYPE = "msgType";
    static final String SEVERITY = "severity";
    static final String MESSAGE_ID = "messageId";
    static final String SEQUENCE = "sequence";
    static final String BURNING_SENSORS = "burningSensors";
    static final String CONTENT_TYPE = "contentType";
    static final String CAP_CONTENT_TYPE = "application/cap+xml";

    private static final JsonFactory JSON = new JsonFactory();

    /** Which topic of the settings a notice goes to. */
    enum Target {
        TOPIC("incident message"),
        CAP_TOPIC("CAP document");

        final String kind;

        Target(String kind) {
            this.kind = kind;
        }
    }

    final Target target;
    final String messageId;
    final String alertId;
    final String network;
    final String msgType;
    final String severity;
    final int sequence;
    final int burningSensors;
    final int chainLength;
    final String subject;
    /** The per-protocol JSON structure (topic), or the CAP XML (CAP topic). */
    final String message;
    final String incidentJson;

    IncidentNotice(Target target, String messageId, String alertId, String network, String msgType, String severity,
            int sequence, int burningSensors, int chainLength, String subject, String message, String incidentJson) {
        this.target = Objects.requireNonNull(target, "target");
        this.messageId = Objects.requireNonNull(messageId, "messageId");
        this.alertId = Objects.requireNonNull(alertId, "alertId");
        this.network = Objects.requireNonNull(network, "network");
        this.msgType = Objects.requireNonNull(msgType, "msgType");
        this.severity = Objects.requireNonNull(severity, "severity");
        this.sequence = sequence;
        this.burningSensors = burningSensors;
        this.chainLength = chainLength;
        this.subject = Objects.requireNonNull(subject, "subject");
        this.message = Objects.requireNonNull(message, "message");
        this.incidentJson = Objects.requireNonNull(incidentJson, "incidentJson");
    }

    /** The notice to the topic, then — with a CAP topic in the settings — the CAP document to that topic. */
    static List<SnsNotification> of(IncidentMessage m, SnsSettings settings) {
        IncidentMessage.Stage stage = m.stage == null ? IncidentMessage.Stage.ALERT : m.stage;
        String network = SnsAttributes.value(m.network == null ? Reading.DEFAULT_NETWORK : m.network);
        String json = ContractJson.incident(m);
        String subject = IncidentText.subject(m);
        List<SnsNotification> notices = new ArrayList<>(2);
        notices.add(new IncidentNotice(Target.TOPIC, SnsAttributes.value(m.messageId), SnsAttributes.value(m.alertId),
                network, IncidentText.msgType(stage), CapDocument.severity(stage), m.sequence, m.burningSensors,
                m.firstChain.length, subject, perProtocol(json, IncidentText.body(m), subject), json));
        if (settings.capTopicArn().isPresent()) {
            notices.add(new IncidentNotice(Target.CAP_TOPIC, SnsAttributes.value(m.messageId),
                    SnsAttributes.value(m.alertId), network, IncidentText.msgType(stage), CapDocument.severity(stage),
                    m.sequence, m.burningSensors, m.firstChain.length, subject, CapDocument.of(m, settings.cap()), json));
        }
        return notices;
    }

    /** SNS's per-protocol structure: {@code default} for machines, readable text for people. */
    static String perProtocol(String json, String text, String subject) {
        StringWriter out = new StringWriter(json.length() + 2 * text.length() + 256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("default", json);
            g.writeStringField("email", text);
            g.writeStringField("email-json", text);
            g.writeStringField("sms", subject);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    @Override
    public String kind() {
        return target.kind;
    }

    @Override
    public String id() {
        return messageId;
    }

    @Override
    public String describe() {
        return UntrustedText.displayed(network) + ", " + msgType + " " + sequence + ", " + burningSensors + " sensors";
    }

    @Override
    public String recordJson() {
        return incidentJson;
    }

    @Override
    public String topicArn(SnsSettings settings) {
        return target == Target.TOPIC ? settings.topicArn() : settings.capTopicArn().orElseThrow(() ->
                new IllegalStateException("CAP document " + messageId + " pending, but no --cap-topic-arn is set"));
    }

    @Override
    public PublishRequest request(SnsSettings settings) {
        String topic = topicArn(settings);
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        attributes.put(MSG_TYPE, SnsAttributes.text(msgType));
        attributes.put(SEVERITY, SnsAttributes.text(severity));
        attributes.put(AlertMessage.NETWORK, SnsAttributes.text(network));
        attributes.put(AlertMessage.ALERT_ID, SnsAttributes.text(alertId));
        attributes.put(MESSAGE_ID, SnsAttributes.text(messageId));
        attributes.put(SEQUENCE, SnsAttributes.number(sequence));
        attributes.put(BURNING_SENSORS, SnsAttributes.number(burningSensors));
        attributes.put(AlertMessage.CHAIN_LENGTH, SnsAttributes.number(chainLength));
        PublishRequest.Builder request = PublishRequest.builder().topicArn(topic).subject(subject).message(message);
        if (target == Target.TOPIC) {
            request.messageStructure("json");
        } else {
            attributes.put(CONTENT_TYPE, SnsAttributes.text(CAP_CONTENT_TYPE));
        }
        request.messageAttributes(attributes);
        if (SnsSettings.isFifoTopic(topic)) {
            request.messageGroupId(SnsAttributes.fifoSafe(network)).messageDeduplicationId(SnsAttributes.fifoSafe(messageId));
        }
        return request.build();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof IncidentNotice)) {
            return false;
        }
        IncidentNotice n = (IncidentNotice) o;
        return target == n.target && sequence == n.sequence && burningSensors == n.burningSensors
                && chainLength == n.chainLength && messageId.equals(n.messageId) && alertId.equals(n.alertId)
                && network.equals(n.network) && msgType.equals(n.msgType) && severity.equals(n.severity)
                && subject.equals(n.subject) && message.equals(n.message) && incidentJson.equals(n.incidentJson);
    }

    @Override
    public int hashCode() {
        return Objects.hash(target, messageId);
    }

    /** Short on purpose: Flink prints committables in its commit-failure messages. */
    @Override
    public String toString() {
        return "IncidentNotice[" + target + " " + messageId + " " + msgType + "]";
    }
}
