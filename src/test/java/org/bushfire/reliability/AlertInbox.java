package org.bushfire.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bushfire.reliability.FireReadings.Fire;
import org.bushfire.testing.LocalAws;
import org.bushfire.testing.LocalServices.Service;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A STANDARD SNS topic on fauxqs with an SQS queue subscribed to it: what a fire officer's subscription
 * receives. A standard topic has no deduplication, so every alert SNS was asked to publish shows up here.
 *
 * <p>The job publishes each fire's incident messages — its alert, then updates and the all-clear — as {@code run}
 * does. An alert ({@code msgType} Alert) is a {@link Notification}; the messages that follow it are kept apart
 * ({@link #followUps()}). Each notification is told apart by the SNS MessageId in its envelope (one per publish),
 * so a message SQS happened to deliver twice is not mistaken for one published twice. Its fire is read from the
 * e-mail body the fire officer reads ("Fire root: sensor 1, onset …" and the network attribute), independently of
 * its alertId. fauxqs hands an SQS subscriber the whole per-protocol structure (real SNS would pick its
 * {@code default} body): the e-mail body is read from it.
 */
final class AlertInbox implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ROOT = Pattern.compile("Fire root: sensor (.+?), onset (\\S+?)\\.\\n");

    /** One published alert as received; {@code receivedNanos} is {@link System#nanoTime()} when it was polled. */
    record Notification(String snsMessageId, String alertId, Fire fire, long receivedNanos) {}

    /** A message after a fire's alert (an update or the all-clear), as received. */
    record FollowUp(String snsMessageId, String alertId, String msgType, int sequence) {}

    final String topicArn;
    private final String queueUrl;
    private final SnsClient sns;
    private final SqsClient sqs;
    private final Map<String, Notification> received = new LinkedHashMap<>();
    private final Map<String, FollowUp> followUps = new LinkedHashMap<>();

    private AlertInbox(SnsClient sns, SqsClient sqs, String topicArn, String queueUrl) {
        this.sns = sns;
        this.sqs = sqs;
        this.topicArn = topicArn;
        this.queueUrl = queueUrl;
    }

    static AlertInbox standard(String name) {
        StaticCredentialsProvider credentials =
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local-test", "local-test"));
        SnsClient sns = SnsClient.builder().region(Region.of(LocalAws.REGION)).endpointOverride(Service.SNS.endpoint())
                .credentialsProvider(credentials).build();
        SqsClient sqs = SqsClient.builder().region(Region.of(LocalAws.REGION)).endpointOverride(Service.SNS.endpoint())
                .credentialsProvider(credentials).build();
        String topic = sns.createTopic(r -> r.name(name)).topicArn();
        String queue = sqs.createQueue(r -> r.queueName(name)).queueUrl();
        String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queue).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(queueArn)
                .attributes(Map.of("RawMessageDelivery", "false")));
        return new AlertInbox(sns, sqs, topic, queue);
    }

    /** Takes everything the queue holds now, deleting each message so it is not delivered again. */
    synchronized void poll() {
        while (true) {
            List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages();
            if (batch.isEmpty()) {
                return;
            }
            for (Message m : batch) {
                take(m.body());
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }

    /** Polls until every one of {@code fires} has been alerted at least once. */
    void awaitFires(Collection<Fire> fires, Duration timeout) throws InterruptedException {
        awaitFires(fires, timeout, () -> {});
    }

    /**
     * The same, running {@code check} between polls: it throws to fail fast when waiting longer is pointless
     * (the job failed for good, a task manager is gone and nothing can run).
     */
    void awaitFires(Collection<Fire> fires, Duration timeout, Runnable check) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            check.run();
            poll();
            List<Fire> missing = new ArrayList<>(fires);
            missing.removeAll(byFire().keySet());
            if (missing.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no alert within " + timeout + " for " + missing + "; received " + byFire());
            }
            Thread.sleep(200);
        }
    }

    /** Keeps polling for {@code period}, for copies that are still on their way. */
    void pollFor(Duration period) throws InterruptedException {
        long deadline = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < deadline) {
            poll();
            Thread.sleep(200);
        }
    }

    synchronized Map<Fire, List<Notification>> byFire() {
        Map<Fire, List<Notification>> fires = new LinkedHashMap<>();
        for (Notification n : received.values()) {
            fires.computeIfAbsent(n.fire(), f -> new ArrayList<>()).add(n);
        }
        return fires;
    }

    /** {@link System#nanoTime()} of the first notification polled after {@code nanos}; empty if none yet. */
    synchronized java.util.OptionalLong firstReceivedAfter(long nanos) {
        return received.values().stream().mapToLong(Notification::receivedNanos).filter(t -> t > nanos).min();
    }

    synchronized int size() {
        return received.size();
    }

    /** The updates and all-clears received, each publish once. */
    synchronized List<FollowUp> followUps() {
        return new ArrayList<>(followUps.values());
    }

    /**
     * Per alertId, the sequence numbers of every message received for it (the alert is 1), each publish once: a
     * restore must continue a fire's sequence without leaving a number out.
     */
    synchronized Map<String, java.util.SortedSet<Integer>> sequencesByAlertId() {
        Map<String, java.util.SortedSet<Integer>> sequences = new LinkedHashMap<>();
        received.values().forEach(n -> sequences.computeIfAbsent(n.alertId(), a -> new java.util.TreeSet<>()).add(1));
        followUps.values().forEach(f -> sequences.computeIfAbsent(f.alertId(), a -> new java.util.TreeSet<>())
                .add(f.sequence()));
        return sequences;
    }

    private void take(String body) {
        try {
            JsonNode envelope = JSON.readTree(body);
            String snsMessageId = envelope.path("MessageId").asText();
            String alertId = envelope.at("/MessageAttributes/alertId/Value").asText();
            String msgType = envelope.at("/MessageAttributes/msgType/Value").asText();
            if (!msgType.equals("Alert")) {
                followUps.putIfAbsent(snsMessageId, new FollowUp(snsMessageId, alertId, msgType,
                        Integer.parseInt(envelope.at("/MessageAttributes/sequence/Value").asText())));
                return;
            }
            String text = emailBody(envelope.path("Message").asText());
            Matcher root = ROOT.matcher(text);
            if (!root.find()) {
                throw new AssertionError("an SNS message without its fire root: " + text);
            }
            Fire fire = new Fire(envelope.at("/MessageAttributes/network/Value").asText(), root.group(1),
                    Instant.parse(root.group(2)).toEpochMilli());
            received.putIfAbsent(snsMessageId, new Notification(snsMessageId, alertId, fire, System.nanoTime()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The e-mail body of a per-protocol structure as fauxqs passes it on, or the message itself. */
    private static String emailBody(String message) throws IOException {
        if (message.startsWith("{")) {
            JsonNode structure = JSON.readTree(message);
            if (structure.path("email").isTextual()) {
                return structure.get("email").asText();
            }
        }
        return message;
    }

    @Override
    public void close() {
        try {
            sns.deleteTopic(r -> r.topicArn(topicArn));
            sqs.deleteQueue(r -> r.queueUrl(queueUrl));
        } finally {
            sns.close();
            sqs.close();
        }
    }
}
