package org.bushfire.sns;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.bushfire.domain.Alert;
import org.bushfire.job.StreamSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each alert to an Amazon SNS topic, for fire officers' e-mail, SMS and downstream queues: a subject
 * naming the network and chain length, a body with the path, onsets, temperatures, infectors, positions and a
 * map link ({@link AlertMessage}), and the attributes {@code alertId}, {@code network}, {@code chainLength}. On
 * a FIFO topic ({@code .fifo}) the message group is the network and the deduplication id is the alertId.
 *
 * <p>Wiring: {@code AlertingSinks.alertsTo(SnsAlertSink.streamSink(settings))}, after
 * {@link SnsSettings#checkReachable()} at start-up.
 *
 * <h2>Delivery</h2>
 *
 * <p><b>{@link AlertDelivery#AT_LEAST_ONCE at-least-once}</b> (default): the writer publishes each alert at once.
 * A restore replays the readings since the last checkpoint, so an alert raised after it is published again with
 * the same alertId; on a FIFO topic SNS drops that copy if it comes within 5 minutes of the first.
 *
 * <p><b>{@link AlertDelivery#EXACTLY_ONCE exactly-once}</b>: the writer only collects alerts; Flink stores them
 * in the checkpoint that covers the readings that raised them, and the committer publishes them when that
 * checkpoint completes (at the end of a bounded input, everything still pending is committed). The precise
 * guarantee:
 * <ul>
 *   <li>an alert is never published for work a restore rolls back: alerts of an incomplete checkpoint are
 *       discarded and raised again by the replay, then published once, when their own checkpoint completes;</li>
 *   <li>an alert of a completed checkpoint is never lost: until the next checkpoint completes it is also kept in
 *       the committer's state, and a restore commits it again;</li>
 *   <li>so a failure after checkpoint n's alerts were committed but before checkpoint n + 1 completed (a crash
 *       during the commit, or anywhere in the following checkpoint interval) restores n and commits its alerts
 *       a second time. On a FIFO topic the deduplication id (the alertId) makes that re-commit harmless when it
 *       lands within SNS's 5-minute deduplication window of the first publish, i.e. when checkpoint interval
 *       plus recovery time stay under 5 minutes; on a standard topic, or after a longer outage, subscribers may
 *       see the alert twice, with the same alertId;</li>
 *   <li>alerts wait for a checkpoint: latency grows by up to one checkpoint interval, and checkpointing must be
 *       enabled (unless the job runs in BATCH mode, where everything is committed at the end).</li>
 * </ul>
 * Switching an existing job from exactly-once to at-least-once drops the committer and, with it, any alerts
 * still pending in a savepoint; switch after the alerts of the last checkpoint are out.
 *
 * <h2>When SNS fails</h2>
 *
 * <p>Every publish goes through the SDK's standard retry strategy ({@link SnsSettings#maxAttempts()} attempts,
 * exponential backoff; throttling, 5xx and I/O errors are retried). What still fails is never dropped silently:
 * <ul>
 *   <li>At-least-once: the alert is logged at ERROR with its alertId and full JSON, and counted in
 *       {@code bushfire.alertsUndelivered}; the job goes on alerting for other fires.</li>
 *   <li>Exactly-once, a transient failure (throttling, 5xx, timeout, connection): the commit is retried. Flink
 *       re-runs it at once up to {@code sink.committer.retries} times (each run with the SDK's full backoff), then
 *       fails the job; the restore commits the alert again from the checkpoint. An SNS outage therefore delays
 *       the alert, but cannot lose it, which is what choosing exactly-once asks for.</li>
 *   <li>Exactly-once, a permanent failure (topic deleted, access denied, request refused): logged at ERROR and
 *       counted, like at-least-once, and the commit succeeds. A restart cannot fix a missing topic or a
 *       permission, so failing the commit would only put the job into a restart loop in which no other fire's
 *       alert gets out either and readings stop being indexed; the counter is what to alarm on, and the logged
 *       JSON is the alert to act on.</li>
 * </ul>
 */
public abstract class SnsAlertSink implements Sink<Alert> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SnsAlertSink.class);

    /** Counter (metric group {@code bushfire}): alerts SNS accepted. */
    public static final String ALERTS_PUBLISHED = "alertsPublished";
    /** Counter (metric group {@code bushfire}): alerts given up on, each logged at ERROR with its full JSON. */
    public static final String ALERTS_UNDELIVERED = "alertsUndelivered";
    /** Operator name; the uid is {@code sink/} + this. */
    public static final String NAME = "alerts to SNS";

    final SnsSettings settings;

    private SnsAlertSink(SnsSettings settings) {
        this.settings = settings.validate();
    }

    /** The sink for the settings' delivery mode. */
    public static SnsAlertSink create(SnsSettings settings) {
        return settings.validate().delivery() == AlertDelivery.EXACTLY_ONCE
                ? new ExactlyOnce(settings) : new AtLeastOnce(settings);
    }

    /**
     * The alert output of the job, for {@code AlertingSinks.alertsTo(...)}. In exactly-once mode it refuses a
     * streaming job without checkpointing, where no alert would ever be published: enable checkpointing before
     * building the job.
     */
    public static StreamSink<Alert> streamSink(SnsSettings settings) {
        SnsAlertSink sink = create(settings);
        return stream -> {
            sink.checkEnvironment(stream.getExecutionEnvironment());
            StreamSink.of(sink, NAME).attach(stream);
        };
    }

    public SnsSettings settings() {
        return settings;
    }

    void checkEnvironment(StreamExecutionEnvironment env) {
        if (settings.delivery() != AlertDelivery.EXACTLY_ONCE) {
            return;
        }
        boolean batch = env.getConfiguration().get(ExecutionOptions.RUNTIME_MODE) == RuntimeExecutionMode.BATCH;
        if (!batch && !env.getCheckpointConfig().isCheckpointingEnabled()) {
            throw new IllegalArgumentException("--alert-delivery exactly-once publishes an alert when the checkpoint "
                    + "that raised it completes, and checkpointing is off: no alert would ever be sent. Enable "
                    + "checkpointing (execution.checkpointing.interval) or use --alert-delivery at-least-once");
        }
        if (!settings.isFifoTopic()) {
            LOG.warn("--alert-delivery exactly-once to the standard topic {}: an alert committed just before a failure "
                    + "is published again after the restore; a .fifo topic drops that copy", settings.topicArn());
        }
    }

    /** Publishes in the writer, as alerts arrive. */
    static final class AtLeastOnce extends SnsAlertSink {
        private static final long serialVersionUID = 1L;

        AtLeastOnce(SnsSettings settings) {
            super(settings);
        }

        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<Alert> createWriter(InitContext context) {
            return new PublishingAlertWriter(AlertPublisher.open(settings, context.metricGroup()));
        }
    }

    /** Collects in the writer, publishes in the committer when the checkpoint completes. */
    static final class ExactlyOnce extends SnsAlertSink implements SupportsCommitter<AlertMessage> {
        private static final long serialVersionUID = 1L;

        ExactlyOnce(SnsSettings settings) {
            super(settings);
        }

        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<Alert> createWriter(InitContext context) {
            return new PendingAlertWriter();
        }

        @Override
        public Committer<AlertMessage> createCommitter(CommitterInitContext context) {
            return new AlertCommitter(AlertPublisher.open(settings, context.metricGroup()));
        }

        @Override
        public SimpleVersionedSerializer<AlertMessage> getCommittableSerializer() {
            return new AlertMessageSerializer();
        }
    }
}
