package org.bushfire.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.bushfire.cap.CapSettings;
import org.bushfire.domain.ContractJson;
import org.bushfire.domain.IncidentMessage;
import org.bushfire.domain.IncidentText;
import org.bushfire.testing.IncidentFixtures;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/** What an incident message becomes on SNS: per-protocol bodies, attributes, FIFO ids, the CAP publish. */
class IncidentNoticeTest {
    static final String REGION = "ap-southeast-2";
    static final String TOPIC = "arn:aws:sns:" + REGION + ":123456789012:bushfire-incidents.fifo";
    static final String CAP_TOPIC = "arn:aws:sns:" + REGION + ":123456789012:bushfire-cap";
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void withoutACapTopicAMessageIsOnePublishWithABodyPerProtocol() throws Exception {
        IncidentMessage m = IncidentFixtures.update("ridge-7");

        List<SnsNotification> notices = IncidentNotice.of(m, SnsSettings.of(TOPIC, REGION));

        assertThat(notices).hasSize(1);
        PublishRequest request = notices.get(0).request(SnsSettings.of(TOPIC, REGION));
        assertThat(request.topicArn()).isEqualTo(TOPIC);
        assertThat(request.messageStructure()).isEqualTo("json");
        assertThat(request.subject()).isEqualTo("Bushfire update 2: ridge-7 - 10 sensors burning, 20.6 km2, heading NE");
        JsonNode perProtocol = JSON.readTree(request.message());
        assertThat(perProtocol.fieldNames()).toIterable().containsExactly("default", "email", "email-json", "sms");
        assertThat(perProtocol.get("default").asText()).isEqualTo(ContractJson.incident(m));
        assertThat(perProtocol.get("email").asText()).isEqualTo(IncidentText.body(m))
                .contains("https://www.openstreetmap.org/?mlat=-33.71500&mlon=150.32000");
        assertThat(perProtocol.get("email-json").asText()).isEqualTo(perProtocol.get("email").asText());
        assertThat(perProtocol.get("sms").asText()).isEqualTo(request.subject());
        assertThat(request.messageGroupId()).isEqualTo("ridge-7");
        assertThat(request.messageDeduplicationId()).isEqualTo(m.messageId).endsWith(".2");
    }

    @Test
    void attributesLetSubscribersFilterOnMsgTypeSeverityAndNetwork() {
        SnsSettings settings = SnsSettings.of(TOPIC, REGION);

        Map<String, MessageAttributeValue> alert = attributes(IncidentFixtures.alert("ridge-7", true), settings);
        Map<String, MessageAttributeValue> update = attributes(IncidentFixtures.update("ridge-7"), settings);
        Map<String, MessageAttributeValue> allClear = attributes(IncidentFixtures.allClear("ridge-7"), settings);

        assertThat(alert.get("msgType").stringValue()).isEqualTo("Alert");
        assertThat(update.get("msgType").stringValue()).isEqualTo("Update");
        assertThat(allClear.get("msgType").stringValue()).isEqualTo("AllClear");
        assertThat(alert.get("severity").stringValue()).isEqualTo("Severe");
        assertThat(update.get("severity").stringValue()).isEqualTo("Severe");
        assertThat(allClear.get("severity").stringValue()).isEqualTo("Minor");
        assertThat(update.keySet()).containsExactly("msgType", "severity", "network", "alertId", "messageId",
                "sequence", "burningSensors", "chainLength");
        assertThat(update.get("network").stringValue()).isEqualTo("ridge-7");
        assertThat(update.get("alertId").stringValue()).isEqualTo(IncidentFixtures.update("ridge-7").alertId);
        assertThat(update.get("sequence").dataType()).isEqualTo("Number");
        assertThat(update.get("sequence").stringValue()).isEqualTo("2");
        assertThat(update.get("burningSensors").stringValue()).isEqualTo("10");
        assertThat(update.get("chainLength").stringValue()).isEqualTo("5");
        assertThat(update.size()).as("SNS takes at most 10 attributes").isLessThanOrEqualTo(10);
    }

