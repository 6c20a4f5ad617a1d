package org.bushfire.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * An SNS topic on the local stand-in with an SQS queue subscribed to it: what a fire officer's mail or pager
 * service would see. A FIFO pair (the topic the job prefers: group per network, deduplication by alert id) or a
 * standard one (no deduplication: every publish arrives). The queue receives the SNS envelope, not the raw
 * message, so a test sees the subject and the message attributes too.
 */
public final class AlertSubscription {
    public final String topicArn;
    public final String queueUrl;

    private AlertSubscription(String topicArn, String queueUrl) {
        this.topicArn = topicArn;
        this.queueUrl = queueUrl;
    }

    /** A FIFO topic and queue, both named {@code name + ".fifo"}. */
    public static AlertSubscription fifo(SnsClient sns, SqsClient sqs, String name) {
        String fifoName = name + ".fifo";
        String topic = sns.createTopic(r -> r.name(fifoName).attributes(Map.of("FifoTopic", "true"))).topicArn();
        String queue = sqs.createQueue(r -> r.queueName(fifoName)
                .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
        return subscribe(sns, sqs, topic, queue);
    }

    /** A standard topic and queue, both named {@code name}. */
    public static AlertSubscription standard(SnsClient sns, SqsClient sqs, String name) {
        String topic = sns.createTopic(r -> r.name(name)).topicArn();
        String queue = sqs.createQueue(r -> r.queueName(name)).queueUrl();
        return subscribe(sns, sqs, topic, queue);
    }

    /**
     * Another queue on an existing topic (a FIFO queue for a FIFO topic), receiving only what the subscription
     * filter policy on message attributes lets through; a null policy lets everything through.
     */
    public static AlertSubscription another(SnsClient sns, SqsClient sqs, String topic, String queueName, String filterPolicy) {
        boolean fifo = topic.endsWith(".fifo");
        String name = fifo ? queueName + ".fifo" : queueName;
        String queue = sqs.createQueue(r -> r.queueName(name)
                .attributes(fifo ? Map.of(QueueAttributeName.FIFO_QUEUE, "true") : Map.of())).queueUrl();
        return subscribe(sns, sqs, topic, queue, filterPolicy);
    }

    private static AlertSubscription subscribe(SnsClient sns, SqsClient sqs, String topic, String queue) {
        return subscribe(sns, sqs, topic, queue, null);
    }

    private static AlertSubscription subscribe(SnsClient sns, SqsClient sqs, String topic, String queue, String filterPolicy) {
        String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queue).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        Map<String, String> attributes = new HashMap<>();
        attributes.put("RawMessageDelivery", "false");
        if (filterPolicy != null) {
            attributes.put("FilterPolicy", filterPolicy);
        }
        sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(queueArn).attributes(attributes));
        return new AlertSubscription(topic, queue);
    }

    /**
     * Everything the queue delivers within a few seconds, waiting for {@code expected} messages and then one
     * more poll for any extra. Each message is deleted at once: on a FIFO queue a message in flight would
     * hide the next one of its group.
     */
    public List<Message> receive(SqsClient sqs, int expected) {
        return receive(sqs, expected, Duration.ofSeconds(5));
    }

    /** The same, waiting up to {@code timeout} for the {@code expected} messages (a job still starting, say). */
    public List<Message> receive(SqsClient sqs, int expected, Duration timeout) {
        List<Message> received = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean lastPoll = false;
        while (!lastPoll) {
            lastPoll = received.size() >= expected || System.nanoTime() > deadline;
            List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            for (Message m : batch) {
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
            received.addAll(batch);
        }
        return received;
    }
}
