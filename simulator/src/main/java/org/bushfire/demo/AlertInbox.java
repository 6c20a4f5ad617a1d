package org.bushfire.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Receives alerts from the SQS queue subscribed to the alert topic — the way a subscriber of the SNS topic gets
 * them — and prints each as it arrives. Counts each fire once: at-least-once delivery may bring an alert twice.
 */
final class AlertInbox implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PATH = Pattern.compile("spread through (\\d+) sensors: (.+)");
    private static final Pattern ROOT = Pattern.compile("Fire root: sensor (.+?), onset");
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    /** One delivered alert, as the message says it. */
    record Delivered(String alertId, String network, String fireRoot, List<String> chain, String subject) {}

    private final SqsClient sqs;
    private final String queueUrl;
    private final PrintStream out;
    private final String referenceAlertId;
    private final Map<String, Delivered> delivered = new LinkedHashMap<>();
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
            String alertId = envelope.at("/MessageAttributes/alertId/Value").asText("");
            String network = envelope.at("/MessageAttributes/network/Value").asText("?");
            String text = envelope.path("Message").asText("");
            List<String> chain = new ArrayList<>();
            Matcher path = PATH.matcher(text);
            if (path.find()) {
                chain.addAll(Arrays.asList(path.group(2).trim().split(" → ")));
            }
            Matcher root = ROOT.matcher(text);
            String fireRoot = root.find() ? root.group(1) : chain.isEmpty() ? "?" : chain.get(0);
            if (delivered.containsKey(alertId)) {
                out.printf("ALERT  (again: %s, delivered at least once)%n", alertId);
                return;
            }
            Delivered d = new Delivered(alertId, network, fireRoot, chain, envelope.path("Subject").asText(""));
            delivered.put(alertId, d);
            out.printf("ALERT  %s  %-10s fire root %s, spread through %d sensors: %s   [%s, alertId %s]%n",
                    LocalTime.now(ZoneId.systemDefault()).format(CLOCK), network, fireRoot, chain.size(),
                    String.join(" → ", chain), alertId.equals(referenceAlertId) ? "the reference fire" : "generated fire",
                    alertId);
            out.flush();
        } catch (Exception e) {
            out.println("demo: a message on the queue is not an SNS alert: " + e.getMessage());
        }
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
