package org.bushfire.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.bushfire.domain.ContractJson;
import org.bushfire.domain.SensorRecord;
import org.bushfire.job.JobMetrics;
import org.bushfire.job.ReadingsSource;

/**
 * Progress of a long replay on stderr, as the simulator reports its own: records read, their rate, the event
 * time reached and the alerts so far. A season's file takes minutes; without this a replay is silent until it
 * ends.
 *
 * <p>The figures are Flink accumulators, read from the running job through its {@link JobClient}: records read
 * and the newest event time are counted right after the file source (a chained map, so no extra hop), alerts by
 * the job's own {@link JobMetrics#ALERTS}. Task managers report accumulators with their heartbeats, so a line
 * is at most one heartbeat interval behind; the replay sets the interval to {@link #HEARTBEAT} for that. The last
 * line is the job's final totals, exact, and the job's net runtime (without the local cluster's start-up).
 */
final class ReplayProgress {
    static final String RECORDS_READ = "replayRecordsRead";
    static final String EVENT_TIME_REACHED = "replayEventTimeReached";
    /** How often task managers report accumulators in a replay (Flink's default is 10 s). */
    static final Duration HEARTBEAT = Duration.ofMillis(500);

    private ReplayProgress() {}

    /** The source, counted: every record it reads, and the newest event time among its readings. */
    static ReadingsSource counted(ReadingsSource source) {
        return (env, decoder, watermarks) -> {
            DataStream<SensorRecord> records = source.open(env, decoder, watermarks);
            return records.map(new Count()).returns(records.getType()).name("replay progress").uid("replay-progress");
        };
    }

    static final class Count extends RichMapFunction<SensorRecord, SensorRecord> {
        private static final long serialVersionUID = 1L;
        private transient LongCounter read;
        private transient LongMaximum eventTime;

        @Override
        public void open(OpenContext context) {
            read = getRuntimeContext().getLongCounter(RECORDS_READ);
            eventTime = new LongMaximum(Long.MIN_VALUE);
            getRuntimeContext().addAccumulator(EVENT_TIME_REACHED, eventTime);
        }

        @Override
        public SensorRecord map(SensorRecord record) {
            read.add(1L);
            if (record.isReading()) {
                eventTime.add(record.reading.eventTimestamp);
            }
            return record;
        }
    }

    /**
     * Prints a line every {@code every} until the job ends, then the final one, and returns the job's result.
     * {@code every} zero: only the final line.
     */
    static org.apache.flink.api.common.JobExecutionResult follow(JobClient job, Duration every, PrintWriter err)
            throws Exception {
        long start = System.nanoTime();
        var result = job.getJobExecutionResult();
        while (!every.isZero() && !result.isDone()) {
            try {
                result.get(every.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException stillRunning) {
                Map<String, Object> now;
                try {
                    now = job.getAccumulators().get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | IllegalStateException ended) {
                    break; // the job ended meanwhile and took its local cluster with it: its result follows
                }
                err.println(line("replay:", now, start));
                err.flush();
            }
        }
        org.apache.flink.api.common.JobExecutionResult done = result.get();
        err.println(line("replay: done,", done.getAllAccumulatorResults(), start)
                + String.format(Locale.ROOT, "; job net runtime %.2f s", done.getNetRuntime(TimeUnit.MILLISECONDS) / 1e3));
        err.flush();
        return done;
    }

    /**
     * "replay: 120000 records read (40000/s), event time 2024-11-21T03:00:00Z, 950 chains, 12 alerts so far": the
     * rate is the average since the job was submitted; chains show detection moving on after the file is read.
     */
    static String line(String prefix, Map<String, Object> accumulators, long startNanos) {
        long read = number(accumulators.get(RECORDS_READ), 0);
        long eventTime = number(accumulators.get(EVENT_TIME_REACHED), Long.MIN_VALUE);
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        return String.format(Locale.ROOT, "%s %d records read (%.0f/s), event time %s, %d chains, %d alerts so far",
                prefix, read, read / seconds, eventTime == Long.MIN_VALUE ? "-" : ContractJson.isoTime(eventTime),
                number(accumulators.get(JobMetrics.CHAINS), 0), number(accumulators.get(JobMetrics.ALERTS), 0));
    }

    private static long number(Object value, long none) {
        return value instanceof Number n ? n.longValue() : none;
    }
}
