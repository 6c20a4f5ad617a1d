package org.bushfire.testing;

import java.util.Map;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
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

    private static AlertSubscription subscribe(SnsClient sns, SqsClient sqs, String topic, String queue) {
        String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queue).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(queueArn)
                .attributes(Map.of("RawMessageDelivery", "false")));
        return new AlertSubscription(topic, queue);
    }
}
