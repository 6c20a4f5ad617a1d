package org.bushfire.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.bushfire.elasticsearch.ElasticsearchSettings;
import org.bushfire.elasticsearch.ElasticsearchSinks;
import org.bushfire.elasticsearch.IndexTemplates;
import org.bushfire.job.AlertingConfig;
import org.bushfire.job.AlertingJob;
import org.bushfire.job.AlertingSinks;
import org.bushfire.kinesis.KinesisReadingsSource;
import org.bushfire.kinesis.KinesisSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The indexing job: the same stream, read by its own consumer, every valid reading (late ones too) into the
 * Elasticsearch readings index and every alert into the alerts index. It runs the alerting graph itself (with
 * the same options as {@code run}), so its alerts carry the same alertIds as those SNS delivered, without a
 * channel between the two jobs.
 *
 * <p>Why a job of its own: in one graph, a failing Elasticsearch sink restarted the whole job (alerts
 * included) and a slow node backpressured the shared source. Apart, Elasticsearch can only hold up this job;
 * it restarts from its last checkpoint until the node is back, and since every document has a deterministic
 * {@code _id} the replay overwrites instead of duplicating. Its start-up checks the node and installs the
 * index templates, failing with a message naming the option to fix.
 */
@Command(name = "index", mixinStandardHelpOptions = true,
        description = "Run the streaming indexing job: Kinesis in, raw readings and alerts to Elasticsearch. "
                + "Runs beside 'run' (the alerting job) on the same stream; give both the same alerting options.")
public final class IndexCommand implements Callable<Integer> {
    static final String DEFAULT_EFO_CONSUMER = "bushfire-indexing";

    @Spec
    CommandSpec spec;

    @Mixin
    KinesisOptions kinesis;

    @Mixin
    ElasticsearchOptions elasticsearch;

    @Mixin
    AlertingOptions alerting;

    @Mixin
    StreamingJobOptions job;

    @Option(names = "--job-name", paramLabel = "NAME", defaultValue = "bushfire indexing",
            description = "Name of the Flink job (default: ${DEFAULT-VALUE}).")
    String jobName;

    @Override
    public Integer call() throws Exception {
        AlertingConfig config = alerting.toConfig();
        job.validate(spec.commandLine());
        KinesisSettings kinesisSettings = kinesis.toSettings();
        if (!spec.commandLine().getParseResult().hasMatchedOption("--efo-consumer-name")) {
            // Its own enhanced fan-out consumer, so neither job shares the other's read throughput.
            kinesisSettings.efoConsumerName = DEFAULT_EFO_CONSUMER;
        }
        ElasticsearchSettings esSettings = elasticsearch.toSettings();
        IndexTemplates.install(esSettings);

        AlertingSinks sinks = AlertingSinks.incidentsTo(ElasticsearchSinks.incidents(esSettings))
                .rawReadingsTo(ElasticsearchSinks.rawReadings(esSettings, config.threshold()));
        StreamExecutionEnvironment env = job.environment();
        new AlertingJob(config, new KinesisReadingsSource(kinesisSettings), sinks).build(env);

        PrintWriter err = spec.commandLine().getErr();
        err.printf("bushfire: reading %s; readings to %s/%s, alerts to %s/%s%s%n", kinesisSettings,
                esSettings.describeHosts(), esSettings.readingsIndex(), esSettings.describeHosts(),
                esSettings.alertsIndex(), job.webUiNote());
        err.flush();
        env.execute(jobName);
        return 0;
    }
}
