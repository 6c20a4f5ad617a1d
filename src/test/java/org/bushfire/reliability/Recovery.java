package org.bushfire.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;

/** How the reliability tests run the job: checkpointed, restarted on failure, as on the cluster. */
final class Recovery {
    /** Restarts to allow: several injected failures per test, and slack for a slow restart failing again. */
    static final int RESTART_ATTEMPTS = 30;
    /** The fixed delay between a failure and the restart. */
    static final Duration RESTART_DELAY = Duration.ofSeconds(1);

    private Recovery() {}

    /**
     * Exactly-once checkpoints every {@code interval}, on RocksDB with incremental checkpoints into a folder of
     * their own under target/ (as production runs: EMR's flink-conf sets the same backend); fixed-delay restarts,
     * one second apart.
     */
    static Configuration restartsAndCheckpoints(Duration interval) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                Path.of("target", "checkpoints", UUID.randomUUID().toString()).toAbsolutePath().toUri().toString());
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, interval);
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, RESTART_ATTEMPTS);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, RESTART_DELAY);
        return conf;
    }

    /** How often Flink restarted {@code job}, from its {@code numRestarts} gauge (0 before it first reports). */
    static long restarts(InMemoryReporter metrics, JobID job) {
        for (Metric metric : metrics.findMetrics(job, "numRestarts").values()) {
            return ((Gauge<?>) metric).getValue() instanceof Number n ? n.longValue() : 0;
        }
        return 0;
    }

    /** Triggers a checkpoint and waits for it to complete, retrying while the job is (re)starting. */
    static void checkpointNow(MiniCluster cluster, JobID job, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                cluster.triggerCheckpoint(job).get(60, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no checkpoint of job " + job + " completed within " + timeout, e);
                }
                Thread.sleep(500);
            }
        }
    }

    /** Per operator subtask and attempt: watermarks, records in and out, late records dropped, our counters. */
    static String watermarks(InMemoryReporter reporter, JobID job) {
        List<String> names = List.of("currentInputWatermark", "currentOutputWatermark", "numRecordsIn", "numRecordsOut",
                "numLateRecordsDropped", "readings", "readingsLate", "onsets", "chains", "alerts");
        java.util.TreeMap<String, String> lines = new java.util.TreeMap<>();
        reporter.getMetricsByGroup().forEach((group, metrics) -> {
            Map<String, String> variables = group.getAllVariables();
            if (!job.toString().equals(variables.get("<job_id>")) || !variables.containsKey("<operator_name>")) {
                return;
            }
            StringBuilder line = new StringBuilder();
            for (String name : names) {
                Metric metric = metrics.get(name);
                if (metric instanceof Gauge<?> gauge) {
                    line.append(' ').append(name).append('=').append(gauge.getValue());
                } else if (metric instanceof org.apache.flink.metrics.Counter counter) {
                    line.append(' ').append(name).append('=').append(counter.getCount());
                }
            }
            lines.merge(variables.get("<operator_name>") + " [" + variables.get("<subtask_index>") + "#"
                    + variables.get("<task_attempt_num>") + "]", line.toString(), String::concat);
        });
        StringBuilder out = new StringBuilder();
        lines.forEach((operator, values) -> out.append("  ").append(operator).append(':').append(values).append('\n'));
        return out.toString();
    }
}
