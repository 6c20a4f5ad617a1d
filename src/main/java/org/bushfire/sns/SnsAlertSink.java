package org.bushfire.sns;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.api.java.functions.KeySelector;
import org.bushfire.domain.Alert;
import org.bushfire.domain.IncidentMessage;
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
 * <h2>Incident messages</h2>
 *
 * <p>{@link #incidentStreamSink(SnsSettings)} publishes a fire's incident messages (alert, updates, all-clear)
 * instead: per-protocol bodies (e-mail the readable text with a map link, machines the JSON), the attributes
 * {@code msgType}, {@code severity}, {@code network}, {@code alertId}, {@code messageId}, {@code sequence},
 * {@code burningSensors}, {@code chainLength}, and with {@link SnsSettings#capTopicArn()} set, each message's CAP
 * 1.2 document to that second topic ({@link IncidentNotice}). The FIFO deduplication id is the message id. The
 * stream is keyed by alertId before the sink, so the messages of one fire pass one writer (and one committer)
 * in their order, and a FIFO topic (group = network) delivers them in that order. Delivery modes and failures
 * behave as below, per publish: an incident message and its CAP document are published, retried and counted
 * separately.
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
public abstract class SnsAlertSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SnsAlertSink.class);

    /** Counter (metric group {@code bushfire}): publishes SNS accepted (alerts, incident messages, CAP documents). */
    public static final String ALERTS_PUBLISHED = "alertsPublished";
    /** Counter (metric group {@code bushfire}): publishes given up on, each logged at ERROR with its full JSON. */
    public static final String ALERTS_UNDELIVERED = "alertsUndelivered";
    /** Operator name; the uid is {@code sink/} + this. */
    public static final String NAME = "alerts to SNS";

    final SnsSettings settings;
    final Notifications<T> notifications;

    private SnsAlertSink(SnsSettings settings, Notifications<T> notifications) {
        this.settings = settings.validate();
        this.notifications = notifications;
    }

    /** The alert sink for the settings' delivery mode. */
    public static SnsAlertSink<Alert> create(SnsSettings settings) {
        return create(settings, Notifications.ofAlerts());
    }

    /** The incident-message sink for the settings' delivery mode. */
    public static SnsAlertSink<IncidentMessage> forIncidents(SnsSettings settings) {
        return create(settings, Notifications.ofIncidents(settings.validate()));
    }

    private static <T> SnsAlertSink<T> create(SnsSettings settings, Notifications<T> notifications) {
        return settings.validate().delivery() == AlertDelivery.EXACTLY_ONCE
                ? new ExactlyOnce<>(settings, notifications) : new AtLeastOnce<>(settings, notifications);
    }

    /**
     * The alert output of the job, for {@code AlertingSinks.alertsTo(...)}. In exactly-once mode it refuses a
     * streaming job without checkpointing, where no alert would ever be published: enable checkpointing before
     * building the job.
     */
    public static StreamSink<Alert> streamSink(SnsSettings settings) {
        SnsAlertSink<Alert> sink = create(settings);
        return stream -> {
            sink.checkEnvironment(stream.getExecutionEnvironment());
            StreamSink.of(sink, NAME).attach(stream);
        };
    }

    /**
     * The incident output of the job: each incident message to the topic (and its CAP document to the CAP topic).
     * Keyed by alertId first, so one fire's messages stay in order; same checks as {@link #streamSink}.
     */
    public static StreamSink<IncidentMessage> incidentStreamSink(SnsSettings settings) {
        SnsAlertSink<IncidentMessage> sink = forIncidents(settings);
        return stream -> {
            sink.checkEnvironment(stream.getExecutionEnvironment());
            attachIncidents(sink, stream);
        };
    }

    /**
     * How {@link #incidentStreamSink} attaches its sink: keyed by alertId, so one fire's messages stay in order,
     * under this sink's name (and so its uid). Public for a test that wraps the real sink to inject faults.
     */
    public static void attachIncidents(Sink<IncidentMessage> sink, DataStream<IncidentMessage> stream) {
        StreamSink.of(sink, NAME).attach(stream.keyBy(new ByAlertId()));
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
        settings.capTopicArn().filter(cap -> !SnsSettings.isFifoTopic(cap)).ifPresent(cap -> LOG.warn(
                "--alert-delivery exactly-once to the standard CAP topic {}: a CAP document committed just before a "
                        + "failure is published again after the restore; a .fifo topic drops that copy", cap));
    }

    /** The fire an incident message belongs to. */
    static final class ByAlertId implements KeySelector<IncidentMessage, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(IncidentMessage message) {
            return message.alertId;
        }
    }

    /** Publishes in the writer, as records arrive. */
    static final class AtLeastOnce<T> extends SnsAlertSink<T> {
        private static final long serialVersionUID = 1L;

        AtLeastOnce(SnsSettings settings, Notifications<T> notifications) {
            super(settings, notifications);
        }

        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<T> createWriter(InitContext context) {
            return new PublishingAlertWriter<>(AlertPublisher.open(settings, context.metricGroup()), notifications);
        }
    }

    /** Collects in the writer, publishes in the committer when the checkpoint completes. */
    static final class ExactlyOnce<T> extends SnsAlertSink<T> implements SupportsCommitter<SnsNotification> {
        private static final long serialVersionUID = 1L;

        ExactlyOnce(SnsSettings settings, Notifications<T> notifications) {
            super(settings, notifications);
        }

        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<T> createWriter(InitContext context) {
            return new PendingAlertWriter<>(notifications);
        }

        @Override
        public Committer<SnsNotification> createCommitter(CommitterInitContext context) {
            return new AlertCommitter<>(AlertPublisher.open(settings, context.metricGroup()));
        }

        @Override
        public SimpleVersionedSerializer<SnsNotification> getCommittableSerializer() {
            return new SnsNotificationSerializer();
        }
    }
}
