package org.bushfire.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointType;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.AbstractCheckpointStats;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.checkpoint.TaskStateStats;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionJobVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;
import org.bushfire.cli.DurationConverter;
import org.bushfire.domain.Alert;
import org.bushfire.domain.IncidentMessage;
import org.bushfire.domain.Reading;
import org.bushfire.domain.ReadingDecoder;
import org.bushfire.job.AlertingConfig;
import org.bushfire.job.AlertingJob;
import org.bushfire.job.AlertingSinks;
import org.bushfire.job.StreamSink;

/**
 * The state the alerting job keeps, as Flink's checkpoint statistics report it, on RocksDB with incremental
 * checkpoints as production runs. The production graph ({@link AlertingJob}) reads a workload from a source that
 * stays open ({@link HeldReadings}); at each watermark asked for, once the watermark has reached the end of the
 * graph (the alerts' sink: every operator before it has fired its timers up to it), it takes
 *
 * <ul>
 *   <li>a <b>canonical savepoint</b>: RocksDB's live entries in Flink's own format — the state the job holds,
 *       whatever RocksDB has not compacted yet. The per-sensor figures are taken from it;
 *   <li>a <b>full checkpoint</b> of the incremental backend: the RocksDB files a restore reads, deletions not
 *       yet compacted away included.
 * </ul>
 *
 * Both are reported per job vertex; every keyed operator heads a vertex of its own (a {@code keyBy} ends a chain),
 * so a vertex's state is its keyed operator's: onsets, fire tree order, infection chains (CEP), one alert per fire.
 *
 * <p>Not a speed measurement: one MiniCluster for all the workloads, one job per workload, cancelled after.
 */
final class StateSize implements AutoCloseable {
    /** The alerts' sink's watermark, per subtask, of the running job; and the alerts and late readings it saw. */
    static final Map<Integer, Long> SINK_WATERMARKS = new ConcurrentHashMap<>();
    static final AtomicLong ALERTS = new AtomicLong();
    static final AtomicLong LATE = new AtomicLong();

    private final AlertingConfig config;
    private final int parallelism;
    private final Path folder;
    private final Duration timeout;
    private final MiniCluster cluster;

