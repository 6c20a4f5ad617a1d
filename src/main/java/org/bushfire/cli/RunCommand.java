package org.bushfire.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.bushfire.domain.Alert;
import org.bushfire.domain.ContractJson;
import org.bushfire.file.JsonLinesFileSink;
import org.bushfire.job.AlertingConfig;
import org.bushfire.job.AlertingJob;
import org.bushfire.cap.CapFilesSink;
import org.bushfire.domain.IncidentMessage;
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
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The alerting job: readings from Kinesis, alerts to SNS. Nothing in it waits for Elasticsearch — raw
 * readings and alerts are indexed by its sibling, {@link IndexCommand}, a separate Flink job over the same
 * stream — so an Elasticsearch outage or a slow node can neither fail it nor backpressure its source. The
 * same options locally and as the EMR step. Everything it can check before starting — the stream and the
 * topic — it checks, and fails with a message naming the option to fix.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the streaming alerting job: Kinesis in, SNS out (raw readings and alerts are indexed "
                + "by 'index', its own job). On a cluster (flink run) it is submitted there; through bin/bushfire "
                + "it runs on a local MiniCluster with the Flink web UI.")
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KinesisOptions kinesis;

    @Mixin
    SnsOptions sns;

    @Mixin
    AlertingOptions alerting;

    @Mixin
    StreamingJobOptions job;

    @Option(names = "--job-name", paramLabel = "NAME", defaultValue = "bushfire alerting",
            description = "Name of the Flink job (default: ${DEFAULT-VALUE}).")
    String jobName;

    @Option(names = "--alerts-out", paramLabel = "FILE",
            description = "Also append alerts to this JSON Lines file (local runs).")
    Path alertsOut;

    @Option(names = "--cap-out", paramLabel = "FOLDER",
            description = "Also write each incident message's CAP 1.2 document to FOLDER/<messageId>.xml (local "
                    + "runs; --cap-sender and --cap-status apply).")
    Path capOut;

    @Option(names = "--dead-letters-out", paramLabel = "FILE",
            description = "Append dead letters to this JSON Lines file (local runs); otherwise they are logged.")
    Path deadLettersOut;

    @Override
    public Integer call() throws Exception {
        AlertingConfig config = alerting.toConfig();
        job.validate(spec.commandLine());
        KinesisSettings kinesisSettings = kinesis.toSettings();
        SnsSettings snsSettings = sns.toSettings(kinesisSettings.region).checkReachable();

        // SNS gets every message of every fire's incident (its first is the alert); the alerts file, the alerts.
        StreamSink<IncidentMessage> capFiles = capOut == null ? null
                : StreamSink.of(new CapFilesSink(capOut, snsSettings.cap()), "CAP files");
        AlertingSinks sinks = AlertingSinks.incidentsTo(
                        StreamSink.both(SnsAlertSink.incidentStreamSink(snsSettings), capFiles))
                .alsoAlertsTo(alertsOut == null ? null : StreamSink.of(new JsonLinesFileSink<>(
                        OutputFile.appended(spec.commandLine(), alertsOut, "--alerts-out"), ContractJson::alert, true),
                        "alerts file", 1))
                .deadLettersTo(deadLettersOut == null
                        ? StreamSink.of(new DeadLetterLog(), "dead letters log")
                        : StreamSink.of(new JsonLinesFileSink<>(OutputFile.appended(spec.commandLine(), deadLettersOut, "--dead-letters-out"),
                                ContractJson::deadLetter, true), "dead letters file", 1));

        // Built after checkpointing is on: the exactly-once SNS sink refuses a job that never checkpoints.
        StreamExecutionEnvironment env = job.environment();
        new AlertingJob(config, new KinesisReadingsSource(kinesisSettings), sinks).build(env);

        PrintWriter err = spec.commandLine().getErr();
        err.printf("bushfire: reading %s; alerts to %s (%s)%s%n", kinesisSettings, snsSettings.topicArn(),
                snsSettings.delivery().cliName(), job.webUiNote());
        err.flush();
        env.execute(jobName);
        return 0;
    }


}
