package org.bushfire.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bushfire.elasticsearch.ElasticsearchSettings;
import picocli.CommandLine.Option;

/**
 * Where raw readings and alerts are indexed. Credentials come from the environment
 * (BUSHFIRE_ES_USERNAME/BUSHFIRE_ES_PASSWORD or BUSHFIRE_ES_API_KEY) or from --es-credentials-file.
 */
public final class ElasticsearchOptions {
    @Option(names = "--es-hosts", required = true, split = ",", paramLabel = "URL[,URL...]",
            description = "Elasticsearch nodes, e.g. https://search-fires.example:443 or http://127.0.0.1:9200.")
    List<String> hosts;

    @Option(names = "--es-readings-index", paramLabel = "NAME", defaultValue = ElasticsearchSettings.DEFAULT_READINGS_INDEX,
            description = "Index of raw readings (default: ${DEFAULT-VALUE}).")
    String readingsIndex;

    @Option(names = "--es-alerts-index", paramLabel = "NAME", defaultValue = ElasticsearchSettings.DEFAULT_ALERTS_INDEX,
            description = "Index of alerts (default: ${DEFAULT-VALUE}).")
    String alertsIndex;

    @Option(names = "--es-replicas", paramLabel = "N", defaultValue = "0",
            description = "Replicas in the index templates (default: ${DEFAULT-VALUE}; 1+ on a real cluster).")
    int replicas;

    @Option(names = "--es-bulk-max-actions", paramLabel = "N", defaultValue = "1000",
            description = "Flush a bulk request after this many documents (default: ${DEFAULT-VALUE}).")
    int bulkMaxActions;

    @Option(names = "--es-bulk-max-size-mb", paramLabel = "MB", defaultValue = "5",
            description = "Flush a bulk request at this size (default: ${DEFAULT-VALUE}).")
    int bulkMaxSizeMb;

    @Option(names = "--es-bulk-flush-interval", paramLabel = "DURATION", defaultValue = "1s",
            converter = DurationConverter.class,
            description = "Flush a bulk request at least this often (default: 1s).")
    Duration bulkFlushInterval;

    @Option(names = "--es-backoff", paramLabel = "TYPE", defaultValue = "EXPONENTIAL",
            description = "Retry of rejected bulk requests: EXPONENTIAL, CONSTANT or NONE (default: ${DEFAULT-VALUE}).")
    ElasticsearchSettings.Backoff backoff;

    @Option(names = "--es-backoff-retries", paramLabel = "N", defaultValue = "8",
            description = "Retries of a rejected bulk request (default: ${DEFAULT-VALUE}).")
    int backoffRetries;

    @Option(names = "--es-backoff-delay", paramLabel = "DURATION", defaultValue = "50ms",
            converter = DurationConverter.class,
            description = "First retry delay (default: 50ms).")
    Duration backoffDelay;

    @Option(names = "--es-connect-timeout", paramLabel = "DURATION", defaultValue = "5s",
            converter = DurationConverter.class,
            description = "Longest wait for a connection to Elasticsearch (default: 5s).")
    Duration connectTimeout;

    @Option(names = "--es-socket-timeout", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class,
            description = "Longest wait for the response to a request; a bulk that takes longer fails (default: 30s).")
    Duration socketTimeout;

    @Option(names = "--es-sigv4-region", paramLabel = "REGION",
            description = "Sign requests with AWS SigV4 for this region (Amazon OpenSearch Service with an IAM access "
                    + "policy); AWS credentials from the default chain, e.g. the EMR instance profile.")
    String sigv4Region;

    @Option(names = "--es-sigv4-service", paramLabel = "NAME", defaultValue = ElasticsearchSettings.DEFAULT_SIGV4_SERVICE,
            description = "SigV4 service name: es (OpenSearch Service) or aoss (Serverless) (default: ${DEFAULT-VALUE}).")
    String sigv4Service;

    @Option(names = "--es-credentials-file", paramLabel = "FILE",
            description = "File with username=/password= or api_key= lines (wins over the environment).")
    Path credentialsFile;

    @Option(names = "--es-ca-cert", paramLabel = "FILE", description = "CA certificate (PEM or DER) to trust for https hosts.")
    Path caCertificate;

    @Option(names = "--es-truststore", paramLabel = "FILE",
            description = "PKCS12/JKS truststore for https hosts (password in BUSHFIRE_ES_TRUSTSTORE_PASSWORD).")
    Path truststore;

    ElasticsearchSettings toSettings() {
        ElasticsearchSettings settings = ElasticsearchSettings.defaults()
                .withHosts(hosts)
                .withReadingsIndex(readingsIndex)
                .withAlertsIndex(alertsIndex)
                .withReplicas(replicas)
                .withBulkFlushMaxActions(bulkMaxActions)
                .withBulkFlushMaxSizeMb(bulkMaxSizeMb)
                .withBulkFlushInterval(bulkFlushInterval)
                .withBackoff(backoff, backoffRetries, backoffDelay)
                .withTimeouts(connectTimeout, socketTimeout)
                .withSigV4(sigv4Region, sigv4Service);
        if (credentialsFile != null) {
            settings = settings.withCredentialsFile(credentialsFile);
        }
        if (caCertificate != null) {
            settings = settings.withCaCertificate(caCertificate);
        }
        if (truststore != null) {
            settings = settings.withTruststore(truststore);
        }
        return settings.validate().resolved();
    }
}
