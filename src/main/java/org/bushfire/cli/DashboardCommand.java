package org.bushfire.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.bushfire.elasticsearch.ElasticsearchSettings;
import org.bushfire.heatmap.HeatMapServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The local heat map page: Kibana's view of the fire, served from 127.0.0.1 with nothing else to install. */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = "Serve the local heat map page on 127.0.0.1: max temperature by node and time, and the sensor map "
                + "with alert chains drawn as paths, searched live from Elasticsearch. Runs until interrupted.")
public final class DashboardCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8090",
            description = "Port on 127.0.0.1 (0: any free port) (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = {"--es", "--es-hosts"}, split = ",", paramLabel = "URL", defaultValue = ElasticsearchSettings.DEFAULT_HOST,
            description = "Elasticsearch the page searches (default: ${DEFAULT-VALUE}).")
    List<String> hosts;

    @Option(names = "--es-readings-index", paramLabel = "NAME", defaultValue = ElasticsearchSettings.DEFAULT_READINGS_INDEX,
            description = "Index of raw readings (default: ${DEFAULT-VALUE}).")
    String readingsIndex;

    @Option(names = "--es-alerts-index", paramLabel = "NAME", defaultValue = ElasticsearchSettings.DEFAULT_ALERTS_INDEX,
            description = "Index of alerts (default: ${DEFAULT-VALUE}).")
    String alertsIndex;

    @Option(names = "--es-credentials-file", paramLabel = "FILE",
            description = "File with username=/password= or api_key= lines (else BUSHFIRE_ES_USERNAME/PASSWORD or API_KEY).")
    Path credentialsFile;

    @Option(names = "--es-ca-cert", paramLabel = "FILE", description = "CA certificate to trust for https hosts.")
    Path caCertificate;

    @Option(names = "--threshold", paramLabel = "CELSIUS", defaultValue = "50",
            description = "T: cells at or above it are drawn hot; use the job's --threshold (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--window", paramLabel = "DURATION", defaultValue = "30m", converter = DurationConverter.class,
            description = "Event time shown, ending at the newest reading (default: 30m).")
    Duration window;

    @Option(names = "--refresh", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "How often the page searches again (default: 5s).")
    Duration refresh;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be 0-65535");
        }
        if (window.toMinutes() < 1 || window.toDays() > 31) {
            throw new ParameterException(spec.commandLine(), "--window must be between 1m and 31d");
        }
        if (refresh.toMillis() < 500) {
            throw new ParameterException(spec.commandLine(), "--refresh must be at least 500ms");
        }
        ElasticsearchSettings settings = ElasticsearchSettings.defaults().withHosts(hosts)
                .withReadingsIndex(readingsIndex).withAlertsIndex(alertsIndex);
        if (credentialsFile != null) {
            settings = settings.withCredentialsFile(credentialsFile);
        }
        if (caCertificate != null) {
            settings = settings.withCaCertificate(caCertificate);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        HeatMapServer server = HeatMapServer.start(settings.validate().resolved(), port, threshold,
                (int) window.toMinutes(), (int) refresh.toMillis());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "heat-map-shutdown"));
        spec.commandLine().getOut().printf("bushfire: heat map on %s (readings %s, alerts %s at %s); Ctrl-C stops it%n",
                server.url(), readingsIndex, alertsIndex, String.join(",", hosts));
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }
}
