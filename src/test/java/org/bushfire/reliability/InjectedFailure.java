package org.bushfire.reliability;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;
import org.bushfire.domain.IncidentMessage;

/**
 * Places in the job graph where a test makes a task fail once. The MiniCluster runs in the test JVM and loads
 * our classes from the test's own class path, so the tasks and the test share these static flags: the test
 * {@link #arm arms} a point, the task that passes it for the N-th time throws, and the point disarms itself.
 */
enum InjectedFailure {
    /** Between the split of readings and the Elasticsearch readings sink. */
    RAW_READINGS,
    /** Right after "one alert per fire", before the alert sinks (chained to it). */
    ALERT_PATH,
    /** Inside the SNS sink writer, after the real writer took the alert. */
    SNS_WRITER,
    /** Inside the exactly-once SNS committer, after the real committer published a checkpoint's alerts. */
    SNS_COMMITTER;

    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicInteger untilFailure = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicLong failedAtNanos = new AtomicLong();

    /** The {@code afterRecords}-th record to pass this point from now on (across subtasks) fails its task. */
    void arm(int afterRecords) {
        untilFailure.set(afterRecords);
        armed.set(true);
    }

    void reset() {
        armed.set(false);
        failures.set(0);
    }

    /** How often this point made a task fail since the last {@link #reset()}. */
    int failures() {
        return failures.get();
    }

    /**
     * Counts a record that is a fire's alert and lets any other pass uncounted: on the incident path the struck
     * record is the phase's alert, not an update or all-clear of an earlier phase's fire.
     */
    void passIncidentMessage(IncidentMessage message) {
        if (message.stage == IncidentMessage.Stage.ALERT) {
            pass("the alert message " + message.messageId);
        }
    }

    /** Counts one record; throws for the record that reaches the armed count, once. */
    void pass(Object record) {
        if (armed.get() && untilFailure.decrementAndGet() == 0 && armed.compareAndSet(true, false)) {
            failures.incrementAndGet();
            failedAtNanos.set(System.nanoTime());
            throw new InjectedTaskFailure("injected failure at " + this + " after " + record);
        }
    }

    /** {@link System#nanoTime()} when this point last made a task fail. */
    long failedAtNanos() {
        return failedAtNanos.get();
    }

    static void resetAll() {
        for (InjectedFailure point : values()) {
            point.reset();
        }
    }

    /** What an injected failure throws, so a log reader can tell it from a real one. */
    static final class InjectedTaskFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedTaskFailure(String message) {
            super(message);
        }
    }

    /**
     * Forwards each record, then lets the point decide whether the task fails. Forwarding first means that a
     * chained sink has already taken the record when the failure strikes.
     */
    static final class AfterForwarding<T> implements FlatMapFunction<T, T> {
        private static final long serialVersionUID = 1L;
        private final InjectedFailure point;
        private final FilterFunction<T> counted;

        /** Every record counts. */
        AfterForwarding(InjectedFailure point) {
            this(point, record -> true);
        }

        /** Only the records {@code counted} accepts count; the others pass. */
        AfterForwarding(InjectedFailure point, FilterFunction<T> counted) {
            this.point = point;
            this.counted = counted;
        }

        @Override
        public void flatMap(T record, Collector<T> out) throws Exception {
            out.collect(record);
            if (counted.filter(record)) {
                point.pass(record);
            }
        }
    }
}
