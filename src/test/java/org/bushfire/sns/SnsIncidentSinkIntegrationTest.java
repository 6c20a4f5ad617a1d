package org.bushfire.sns;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.bushfire.cap.CapDocument;
import org.bushfire.cap.CapSettings;
import org.bushfire.domain.ContractJson;
import org.bushfire.domain.IncidentMessage;
import org.bushfire.testing.AlertSubscription;
import org.bushfire.testing.CapXml;
import org.bushfire.testing.IncidentFixtures;
import org.bushfire.testing.LocalAws;
import org.bushfire.testing.LocalServices;
import org.bushfire.testing.TestCluster;
import org.bushfire.testing.ThrowawayCredentials;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Element;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Incident messages through the SNS sink against fauxqs (the real SNS and SQS wire protocols through the AWS SDK,
 * on 127.0.0.1 only): a fire's alert, update and all-clear, run through a Flink job on a MiniCluster into a FIFO
 * topic with SQS queues subscribed — one taking everything, two with <b>subscription filter policies on
 * {@code msgType}</b> — and a CAP topic with a queue of its own.
 *
 * <p>What fauxqs 1.9.2 does and does not do, read from its source ({@code dist/sns/actions/publish.js},
 * {@code dist/sns/filter.js}): it evaluates filter policies on message attributes (exact strings, prefixes,
 * anything-but, numeric, exists, {@code $or}), so the filter tests below are real. It does <b>not</b> implement
 * {@code MessageStructure=json}: it hands the per-protocol structure itself to the SQS subscriber as the message,
 * where SNS would pick the {@code sqs} key or, as here, {@code default}. {@link #machineBody} therefore reads the
 * {@code default} body out of the structure when it finds one, and the tests assert the structure's other bodies
 * (e-mail text, SMS line) as published; which body SNS hands to which protocol is SNS's part and not tested here.
 * It delivers to SQS only (no e-mail), so the e-mail body is checked as published, not as received.
 */
class SnsIncidentSinkIntegrationTest {
    @RegisterExtension
    @Order(1)
    static final LocalServices SERVICES = LocalServices.of(LocalServices.Service.SNS);

    static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    @Order(2)
    static final MiniClusterExtension MINI_CLUSTER = TestCluster.twoSlots(METRICS.addToConfiguration(new Configuration()));

    @RegisterExtension
    @Order(3)
    static final ThrowawayCredentials CREDENTIALS = new ThrowawayCredentials();

    static final String REGION = "ap-southeast-2";
    static final URI ENDPOINT = LocalServices.Service.SNS.endpoint();
    static final String SENDER = "bushfire-tests.example";
    static final ObjectMapper JSON = new ObjectMapper();

    static SnsClient sns;
    static SqsClient sqs;

    @BeforeAll
    static void clients() {
        sns = LocalAws.snsClient(REGION);
        sqs = LocalAws.sqsClient(REGION);
    }

    @AfterAll
    static void closeClients() {
        sns.close();
        sqs.close();
    }

    @Test
    void anUpdateAndAnAllClearArriveWithTheirAttributesAndFilterPoliciesSelectByMsgType() throws Exception {
        String name = "bushfire-incidents-" + unique();
        AlertSubscription everything = AlertSubscription.fifo(sns, sqs, name);
        AlertSubscription allClearOnly = AlertSubscription.another(sns, sqs, everything.topicArn, name + "-allclear",
                "{\"msgType\":[\"AllClear\"]}");
        AlertSubscription burning = AlertSubscription.another(sns, sqs, everything.topicArn, name + "-burning",
                "{\"msgType\":[\"Alert\",\"Update\"],\"severity\":[\"Severe\"]}");
        AlertSubscription cap = AlertSubscription.standard(sns, sqs, name + "-cap");
        IncidentMessage alert = IncidentFixtures.alert("ridge-7", true);
        IncidentMessage update = IncidentFixtures.update("ridge-7");
        IncidentMessage allClear = IncidentFixtures.allClear("ridge-7");
        SnsSettings settings = settings(everything.topicArn, AlertDelivery.AT_LEAST_ONCE).withCapTopicArn(cap.topicArn)
                .withCap(CapSettings.of(SENDER, CapSettings.Status.EXERCISE));

        JobExecutionResult result = run(SnsAlertSinkIntegrationTest.environment(), settings, alert, update, allClear);

        List<Message> all = everything.receive(sqs, 3);
        assertThat(all).as("a FIFO group per network: in the fire's order").hasSize(3);
        assertThat(attribute(all, "msgType")).containsExactly("Alert", "Update", "AllClear");
        assertThat(attribute(all, "severity")).containsExactly("Severe", "Severe", "Minor");
        assertThat(attribute(all, "network")).containsOnly("ridge-7");
        assertThat(attribute(all, "alertId")).containsOnly(alert.alertId);
        assertThat(attribute(all, "messageId")).containsExactly(alert.messageId, update.messageId, allClear.messageId);
        assertThat(attribute(all, "sequence")).containsExactly("1", "2", "3");
        assertThat(all.get(1).attributesAsStrings()).containsEntry("MessageDeduplicationId", update.messageId)
                .containsEntry("MessageGroupId", "ridge-7");
        JsonNode updateEnvelope = envelope(all.get(1));
        assertThat(updateEnvelope.at("/MessageAttributes/burningSensors/Type").asText()).isEqualTo("Number");
        assertThat(updateEnvelope.get("Subject").asText())
                .isEqualTo("Bushfire update 2: ridge-7 - 10 sensors burning, 20.6 km2, heading NE");
        assertThat(machineBody(updateEnvelope)).isEqualTo(ContractJson.incident(update));
        assertThat(machineBody(envelope(all.get(2)))).isEqualTo(ContractJson.incident(allClear));
        JsonNode published = publishedStructure(updateEnvelope);
        assertThat(published).as("fauxqs 1.9.2 passes the per-protocol structure through (see the class comment); "
                + "if a newer one picks the default body, check the e-mail body in IncidentNoticeTest only").isNotNull();
        assertThat(published.get("email").asText()).contains("BUSHFIRE UPDATE 2 in sensor network ridge-7")
                .contains("Map: https://www.openstreetmap.org/?mlat=-33.71500&mlon=150.32000");
        assertThat(published.get("sms").asText()).isEqualTo(updateEnvelope.get("Subject").asText());

        List<Message> onlyAllClear = allClearOnly.receive(sqs, 1);
        assertThat(onlyAllClear).as("the filter policy {msgType: [AllClear]}").hasSize(1);
        assertThat(attribute(onlyAllClear, "messageId")).containsExactly(allClear.messageId);
        List<Message> whileBurning = burning.receive(sqs, 2);
        assertThat(attribute(whileBurning, "msgType")).as("the filter policy {msgType: [Alert, Update], severity: [Severe]}")
                .containsExactly("Alert", "Update");

        List<Message> capDocuments = cap.receive(sqs, 3);
        assertThat(capDocuments).hasSize(3);
        Set<String> identifiers = new HashSet<>();
        for (Message m : capDocuments) {
            JsonNode envelope = envelope(m);
            assertThat(envelope.at("/MessageAttributes/contentType/Value").asText()).isEqualTo("application/cap+xml");
            Element document = CapXml.parse(envelope.get("Message").asText());
            assertThat(document.getNamespaceURI()).isEqualTo(CapDocument.NAMESPACE);
            assertThat(document.getLocalName()).isEqualTo("alert");
            String identifier = text(document, "identifier");
            identifiers.add(identifier);
            assertThat(text(document, "status")).isEqualTo("Exercise");
            assertThat(text(document, "sender")).isEqualTo(SENDER);
            assertThat(envelope.at("/MessageAttributes/messageId/Value").asText()).isEqualTo(identifier);
            if (identifier.equals(allClear.messageId)) {
                assertThat(text(document, "msgType")).isEqualTo("Update");
                assertThat(text(document, "responseType")).isEqualTo("AllClear");
            }
        }
        assertThat(identifiers).containsExactlyInAnyOrder(alert.messageId, update.messageId, allClear.messageId);
        assertThat(counter(result.getJobID(), SnsAlertSink.ALERTS_PUBLISHED)).as("3 messages and 3 CAP documents")
                .isEqualTo(6L);
        assertThat(counter(result.getJobID(), SnsAlertSink.ALERTS_UNDELIVERED)).isZero();
    }

    @Test
    void exactlyOnceCommitsTheMessagesAndTheirCapDocumentsAtTheEndOfABoundedInput() throws Exception {
        String name = "bushfire-incidents-" + unique();
        AlertSubscription everything = AlertSubscription.fifo(sns, sqs, name);
        AlertSubscription cap = AlertSubscription.fifo(sns, sqs, name + "-cap");
        StreamExecutionEnvironment env = SnsAlertSinkIntegrationTest.environment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        IncidentMessage update = IncidentFixtures.update("valley-2");
        IncidentMessage allClear = IncidentFixtures.allClear("valley-2");

        run(env, settings(everything.topicArn, AlertDelivery.EXACTLY_ONCE).withCapTopicArn(cap.topicArn), update, allClear);

        assertThat(attribute(everything.receive(sqs, 2), "msgType")).containsExactly("Update", "AllClear");
        List<Message> capDocuments = cap.receive(sqs, 2);
        assertThat(capDocuments).hasSize(2);
        assertThat(capDocuments.get(1).attributesAsStrings()).containsEntry("MessageDeduplicationId", allClear.messageId);
    }

    @Test
    void aRestoreNeitherRepeatsNorSkipsAMessageOnAFifoTopic() throws Exception {
        AlertSubscription subscription = AlertSubscription.fifo(sns, sqs, "bushfire-incidents-" + unique());
        IncidentMessage[] fire = {IncidentFixtures.alert("ridge-7", true), IncidentFixtures.update("ridge-7"),
                IncidentFixtures.allClear("ridge-7")};
        StreamExecutionEnvironment env = SnsAlertSinkIntegrationTest.environmentThatRestartsOnce();

        SnsAlertSink.incidentStreamSink(settings(subscription.topicArn, AlertDelivery.AT_LEAST_ONCE))
                .attach(env.fromData(fire).flatMap(new FailOnceAfterForwarding()).name("fail once")
                        // one subtask, as the keyed incident step is for one fire: a rebalance would reorder them
                        .setParallelism(1));
        env.execute("incident messages, failure, restore");

        List<Message> messages = subscription.receive(sqs, 3);
        assertThat(attribute(messages, "messageId")).as("the copies a restore publishes again are dropped by their "
                + "deduplication id").containsExactly(fire[0].messageId, fire[1].messageId, fire[2].messageId);
    }

    @Test
    void exactlyOnceNeverSendsAMessageWhoseCheckpointDidNotCompleteNorLosesOne() throws Exception {
        AlertSubscription subscription = AlertSubscription.standard(sns, sqs, "bushfire-incidents-" + unique());
        IncidentMessage[] fire = {IncidentFixtures.alert("ridge-7", true), IncidentFixtures.update("ridge-7"),
                IncidentFixtures.allClear("ridge-7")};
        StreamExecutionEnvironment env = SnsAlertSinkIntegrationTest.environmentThatRestartsOnce();
        env.enableCheckpointing(100);

        SnsAlertSink.incidentStreamSink(settings(subscription.topicArn, AlertDelivery.EXACTLY_ONCE))
                .attach(env.fromData(fire).flatMap(new FailOnceAfterForwarding()).name("fail once").setParallelism(1));
        env.execute("incident messages, failure, restore, exactly-once");

        List<Message> messages = subscription.receive(sqs, 4);
        assertThat(attribute(messages, "messageId")).as("a standard topic drops no copy: each arrived once")
                .containsExactlyInAnyOrder(fire[0].messageId, fire[1].messageId, fire[2].messageId);
    }

    // ------------------------------------------------------------------ helpers

    /**
     * What a machine subscriber gets: on SNS the {@code default} body of the per-protocol structure; fauxqs passes
     * the structure through, so it is read out of it here.
     */
    static String machineBody(JsonNode envelope) throws IOException {
        JsonNode structure = publishedStructure(envelope);
        return structure == null ? envelope.get("Message").asText() : structure.get("default").asText();
    }

    /** The per-protocol structure when the stand-in delivered it as the message, else null. */
    static JsonNode publishedStructure(JsonNode envelope) throws IOException {
        JsonNode message = JSON.readTree(envelope.get("Message").asText());
        return message.isObject() && message.has("default") && message.has("email") ? message : null;
    }

    static List<String> attribute(List<Message> messages, String name) throws IOException {
        List<String> values = new ArrayList<>();
        for (Message m : messages) {
            values.add(envelope(m).at("/MessageAttributes/" + name + "/Value").asText());
        }
        return values;
    }

    static JsonNode envelope(Message message) throws IOException {
        return SnsAlertSinkIntegrationTest.envelope(message);
    }

    static String text(Element document, String name) {
        return document.getElementsByTagNameNS(CapDocument.NAMESPACE, name).item(0).getTextContent();
    }

    static SnsSettings settings(String topicArn, AlertDelivery delivery) {
        return SnsSettings.of(topicArn, REGION).withEndpoint(ENDPOINT).withDelivery(delivery).withMaxAttempts(3);
    }

    static JobExecutionResult run(StreamExecutionEnvironment env, SnsSettings settings, IncidentMessage... messages)
            throws Exception {
        SnsAlertSink.incidentStreamSink(settings).attach(env.fromData(messages));
        return env.execute("incident messages to SNS");
    }

    static long counter(JobID job, String name) {
        return SnsAlertSinkIntegrationTest.counter(METRICS, job, name);
    }

    static String unique() {
        return SnsAlertSinkIntegrationTest.unique();
    }

    /** Passes each message on, then fails the task in its first attempt after the first message. */
    static final class FailOnceAfterForwarding extends RichFlatMapFunction<IncidentMessage, IncidentMessage> {
        @Override
        public void flatMap(IncidentMessage message, Collector<IncidentMessage> out) {
            out.collect(message);
            if (getRuntimeContext().getTaskInfo().getAttemptNumber() == 0 && message.sequence == 2) {
                throw new IllegalStateException("injected failure after incident message " + message.messageId);
            }
        }
    }
}
