package org.bushfire.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The runs of one variant on one workload, all timed by one clock: the job's net runtime from its
 * {@link JobExecutionResult} (from the job running to it finished, without the MiniCluster's start-up). A run
 * that does not finish within the limit is cancelled and counted as cut: it has no time, only "more than the
 * limit", and the figure says so.
 */
final class Timing {
    final String variant;
    final int limitSeconds;
    /** The configuration of every run (the state backend and its memory: {@code bench --state-backend}). */
    private final Configuration jobConfiguration;
    final List<Long> millis = new ArrayList<>();
    boolean cut;
    /** The accumulators of the last finished run (alerts, late readings, ...). */
    Map<String, Object> accumulators = Map.of();

    Timing(String variant, int limitSeconds, Configuration jobConfiguration) {
        this.variant = variant;
        this.limitSeconds = limitSeconds;
        this.jobConfiguration = jobConfiguration;
    }

    /** Runs the job {@code graph} builds on a fresh local MiniCluster, within the limit. False when cut. */
    boolean run(int parallelism, Consumer<StreamExecutionEnvironment> graph) throws Exception {
        System.gc(); // the garbage of the run before is collected before this one, not during it
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, jobConfiguration);
        graph.accept(env);
        JobClient job = env.executeAsync("bench: " + variant);
        try {
            JobExecutionResult result = job.getJobExecutionResult().get(limitSeconds, TimeUnit.SECONDS);
            millis.add(Math.max(1, result.getNetRuntime(TimeUnit.MILLISECONDS)));
            accumulators = result.getAllAccumulatorResults();
            return true;
        } catch (TimeoutException e) {
            cut = true;
            job.cancel().get(60, TimeUnit.SECONDS);
            try {
                job.getJobExecutionResult().get(60, TimeUnit.SECONDS); // the MiniCluster goes with the job
            } catch (ExecutionException cancelled) {
                // expected: the job was cancelled
            }
            return false;
        }
    }

    boolean measured() {
        return !millis.isEmpty() && !cut;
    }

    long median() {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    long min() {
        return Collections.min(millis);
    }

    long max() {
        return Collections.max(millis);
    }

    /** Per second at the median time; for a cut run, the most it can be. */
    double perSecond(long count) {
        return count * 1000.0 / (measured() ? median() : limitSeconds * 1000.0);
    }

    /** "median 1.23 s (1.10–1.40 s, 3 runs)" or "cut at 120 s". */
    String describe() {
        if (cut) {
            return "cut at " + limitSeconds + " s" + (millis.isEmpty() ? "" : " (after " + millis.size()
                    + " finished run" + (millis.size() == 1 ? "" : "s") + ")");
        }
        return String.format(Locale.ROOT, "median %.2f s (%.2f–%.2f s, %d run%s)", median() / 1e3, min() / 1e3,
                max() / 1e3, millis.size(), millis.size() == 1 ? "" : "s");
    }

    Map<String, Object> toJson() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("cut", cut);
        o.put("limit_s", limitSeconds);
        o.put("runs_ms", millis);
        if (measured()) {
            o.put("median_ms", median());
            o.put("min_ms", min());
            o.put("max_ms", max());
        }
        return o;
    }

    static long count(Map<String, Object> accumulators, String name) {
        return accumulators.get(name) instanceof Number n ? n.longValue() : 0;
    }
}