    @Test
    void withACapTopicTheCapDocumentIsASecondPublishOfItsOwn() {
        SnsSettings settings = SnsSettings.of(TOPIC, REGION).withCapTopicArn(CAP_TOPIC)
                .withCap(CapSettings.of("rfs.example", CapSettings.Status.EXERCISE));
        IncidentMessage m = IncidentFixtures.allClear("ridge-7");

        List<SnsNotification> notices = IncidentNotice.of(m, settings);

        assertThat(notices).extracting(SnsNotification::kind).containsExactly("incident message", "CAP document");
        PublishRequest cap = notices.get(1).request(settings);
        assertThat(cap.topicArn()).isEqualTo(CAP_TOPIC);
        assertThat(cap.messageStructure()).as("the same XML to every protocol").isNull();
        assertThat(cap.message()).startsWith("<?xml").contains("<identifier>" + m.messageId + "</identifier>")
                .contains("<status>Exercise</status>").contains("<sender>rfs.example</sender>");
        assertThat(cap.messageAttributes().get("contentType").stringValue()).isEqualTo("application/cap+xml");
        assertThat(cap.messageAttributes().get("msgType").stringValue()).isEqualTo("AllClear");
        assertThat(cap.messageGroupId()).as("a standard CAP topic takes no FIFO ids").isNull();
        assertThat(notices.get(0).request(settings).topicArn()).isEqualTo(TOPIC);
    }

    @Test
    void everyMessageOfAFireHasItsOwnDeduplicationId() {
        SnsSettings settings = SnsSettings.of(TOPIC, REGION);

        List<String> ids = List.of(
                IncidentNotice.of(IncidentFixtures.alert("ridge-7", true), settings).get(0).request(settings).messageDeduplicationId(),
                IncidentNotice.of(IncidentFixtures.update("ridge-7"), settings).get(0).request(settings).messageDeduplicationId(),
                IncidentNotice.of(IncidentFixtures.allClear("ridge-7"), settings).get(0).request(settings).messageDeduplicationId());

        assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id.startsWith(IncidentFixtures.update("ridge-7").alertId));
    }

    @Test
    void pendingNoticesAndAlertsSurviveACheckpointAndOldAlertCheckpointsAreStillRead() throws Exception {
        SnsSettings settings = SnsSettings.of(TOPIC, REGION).withCapTopicArn(CAP_TOPIC);
        List<SnsNotification> notices = IncidentNotice.of(IncidentFixtures.update("ridge-7"), settings);
        AlertMessage alert = AlertMessage.of(AlertMessageTest.chain("ridge-7", true, 1, 2, 3, 4, 5));
        SnsNotificationSerializer serializer = new SnsNotificationSerializer();

        for (SnsNotification n : List.of(notices.get(0), notices.get(1), alert)) {
            assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(n))).isEqualTo(n);
        }
        byte[] version1 = new AlertMessageSerializer().serialize(alert);
        assertThat(serializer.deserialize(1, version1)).as("an alert pending in a savepoint of the alert-only sink")
                .isEqualTo(alert);
        assertThatThrownBy(() -> serializer.deserialize(3, version1)).hasMessageContaining("unknown format version 3");
    }

    @Test
    void capSettingsAreValidatedWithTheTopic() {
        SnsSettings base = SnsSettings.of(TOPIC, REGION);

        assertThat(base.withCapTopicArn(CAP_TOPIC).validate().capTopicArn()).contains(CAP_TOPIC);
        assertThat(base.capTopicArn()).isEmpty();
        assertThat(base.cap()).isEqualTo(CapSettings.defaults());
        assertThatThrownBy(() -> base.withCapTopicArn("bushfire-cap").validate())
                .hasMessageContaining("--cap-topic-arn 'bushfire-cap' is not an SNS topic ARN");
        assertThatThrownBy(() -> base.withCapTopicArn("arn:aws:sns:us-east-1:123456789012:cap").validate())
                .hasMessageContaining("--cap-topic-arn names region us-east-1 but --region is ap-southeast-2");
        assertThatThrownBy(() -> base.withCapTopicArn(TOPIC).validate())
                .hasMessageContaining("--cap-topic-arn is the same topic as --sns-topic-arn");
        assertThatThrownBy(() -> base.withCap(CapSettings.of("rural fire", CapSettings.Status.ACTUAL)).validate())
                .hasMessageContaining("--cap-sender 'rural fire'");
    }

    static Map<String, MessageAttributeValue> attributes(IncidentMessage m, SnsSettings settings) {
        return IncidentNotice.of(m, settings).get(0).request(settings).messageAttributes();
    }
}