    /** The sizes of one snapshot: total bytes, and per job vertex (by its name). */
    record Sizes(long total, Map<String, Long> byVertex) {
        Map<String, Object> toJson() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("bytes", total);
            Map<String, Long> byOperator = new LinkedHashMap<>();
            byVertex.forEach((vertex, size) -> byOperator.merge(operator(vertex), size, Long::sum));
            o.put("by_operator", byOperator);
            return o;
        }
    }

    /** The state at one watermark: live (canonical savepoint) and RocksDB files (full checkpoint). */
    record Snapshot(long watermark, long alerts, long late, Sizes live, Sizes files) {}

    /**
     * A MiniCluster of {@code parallelism} slots, its checkpoints and savepoints in a temporary folder that
     * {@link #close()} deletes; a watermark not reaching the end of the graph within {@code timeout}, or a snapshot not
     * completing within it, fails the measurement.
     */
    StateSize(AlertingConfig config, int parallelism, Duration timeout) throws Exception {
        this.config = config;
        this.parallelism = parallelism;
        this.folder = temporaryFolder();
        this.timeout = timeout;
        this.cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(clusterConfiguration())
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(parallelism)
                .build());
        cluster.start();
    }

    private Configuration clusterConfiguration() {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, folder.resolve("checkpoints").toUri().toString());
        conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, folder.resolve("savepoints").toUri().toString());
        // Only the checkpoints this class triggers: none of its own within a measurement.
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofDays(1));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        // The MiniCluster's REST endpoint on a free loopback port, never the web UI's 8081 another job may hold.
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, "0");
        return conf;
    }

    /**
     * Runs the job over {@code workload} (null: no readings at all) and snapshots its state when the watermark has
     * reached each of {@code watermarks}, in order.
     */
    List<Snapshot> measure(BenchWorkload workload, long... watermarks) throws Exception {
        if (workload != null && workload.partitions != parallelism) {
            throw new IllegalArgumentException("the workload has " + workload.partitions + " blocks for "
                    + parallelism + " source subtasks");
        }
        HeldReadings.Feed feed = new HeldReadings.Feed(workload, config.outOfOrderness().toMillis(), config.threshold());
        HeldReadings.current = feed;
        SINK_WATERMARKS.clear();
        ALERTS.set(0);
        LATE.set(0);
        Configuration jobConf = clusterConfiguration();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, jobConf);
        new AlertingJob(config, new HeldReadings(),
                AlertingSinks.alertsTo(StreamSink.of(WatermarkProbe.alerts(), "alerts"))
                        .alsoIncidentsTo(StreamSink.of(WatermarkProbe.incidents(), "incidents"))
                        .lateReadingsTo(StreamSink.of(new CountLate(), "late readings")))
                .build(env);
        JobID job = cluster.submitJob(env.getStreamGraph().getJobGraph()).get(60, TimeUnit.SECONDS).getJobID();
        try {
            List<Snapshot> snapshots = new ArrayList<>();
            for (long watermark : watermarks) {
                feed.advanceTo(watermark);
                awaitSinkWatermark(job, watermark);
                Sizes files = fullCheckpoint(job);
                Sizes live = canonicalSavepoint(job);
                snapshots.add(new Snapshot(watermark, ALERTS.get(), LATE.get(), live, files));
            }
            return snapshots;
        } finally {
            if (!cluster.getJobStatus(job).get(60, TimeUnit.SECONDS).isGloballyTerminalState()) {
                cluster.cancelJob(job).get(60, TimeUnit.SECONDS);
            }
            cluster.requestJobResult(job).get(60, TimeUnit.SECONDS); // a failed job's cause stays the measurement's
            HeldReadings.current = null;
        }
    }

    private void awaitSinkWatermark(JobID job, long watermark) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (SINK_WATERMARKS.size() < 2 * parallelism
                || SINK_WATERMARKS.values().stream().anyMatch(w -> w < watermark)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the watermark did not reach " + watermark + " at the alerts' and "
                        + "incidents' sinks within " + timeout + " (sink watermarks: " + SINK_WATERMARKS + "; job "
                        + cluster.getJobStatus(job).get() + ")");
            }
            Thread.sleep(50);
        }
    }

    private Sizes fullCheckpoint(JobID job) throws Exception {
        long id = cluster.triggerCheckpoint(job, CheckpointType.FULL).get(timeout.toSeconds(), TimeUnit.SECONDS);
        return sizes(job, graph -> graph.getCheckpointStatsSnapshot().getHistory().getCheckpointById(id));
    }

    private Sizes canonicalSavepoint(JobID job) throws Exception {
        String path = cluster.triggerSavepoint(job, null, false, SavepointFormatType.CANONICAL)
                .get(timeout.toSeconds(), TimeUnit.SECONDS);
        return sizes(job, graph -> {
            CompletedCheckpointStats latest = graph.getCheckpointStatsSnapshot().getHistory().getLatestSavepoint();
            return latest != null && path.equals(latest.getExternalPath()) ? latest : null;
        });
    }

    private interface StatsOf {
        AbstractCheckpointStats find(AccessExecutionGraph graph);
    }

    /** The statistics of a completed snapshot: the tracker may record them a moment after the trigger returns. */
    private Sizes sizes(JobID job, StatsOf which) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            AccessExecutionGraph graph = cluster.getExecutionGraph(job).get(60, TimeUnit.SECONDS);
            AbstractCheckpointStats stats = which.find(graph);
            if (stats instanceof CompletedCheckpointStats completed) {
                Map<String, Long> byVertex = new LinkedHashMap<>();
                for (AccessExecutionJobVertex vertex : graph.getVerticesTopologically()) {
                    TaskStateStats task = completed.getTaskStateStats(vertex.getJobVertexId());
                    byVertex.put(vertex.getName(), task == null ? 0 : task.getStateSize());
                }
                return new Sizes(completed.getStateSize(), byVertex);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no statistics of the snapshot within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /** Stops the MiniCluster and deletes the checkpoints and savepoints. */
    @Override
    public void close() throws Exception {
        try {
            cluster.close();
        } finally {
            FileUtils.deleteDirectory(folder.toFile());
        }
    }

    /**
     * The bench's {@code --state-size}: an empty job, then each workload and its cold twin, each snapshotted when the
     * watermark has passed every reading, a chain span later (the pattern's partial chains have timed out), and a
     * state retention later; printed with the bytes per burning and per idle sensor, and returned for the JSON line.
     */
    static Map<String, Object> report(AlertingConfig config, List<BenchWorkload.Spec> specs, long seed, int parallelism,
            Duration timeout, PrintWriter out) throws Exception {
        long retention = config.stateRetention().toMillis();
        long chainWindow = config.chainSpan().toMillis() + MINUTE;
        // Every workload ends this long ago, so the reading that carries the watermark a retention past it is not
        // from the future (the decoder refuses readings ahead of the wall clock).
        long end = System.currentTimeMillis() - retention - 2 * chainWindow;
        String[] phases = {"watermark past every reading", "a chain span later (+" + DurationConverter.format(
                Duration.ofMillis(chainWindow)) + ")", "a state retention later (+" + DurationConverter.format(
                Duration.ofMillis(retention + MINUTE)) + ")"};
        out.printf(Locale.ROOT, "state size: RocksDB, incremental checkpoints, parallelism %d, state retention %s; live = "
                        + "canonical savepoint (what the job holds), files = full checkpoint (RocksDB files, deletions not "
                        + "yet compacted included)%n", parallelism, DurationConverter.format(config.stateRetention()));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("parallelism", parallelism);
        result.put("state_retention_ms", retention);
        List<Map<String, Object>> rows = new ArrayList<>();
        try (StateSize state = new StateSize(config, parallelism, timeout)) {
            List<Snapshot> empty = state.measure(null, end, end + chainWindow, end + retention + MINUTE);
            out.printf(Locale.ROOT, "  empty job (no readings): live %s, files %s%n", bytes(empty.get(0).live.total),
                    bytes(empty.get(0).files.total));
            result.put("empty", snapshotJson(empty.get(0)));
            for (BenchWorkload.Spec spec : specs) {
                BenchWorkload workload = BenchWorkload.generate(spec, seed, parallelism, config.chainLength(), end);
                long last = workload.lastRoundMillis();
                long[] watermarks = {last, last + chainWindow, last + retention + MINUTE};
                List<Snapshot> hot = state.measure(workload, watermarks);
                List<Snapshot> cold = workload.burning == 0 ? hot : state.measure(workload.coldTwin(), watermarks);
                rows.add(print(out, workload, phases, empty, hot, cold));
            }
        }
        result.put("workloads", rows);
        List<Map<String, Object>> fires = rows.stream().filter(r -> ((Number) r.get("burning_sensors")).intValue() > 0)
                .toList();
        if (!fires.isEmpty()) {
            out.println("  bytes per burning sensor (live, workload − cold twin) / burning:");
            for (Map<String, Object> r : fires) {
                out.printf(Locale.ROOT, "    %,7d burning: %,8.1f B while the fire burns, %,6.1f B for the rest of the "
                                + "retention, %,.1f B after it%n", ((Number) r.get("burning_sensors")).intValue(),
                        (Double) r.get("bytes_per_burning_sensor"), (Double) r.get("bytes_per_burning_sensor_retained"),
                        (Double) r.get("bytes_per_burning_sensor_after_retention"));
            }
        }
        out.flush();
        return result;
    }

    private static final long MINUTE = Duration.ofMinutes(1).toMillis();

    private static Map<String, Object> print(PrintWriter out, BenchWorkload w, String[] phases, List<Snapshot> empty,
            List<Snapshot> hot, List<Snapshot> cold) {
        out.printf(Locale.ROOT, "  %-12s %s: %,d readings, %,d burning sensors, %d alerts (%d expected), %d late%n",
                w.name(), w.spec.description(), w.readings.length, w.burning, hot.get(0).alerts, w.expectedAlerts,
                hot.get(hot.size() - 1).late + cold.get(cold.size() - 1).late);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("workload", w.name());
        o.put("description", w.spec.description());
        o.put("sensors", w.sensors);
        o.put("readings", w.readings.length);
        o.put("burning_sensors", w.burning);
        o.put("alerts", hot.get(0).alerts);
        o.put("expected_alerts", w.expectedAlerts);
        o.put("late", hot.get(hot.size() - 1).late + cold.get(cold.size() - 1).late);
        double idle = (cold.get(0).live.total - empty.get(0).live.total) / (double) w.sensors;
        out.printf(Locale.ROOT, "    %s, cold%s: live %s = empty job %+,d B: %.2f B per idle sensor%n", phases[0],
                w.burning == 0 ? "" : " twin", bytes(cold.get(0).live.total),
                cold.get(0).live.total - empty.get(0).live.total, idle);
        o.put("bytes_per_idle_sensor", idle);
        if (w.burning > 0) {
            String[] keys = {"bytes_per_burning_sensor", "bytes_per_burning_sensor_retained",
                    "bytes_per_burning_sensor_after_retention"};
            for (int p = 0; p < hot.size(); p++) {
                Snapshot h = hot.get(p);
                Snapshot c = cold.get(p);
                double perBurning = (h.live.total - c.live.total) / (double) w.burning;
                StringBuilder byOperator = new StringBuilder();
                h.live.byVertex.forEach((vertex, size) -> {
                    long extra = size - c.live.byVertex.getOrDefault(vertex, 0L);
                    if (extra != 0) {
                        byOperator.append(byOperator.length() == 0 ? "" : ", ").append(operator(vertex))
                                .append(String.format(Locale.ROOT, " %,.1f", extra / (double) w.burning));
                    }
                });
                out.printf(Locale.ROOT, "    %-40s live %s = cold twin %+,d B: %,.1f B per burning sensor%s; files %s%n",
                        phases[p], bytes(h.live.total), h.live.total - c.live.total, perBurning,
                        byOperator.length() == 0 ? "" : " (" + byOperator + ")", bytes(h.files.total));
                o.put(keys[p], perBurning);
            }
        }
        List<Map<String, Object>> snapshots = new ArrayList<>();
        for (int p = 0; p < hot.size(); p++) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("phase", phases[p]);
            s.put("workload", snapshotJson(hot.get(p)));
            s.put("cold_twin", snapshotJson(cold.get(p)));
            snapshots.add(s);
        }
        o.put("snapshots", snapshots);
        return o;
    }

    private static Map<String, Object> snapshotJson(Snapshot s) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("watermark", s.watermark);
        o.put("live", s.live.toJson());
        o.put("files", s.files.toJson());
        return o;
    }

    /** "onsets -> onsets never idle" → "onsets": a vertex by its first operator, the keyed one. */
    static String operator(String vertex) {
        int chained = vertex.indexOf(" -> ");
        return chained < 0 ? vertex : vertex.substring(0, chained);
    }

    private static String bytes(long n) {
        return String.format(Locale.ROOT, "%,d B", n);
    }

    /** A fresh folder for the checkpoints and savepoints, under the system's temporary folder. */
    private static Path temporaryFolder() {
        try {
            return Files.createTempDirectory("bushfire-state-size");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The alerts' and the incidents' sinks: each records the watermark its subtasks have seen (the snapshot waits
     * until both have it, so every operator before them has fired its timers up to it); the alerts' counts alerts.
     */
    static final class WatermarkProbe<T> implements Sink<T> {
        private static final long serialVersionUID = 1L;
        /** Incidents' subtasks are recorded after the alerts' ones. */
        static final int INCIDENTS = 1_000;
        private final int firstSlot;
        private final boolean countsAlerts;

        private WatermarkProbe(int firstSlot, boolean countsAlerts) {
            this.firstSlot = firstSlot;
            this.countsAlerts = countsAlerts;
        }

        static WatermarkProbe<Alert> alerts() {
            return new WatermarkProbe<>(0, true);
        }

        static WatermarkProbe<IncidentMessage> incidents() {
            return new WatermarkProbe<>(INCIDENTS, false);
        }

        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<T> createWriter(InitContext context) {
            int slot = firstSlot + context.getTaskInfo().getIndexOfThisSubtask();
            return new SinkWriter<>() {
                @Override
                public void write(T element, Context ctx) {
                    if (countsAlerts) {
                        ALERTS.incrementAndGet();
                    }
                }

                @Override
                public void writeWatermark(Watermark watermark) {
                    SINK_WATERMARKS.merge(slot, watermark.getTimestamp(), Math::max);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }

    /** Late readings are counted: a measurement with any is not of the workload as generated. */
    static final class CountLate implements Sink<Reading> {
        private static final long serialVersionUID = 1L;

        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<Reading> createWriter(InitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(Reading reading, Context ctx) {
                    LATE.incrementAndGet();
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
