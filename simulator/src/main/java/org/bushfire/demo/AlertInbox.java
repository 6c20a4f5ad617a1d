package org.bushfire.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Receives every fire incident's messages — alert, updates, all-clear — from the SQS queue subscribed to the
 * topic, the way a machine subscriber of the SNS topic gets them, and prints each as it arrives. Counts each
 * message once: at-least-once delivery may bring one twice.
 */
final class AlertInbox implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    /** One delivered alert, as the message says it. */
    record Delivered(String alertId, String network, String fireRoot, List<String> chain, String subject) {}

    private final SqsClient sqs;
    private final String queueUrl;
    private final PrintStream out;
    private final String referenceAlertId;
    private final Map<String, Delivered> delivered = new LinkedHashMap<>();
    private final java.util.Set<String> messageIds = new java.util.HashSet<>();
    private int updates;
    private int allClears;
    private volatile boolean stopped;
    private int messages;

    AlertInbox(SqsClient sqs, String queueUrl, PrintStream out, String referenceAlertId) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.out = out;
        this.referenceAlertId = referenceAlertId;
    }

    @Override
    public void run() {
        while (!stopped) {
            try {
                receiveOnce(1);
            } catch (RuntimeException e) {
                if (!stopped) {
                    out.println("demo: receiving alerts failed, retrying: " + e.getMessage());
                    sleep(1000);
                }
            }
        }
    }

    void receiveOnce(int waitSeconds) {
        List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                .waitTimeSeconds(waitSeconds)).messages();
        for (Message m : batch) {
            handle(m.body());
            sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
        }
    }

    private synchronized void handle(String body) {
        messages++;
        try {
            JsonNode envelope = JSON.readTree(body);
            JsonNode message = incidentMessage(envelope.path("Message").asText(""));
            String alertId = message.path("alertId").asText(envelope.at("/MessageAttributes/alertId/Value").asText(""));
            String messageId = message.path("messageId").asText(alertId);
            String network = message.path("network").asText("?");
            String clock = LocalTime.now(ZoneId.systemDefault()).format(CLOCK);
            if (!messageIds.add(messageId)) {
                out.printf("%-9s (again: %s, delivered at least once)%n", label(message), messageId);
                return;
            }
            String stage = message.path("stage").asText("ALERT");
            if (stage.equals("ALERT")) {
                List<String> chain = new ArrayList<>();
                message.path("chain").forEach(n -> chain.add(n.asText()));
                String fireRoot = message.path("fireRoot").asText(chain.isEmpty() ? "?" : chain.get(0));
                delivered.put(alertId, new Delivered(alertId, network, fireRoot, chain, envelope.path("Subject").asText("")));
                out.printf("ALERT     %s  %-10s fire root %s, spread through %d sensors: %s   [%s, alertId %s]%n",
                        clock, network, fireRoot, chain.size(), String.join(" → ", chain),
                        alertId.equals(referenceAlertId) ? "the reference fire" : "generated fire", alertId);
            } else {
                if (stage.equals("UPDATE")) {
                    updates++;
                } else {
                    allClears++;
                }
                out.printf("%-9s %s  %-10s #%d %s: %d sensors burnt, %.2f km²%s   [%s]%n", label(message), clock,
                        network, message.path("sequence").asInt(), message.path("reason").asText("").toLowerCase(),
                        message.path("burningSensors").asInt(), message.path("areaKm2").asDouble(), spread(message),
                        messageId);
            }
            out.flush();
        } catch (Exception e) {
            out.println("demo: a message on the queue is not an SNS incident message: " + e.getMessage());
        }
    }

    /**
     * The incident JSON a machine subscriber receives. Real SNS hands an SQS subscriber the structure's
     * {@code default} body; fauxqs passes the whole per-protocol structure on, so its {@code default} is unpacked.
     */
    private static JsonNode incidentMessage(String text) throws java.io.IOException {
        JsonNode message = JSON.readTree(text);
        if (!message.has("messageId") && message.path("default").isTextual()) {
            message = JSON.readTree(message.get("default").asText());
        }
        return message;
    }

    private static String label(JsonNode message) {
        String stage = message.path("stage").asText("ALERT");
        return stage.equals("ALL_CLEAR") ? "ALL CLEAR" : stage;
    }

    private static String spread(JsonNode message) {
        if (!message.path("headingDegrees").isNumber()) {
            return "";
        }
        String text = String.format(", heading %s (%.0f°)", message.path("headingCompass").asText(""),
                message.path("headingDegrees").asDouble());
        if (message.path("rateOfSpreadMetresPerMinute").isNumber()) {
            text += String.format(" at %.0f m/min", message.path("rateOfSpreadMetresPerMinute").asDouble());
        }
        return text;
    }

    synchronized int updatesDelivered() {
        return updates;
    }

    synchronized int allClearsDelivered() {
        return allClears;
    }

    synchronized List<Delivered> delivered() {
        return new ArrayList<>(delivered.values());
    }

    synchronized int messages() {
        return messages;
    }

    void stop() {
        stopped = true;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
