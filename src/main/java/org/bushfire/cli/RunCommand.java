package org.bushfire.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.bushfire.domain.Alert;
import org.bushfire.domain.ContractJson;
import org.bushfire.elasticsearch.ElasticsearchSettings;
import org.bushfire.elasticsearch.ElasticsearchSinks;
import org.bushfire.elasticsearch.IndexTemplates;
import org.bushfire.file.JsonLinesFileSink;
import org.bushfire.job.AlertingConfig;
import org.bushfire.job.AlertingJob;
import org.bushfire.job.AlertingSinks;
import org.bushfire.job.DeadLetterLog;
import org.bushfire.job.StreamSink;
import org.bushfire.kinesis.KinesisReadingsSource;
import org.bushfire.kinesis.KinesisSettings;
import org.bushfire.sns.SnsAlertSink;
import org.bushfire.sns.SnsSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The streaming job: readings from Kinesis, alerts to SNS and the Elasticsearch alerts index, every raw
 * reading (late ones too) to the Elasticsearch readings index. The same options locally and as the EMR step.
 * Everything it can check before starting — the stream, the topic, the Elasticsearch node and its index
 * templates — it checks, and fails with a message naming the option to fix.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the streaming alerting job: Kinesis in, SNS and Elasticsearch out. On a cluster "
                + "(flink run) it is submitted there; through bin/bushfire it runs on a local MiniCluster with "
                + "the Flink web UI.")
public final class RunCommand implements Callable<Integer> {
    /** Set by bin/bushfire: run on a local MiniCluster with the web UI instead of the ambient environment. */
    static final String LOCAL_PROPERTY = "bushfire.local";

    @Spec
    CommandSpec spec;

    @Mixin
    KinesisOptions kinesis;

    @Mixin
    SnsOptions sns;

    @Mixin
    ElasticsearchOptions elasticsearch;

    @Mixin
    AlertingOptions alerting;

    @Option(names = "--checkpoint-interval", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class,
            description = "How often state is checkpointed; exactly-once alerts leave at this pace (default: 30s).")
    Duration checkpointInterval;

    @Option(names = "--parallelism", paramLabel = "P",
            description = "Job parallelism (default: the cluster's, or 2 locally).")
    Integer parallelism;

    @Option(names = "--job-name", paramLabel = "NAME", defaultValue = "bushfire alerting",
            description = "Name of the Flink job (default: ${DEFAULT-VALUE}).")
    String jobName;

    @Option(names = "--web-ui-port", paramLabel = "PORT", defaultValue = "8081",
            description = "Local runs: port of the Flink web UI on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int webUiPort;

    @Option(names = "--alerts-out", paramLabel = "FILE",
            description = "Also append alerts to this JSON Lines file (local runs).")
    Path alertsOut;

    @Option(names = "--dead-letters-out", paramLabel = "FILE",
            description = "Append dead letters to this JSON Lines file (local runs); otherwise they are logged.")
    Path deadLettersOut;

    @Override
    public Integer call() throws Exception {
        AlertingConfig config = alerting.toConfig();
        if (checkpointInterval.toMillis() < 100) {
            throw new ParameterException(spec.commandLine(), "--checkpoint-interval must be at least 100ms");
        }
        KinesisSettings kinesisSettings = kinesis.toSettings();
        SnsSettings snsSettings = sns.toSettings(kinesisSettings.region).checkReachable();
        ElasticsearchSettings esSettings = elasticsearch.toSettings();
        IndexTemplates.install(esSettings);

        AlertingSinks sinks = AlertingSinks.alertsTo(alertSinks(snsSettings, esSettings))
                .rawReadingsTo(ElasticsearchSinks.rawReadings(esSettings, config.threshold()))
                .deadLettersTo(deadLettersOut == null
                        ? StreamSink.of(new DeadLetterLog(), "dead letters log")
                        : StreamSink.of(new JsonLinesFileSink<>(OutputFile.appended(spec.commandLine(), deadLettersOut, "--dead-letters-out"),
                                ContractJson::deadLetter, true), "dead letters file", 1));

        StreamExecutionEnvironment env = environment();
        env.enableCheckpointing(checkpointInterval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        if (parallelism != null) {
            if (parallelism < 1) {
                throw new ParameterException(spec.commandLine(), "--parallelism must be at least 1");
            }
            env.setParallelism(parallelism);
        }
        // Built after checkpointing is on: the exactly-once SNS sink refuses a job that never checkpoints.
        new AlertingJob(config, new KinesisReadingsSource(kinesisSettings), sinks).build(env);

        PrintWriter err = spec.commandLine().getErr();
        err.printf("bushfire: reading %s; alerts to %s (%s) and %s/%s; readings to %s/%s%s%n",
                kinesisSettings, snsSettings.topicArn(), snsSettings.delivery().cliName(),
                esSettings.describeHosts(), esSettings.alertsIndex(), esSettings.describeHosts(),
                esSettings.readingsIndex(),
                isLocal() ? "; Flink web UI http://127.0.0.1:" + webUiPort : "");
        err.flush();
        env.execute(jobName);
        return 0;
    }

    private StreamSink<Alert> alertSinks(SnsSettings snsSettings, ElasticsearchSettings esSettings) {
        StreamSink<Alert> toSns = SnsAlertSink.streamSink(snsSettings);
        StreamSink<Alert> toIndex = ElasticsearchSinks.alerts(esSettings);
        StreamSink<Alert> toFile = alertsOut == null ? null : StreamSink.of(
                new JsonLinesFileSink<>(OutputFile.appended(spec.commandLine(), alertsOut, "--alerts-out"), ContractJson::alert, true), "alerts file", 1);
        return stream -> {
            toSns.attach(stream);
            toIndex.attach(stream);
            if (toFile != null) {
                toFile.attach(stream);
            }
        };
    }

    private StreamExecutionEnvironment environment() {
        if (!isLocal()) {
            return StreamExecutionEnvironment.getExecutionEnvironment();
        }
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, webUiPort);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        env.setParallelism(parallelism == null ? 2 : parallelism);
        return env;
    }

    private static boolean isLocal() {
        return Boolean.getBoolean(LOCAL_PROPERTY);
    }
}
