package org.bushfire.cli;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * What both streaming jobs ({@code run}, the alerting job, and {@code index}, the indexing job) take about
 * where and how they run: checkpoint pace, parallelism, and the local MiniCluster's web UI port.
 */
final class StreamingJobOptions {
    /** Set by bin/bushfire: run on a local MiniCluster with the web UI instead of the ambient environment. */
    static final String LOCAL_PROPERTY = "bushfire.local";

    @Option(names = "--checkpoint-interval", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class,
            description = "How often state is checkpointed; exactly-once alerts leave at this pace (default: 30s).")
    Duration checkpointInterval;

    @Option(names = "--parallelism", paramLabel = "P",
            description = "Job parallelism (default: the cluster's, or 2 locally).")
    Integer parallelism;

    @Option(names = "--web-ui-port", paramLabel = "PORT", defaultValue = "8081",
            description = "Local runs: port of the Flink web UI on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int webUiPort;

    /** Fails fast on a checkpoint interval or parallelism no job can run with. */
    void validate(CommandLine commandLine) {
        if (checkpointInterval.toMillis() < 100) {
            throw new ParameterException(commandLine, "--checkpoint-interval must be at least 100ms");
        }
        if (parallelism != null && parallelism < 1) {
            throw new ParameterException(commandLine, "--parallelism must be at least 1");
        }
    }

    /** The cluster's environment, or a local MiniCluster with the web UI; exactly-once checkpoints on. */
    StreamExecutionEnvironment environment() {
        StreamExecutionEnvironment env;
        if (isLocal()) {
            Configuration conf = new Configuration();
            conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
            conf.set(RestOptions.ADDRESS, "127.0.0.1");
            conf.set(RestOptions.PORT, webUiPort);
            env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
            env.setParallelism(parallelism == null ? 2 : parallelism);
        } else {
            env = StreamExecutionEnvironment.getExecutionEnvironment();
            if (parallelism != null) {
                env.setParallelism(parallelism);
            }
        }
        env.enableCheckpointing(checkpointInterval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        return env;
    }

    /** "; Flink web UI http://127.0.0.1:PORT" on local runs, for the start-up line. */
    String webUiNote() {
        return isLocal() ? "; Flink web UI http://127.0.0.1:" + webUiPort : "";
    }

    static boolean isLocal() {
        return Boolean.getBoolean(LOCAL_PROPERTY);
    }
}
