package org.bushfire.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.bushfire.domain.ContractJson;
import org.bushfire.domain.DeadLetter;
import org.bushfire.domain.Reading;
import org.bushfire.cap.CapFilesSink;
import org.bushfire.cap.CapSettings;
import org.bushfire.domain.IncidentMessage;
import org.bushfire.file.JsonLinesFileSink;
import org.bushfire.file.JsonLinesReadingsSource;
import org.bushfire.job.AlertingConfig;
import org.bushfire.job.AlertingJob;
import org.bushfire.job.AlertingSinks;
import org.bushfire.job.JobMetrics;
import org.bushfire.job.StreamSink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Runs the alerting job over a readings file to completion and writes the alerts it raises. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Run the alerting job over a JSON Lines readings file to completion on a local Flink "
                + "MiniCluster and write one alert per line.")
public final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "READINGS.jsonl",
            description = "Readings, one JSON object per line.")
    Path input;

    @Option(names = "--alerts-out", required = true, paramLabel = "ALERTS.jsonl",
            description = "Where to write the alerts (replaced).")
    Path alertsOut;

    @Option(names = "--dead-letters-out", paramLabel = "FILE",
            description = "Where to write malformed records with their reasons (replaced).")
    Path deadLettersOut;

    @Option(names = "--late-out", paramLabel = "FILE",
            description = "Where to write late readings (replaced).")
    Path lateOut;

    @Option(names = "--incidents-out", paramLabel = "FILE",
            description = "Where to write every fire incident's messages — alert, updates, all-clear — as JSON "
                    + "lines (replaced).")
    Path incidentsOut;

    @Option(names = "--cap-out", paramLabel = "FOLDER",
            description = "Write each incident message's CAP 1.2 document to FOLDER/<messageId>.xml.")
    Path capOut;

    @Option(names = "--cap-sender", paramLabel = "ID", defaultValue = CapSettings.DEFAULT_SENDER,
            description = "The CAP documents' sender (default: ${DEFAULT-VALUE}).")
    String capSender;

    @Option(names = "--cap-status", paramLabel = "STATUS", defaultValue = "Actual",
            converter = SnsOptions.CapStatusConverter.class,
            description = "The CAP documents' status: Actual, or Exercise for simulated data (default: Actual).")
    CapSettings.Status capStatus;

    @Option(names = "--parallelism", paramLabel = "P", defaultValue = "2",
            description = "Parallelism of the local run (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--progress-every", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "A progress line on stderr this often: records read, rate, event time reached, chains and "
                    + "alerts so far; 0s: only the final totals (default: 5s).")
    java.time.Duration progressEvery;

    @Mixin
    AlertingOptions alerting;

    @Override
    public Integer call() throws Exception {
        AlertingConfig config = alerting.toConfig();
        if (!Files.isRegularFile(input) || !Files.isReadable(input)) {
            throw new ParameterException(spec.commandLine(), "--input: no readable file at " + input);
        }
        if (parallelism < 1) {
            throw new ParameterException(spec.commandLine(), "--parallelism must be at least 1 (was " + parallelism + ")");
        }
        if (progressEvery.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--progress-every must not be negative");
        }
        OutputFile.replaced(spec.commandLine(), alertsOut, "--alerts-out");
        AlertingSinks sinks = AlertingSinks.alertsTo(
                StreamSink.of(new JsonLinesFileSink<>(alertsOut, ContractJson::alert, true), "alerts file", 1));
        if (deadLettersOut != null) {
            OutputFile.replaced(spec.commandLine(), deadLettersOut, "--dead-letters-out");
            sinks.deadLettersTo(StreamSink.of(
                    new JsonLinesFileSink<DeadLetter>(deadLettersOut, ContractJson::deadLetter, false),
                    "dead letters file", 1));
        }
        if (lateOut != null) {
            OutputFile.replaced(spec.commandLine(), lateOut, "--late-out");
            sinks.lateReadingsTo(StreamSink.of(new JsonLinesFileSink<Reading>(lateOut,
                    r -> ContractJson.reading(r, ContractJson.TimeFormat.EPOCH_MILLIS), false), "late readings file", 1));
        }

        StreamSink<IncidentMessage> incidents = null;
        if (incidentsOut != null) {
            OutputFile.replaced(spec.commandLine(), incidentsOut, "--incidents-out");
            incidents = StreamSink.of(new JsonLinesFileSink<IncidentMessage>(incidentsOut, ContractJson::incident, true),
                    "incidents file", 1);
        }
        if (capOut != null) {
            CapSettings cap;
            try {
                cap = CapSettings.of(capSender, capStatus).validate();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            incidents = StreamSink.both(incidents, StreamSink.of(new CapFilesSink(capOut, cap), "CAP files"));
        }
        if (incidents != null) {
            sinks.alsoIncidentsTo(incidents);
        }

        Configuration local = new Configuration();
        local.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, ReplayProgress.HEARTBEAT);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(local);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.setParallelism(parallelism);
        new AlertingJob(config, ReplayProgress.counted(new JsonLinesReadingsSource(input)), sinks).build(env);
        PrintWriter err = spec.commandLine().getErr();
        JobExecutionResult result = ReplayProgress.follow(env.executeAsync("bushfire replay " + input.getFileName()),
                progressEvery, err);

        Map<String, Object> totals = result.getAllAccumulatorResults();
        err.printf("replay: %s readings, %s malformed, %s late, %s onsets (%s after their fire's chain, not sent to "
                        + "the pattern), %s chains, %s alerts -> %s%n",
                total(totals, JobMetrics.READINGS), total(totals, JobMetrics.MALFORMED),
                total(totals, JobMetrics.LATE), total(totals, JobMetrics.ONSETS),
                total(totals, JobMetrics.ONSETS_AFTER_CHAIN), total(totals, JobMetrics.CHAINS),
                total(totals, JobMetrics.ALERTS), alertsOut);
        if (incidents != null) {
            err.printf("replay: %s incident messages -> %s%n", total(totals, JobMetrics.INCIDENT_MESSAGES),
                    incidentsOut != null && capOut != null ? incidentsOut + ", " + capOut
                            : incidentsOut != null ? incidentsOut : capOut);
        }
        err.flush();
        return 0;
    }

    private static Object total(Map<String, Object> totals, String name) {
        Object value = totals.get(name);
        return value == null ? 0L : value;
    }
}
