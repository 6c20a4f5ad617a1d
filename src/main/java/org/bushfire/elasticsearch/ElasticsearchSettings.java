package org.bushfire.elasticsearch;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.apache.http.HttpHost;

/**
 * Where and how the job writes to Elasticsearch: hosts, index names, bulk flushing and retries, timeouts,
 * and where credentials and TLS trust come from. An immutable value; every {@code with*} returns a copy.
 * {@link #validate()} names the command-line option to fix.
 *
 * <p>The settings only name their secrets and certificates; {@link #resolve(Map)} has
 * {@link ElasticsearchEnvironment} read them (the environment, {@link CredentialsFile}, {@link ElasticsearchTrust})
 * once on the machine that builds the job, and the resolved copy carries them to the task managers.
 */
public final class ElasticsearchSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String USERNAME_ENV = ElasticsearchEnvironment.USERNAME_ENV;
    public static final String PASSWORD_ENV = ElasticsearchEnvironment.PASSWORD_ENV;
    public static final String API_KEY_ENV = ElasticsearchEnvironment.API_KEY_ENV;
    public static final String TRUSTSTORE_PASSWORD_ENV = ElasticsearchEnvironment.TRUSTSTORE_PASSWORD_ENV;

    public static final String DEFAULT_HOST = "http://127.0.0.1:9200";
    public static final String DEFAULT_READINGS_INDEX = "sensor-readings";
    public static final String DEFAULT_ALERTS_INDEX = "bushfire-alerts";
    /** The SigV4 service name of Amazon OpenSearch Service domains ({@code aoss} for OpenSearch Serverless). */
    public static final String DEFAULT_SIGV4_SERVICE = "es";

    /** How a rejected bulk request (HTTP 429, the node's queue is full) is retried. */
    public enum Backoff {
        EXPONENTIAL, CONSTANT, NONE
    }

    private ArrayList<String> hosts = new ArrayList<>(List.of(DEFAULT_HOST));
    private String readingsIndex = DEFAULT_READINGS_INDEX;
    private String alertsIndex = DEFAULT_ALERTS_INDEX;
    // One local node cannot place a replica; a production cluster sets --es-replicas 1 or more.
    private int replicas = 0;
    private int bulkFlushMaxActions = 1000;
    private int bulkFlushMaxSizeMb = 5;
    private Duration bulkFlushInterval = Duration.ofSeconds(1);
    // Elasticsearch's own BulkProcessor default: 8 retries from 50 ms, about 5 s in all.
    private Backoff backoff = Backoff.EXPONENTIAL;
    private int backoffRetries = 8;
    private Duration backoffDelay = Duration.ofMillis(50);
    // No request may wait forever: a hung node must fail a bulk, not park the writer (and its task) with it.
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration socketTimeout = Duration.ofSeconds(30);
    // Amazon OpenSearch Service with an IAM access policy: requests signed with SigV4 (null: not signed).
    private String sigv4Region;
    private String sigv4Service = DEFAULT_SIGV4_SERVICE;
    private String credentialsFile;
    private String caCertificateFile;
    private String truststoreFile;

    // Filled by resolve(): read once where the job is built.
    private boolean resolved;
    private Credentials credentials = Credentials.none();
    private ArrayList<byte[]> trustedCertificates = new ArrayList<>();

    public static ElasticsearchSettings defaults() {
        return new ElasticsearchSettings();
    }

    private ElasticsearchSettings copy() {
        ElasticsearchSettings c = new ElasticsearchSettings();
        c.hosts = new ArrayList<>(hosts);
        c.readingsIndex = readingsIndex;
        c.alertsIndex = alertsIndex;
        c.replicas = replicas;
        c.bulkFlushMaxActions = bulkFlushMaxActions;
        c.bulkFlushMaxSizeMb = bulkFlushMaxSizeMb;
        c.bulkFlushInterval = bulkFlushInterval;
        c.backoff = backoff;
        c.backoffRetries = backoffRetries;
        c.backoffDelay = backoffDelay;
        c.connectTimeout = connectTimeout;
        c.socketTimeout = socketTimeout;
        c.sigv4Region = sigv4Region;
        c.sigv4Service = sigv4Service;
        c.credentialsFile = credentialsFile;
        c.caCertificateFile = caCertificateFile;
        c.truststoreFile = truststoreFile;
        // Any change after resolve() may change what must be read: resolve again.
        c.resolved = false;
        return c;
    }

    // ---------------------------------------------------------------- accessors

    /** Elasticsearch HTTP endpoints, {@code http(s)://host[:port]}; default {@value #DEFAULT_HOST}. */
    public List<String> hosts() {
        return Collections.unmodifiableList(hosts);
    }

    public String readingsIndex() {
        return readingsIndex;
    }

    public String alertsIndex() {
        return alertsIndex;
    }

    /** {@code number_of_replicas} of the indices the templates create. */
    public int replicas() {
        return replicas;
    }

    public int bulkFlushMaxActions() {
        return bulkFlushMaxActions;
    }

    public int bulkFlushMaxSizeMb() {
        return bulkFlushMaxSizeMb;
    }

    public Duration bulkFlushInterval() {
        return bulkFlushInterval;
    }

    public Backoff backoff() {
        return backoff;
    }

    public int backoffRetries() {
        return backoffRetries;
    }

    public Duration backoffDelay() {
        return backoffDelay;
    }

    /** Longest wait for a TCP connection, and for a free connection of the pool. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Longest silence on a connection while a request waits for its response. */
    public Duration socketTimeout() {
        return socketTimeout;
    }

    /** The region requests are signed for with SigV4; null when they are not signed. */
    public String sigv4Region() {
        return sigv4Region;
    }

    public String sigv4Service() {
        return sigv4Service;
    }

    public String credentialsFile() {
        return credentialsFile;
    }

    public String caCertificateFile() {
        return caCertificateFile;
    }

    public String truststoreFile() {
        return truststoreFile;
    }

    public boolean isResolved() {
        return resolved;
    }

    /** What {@link #resolve(Map)} found; {@link Credentials#none()} before. */
    public Credentials credentials() {
        return credentials;
    }

    /** DER-encoded certificates trusted for https hosts, from --es-ca-cert or --es-truststore; empty: the JVM's. */
    public List<byte[]> trustedCertificates() {
        List<byte[]> copies = new ArrayList<>();
        trustedCertificates.forEach(c -> copies.add(c.clone()));
        return copies;
    }

    // ---------------------------------------------------------------- withers

    public ElasticsearchSettings withHosts(List<String> value) {
        ElasticsearchSettings c = copy();
        c.hosts = new ArrayList<>(value);
        return c;
    }

    public ElasticsearchSettings withReadingsIndex(String value) {
        ElasticsearchSettings c = copy();
        c.readingsIndex = value;
        return c;
    }

    public ElasticsearchSettings withAlertsIndex(String value) {
        ElasticsearchSettings c = copy();
        c.alertsIndex = value;
        return c;
    }

    public ElasticsearchSettings withReplicas(int value) {
        ElasticsearchSettings c = copy();
        c.replicas = value;
        return c;
    }

    public ElasticsearchSettings withBulkFlushMaxActions(int value) {
        ElasticsearchSettings c = copy();
        c.bulkFlushMaxActions = value;
        return c;
    }

    public ElasticsearchSettings withBulkFlushMaxSizeMb(int value) {
        ElasticsearchSettings c = copy();
        c.bulkFlushMaxSizeMb = value;
        return c;
    }

    public ElasticsearchSettings withBulkFlushInterval(Duration value) {
        ElasticsearchSettings c = copy();
        c.bulkFlushInterval = value;
        return c;
    }

    public ElasticsearchSettings withBackoff(Backoff type, int retries, Duration delay) {
        ElasticsearchSettings c = copy();
        c.backoff = type;
        c.backoffRetries = retries;
        c.backoffDelay = delay;
        return c;
    }

    public ElasticsearchSettings withTimeouts(Duration connect, Duration socket) {
        ElasticsearchSettings c = copy();
        c.connectTimeout = connect;
        c.socketTimeout = socket;
        return c;
    }

    /** Signs every request with SigV4 for {@code region} and {@code service}, credentials from the AWS default chain. */
    public ElasticsearchSettings withSigV4(String region, String service) {
        ElasticsearchSettings c = copy();
        c.sigv4Region = region;
        c.sigv4Service = service;
        return c;
    }

    public ElasticsearchSettings withCredentialsFile(Path file) {
        ElasticsearchSettings c = copy();
        c.credentialsFile = file == null ? null : file.toString();
        return c;
    }

    /** A PEM or DER file of the CA (or the self-signed certificate) that https hosts must chain to. */
    public ElasticsearchSettings withCaCertificate(Path file) {
        ElasticsearchSettings c = copy();
        c.caCertificateFile = file == null ? null : file.toString();
        return c;
    }

    /** A PKCS12 or JKS truststore; its password, if any, from the credentials file or the environment. */
    public ElasticsearchSettings withTruststore(Path file) {
        ElasticsearchSettings c = copy();
        c.truststoreFile = file == null ? null : file.toString();
        return c;
    }

    // ---------------------------------------------------------------- validation and resolution

    /** Fails fast, naming the option to fix. */
    public ElasticsearchSettings validate() {
        httpHosts();
        checkIndexName(readingsIndex, "--es-readings-index");
        checkIndexName(alertsIndex, "--es-alerts-index");
        if (readingsIndex.equals(alertsIndex)) {
            throw new IllegalArgumentException("--es-readings-index and --es-alerts-index must differ (both '"
                    + readingsIndex + "')");
        }
        // Each index template matches "<index>*": two templates matching one name at one priority are refused.
        if (alertsIndex.startsWith(readingsIndex) || readingsIndex.startsWith(alertsIndex)) {
            throw new IllegalArgumentException("--es-readings-index '" + readingsIndex + "' and --es-alerts-index '"
                    + alertsIndex + "' must not be prefixes of each other: their index templates ('<index>*') "
                    + "would overlap");
        }
        if (replicas < 0) {
            throw new IllegalArgumentException("--es-replicas must not be negative (was " + replicas + ")");
        }
        if (bulkFlushMaxActions < 1) {
            throw new IllegalArgumentException("--es-bulk-max-actions must be at least 1 (was " + bulkFlushMaxActions + ")");
        }
        if (bulkFlushMaxSizeMb < 1) {
            throw new IllegalArgumentException("--es-bulk-max-size-mb must be at least 1 (was " + bulkFlushMaxSizeMb + ")");
        }
        if (bulkFlushInterval == null || bulkFlushInterval.toMillis() < 1) {
            throw new IllegalArgumentException("--es-bulk-flush-interval must be a positive duration of at least 1 ms (was "
                    + bulkFlushInterval + ")");
        }
        if (backoff == null) {
            throw new IllegalArgumentException("--es-backoff must be one of exponential, constant, none");
        }
        if (backoff != Backoff.NONE) {
            if (backoffRetries < 1) {
                throw new IllegalArgumentException("--es-backoff-retries must be at least 1 with --es-backoff "
                        + backoff.name().toLowerCase(Locale.ROOT) + " (was " + backoffRetries
                        + "); use --es-backoff none for no retries");
            }
            if (backoffDelay == null || backoffDelay.toMillis() < 1) {
                throw new IllegalArgumentException("--es-backoff-delay must be a positive duration (was " + backoffDelay + ")");
            }
        }
        if (sigv4Region != null && !sigv4Region.matches("[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]")) {
            throw new IllegalArgumentException("--es-sigv4-region must be an AWS region like ap-southeast-2 (was '"
                    + sigv4Region + "')");
        }
        if (sigv4Service == null || !sigv4Service.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("--es-sigv4-service must be a service name like es or aoss (was '"
                    + sigv4Service + "')");
        }
        requireTimeout(connectTimeout, "--es-connect-timeout");
        requireTimeout(socketTimeout, "--es-socket-timeout");
        if (caCertificateFile != null && truststoreFile != null) {
            throw new IllegalArgumentException("give either --es-ca-cert or --es-truststore, not both");
        }
        if ((caCertificateFile != null || truststoreFile != null) && !hasHttpsHost()) {
            throw new IllegalArgumentException((caCertificateFile != null ? "--es-ca-cert" : "--es-truststore")
                    + " is only used for https hosts, and --es-hosts has none");
        }
        return this;
    }

    private static void requireTimeout(Duration d, String option) {
        if (d == null || d.toMillis() < 1 || d.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(option + " must be a positive duration (was " + d + ")");
        }
    }

    /**
     * Validates, then reads credentials (from {@code --es-credentials-file} if given, else from
     * {@code environment}) and trusted certificates. Returns a resolved copy; the sinks and the template
     * installer resolve against {@link System#getenv()} themselves when given settings that are not resolved.
     */
    public ElasticsearchSettings resolve(Map<String, String> environment) {
        return ElasticsearchEnvironment.resolve(this, environment);
    }

    /** A resolved copy holding what {@link ElasticsearchEnvironment} read. */
    ElasticsearchSettings withResolved(Credentials found, ArrayList<byte[]> trusted) {
        ElasticsearchSettings c = copy();
        c.credentials = found;
        c.trustedCertificates = trusted;
        c.resolved = true;
        return c;
    }

    /** Resolved settings: this if already resolved, else resolved against the process environment. */
    public ElasticsearchSettings resolved() {
        return resolved ? this : resolve(System.getenv());
    }

    /** The hosts as the REST client wants them. */
    public HttpHost[] httpHosts() {
        if (hosts == null || hosts.isEmpty()) {
            throw new IllegalArgumentException("--es-hosts: give at least one Elasticsearch URL, e.g. " + DEFAULT_HOST);
        }
        HttpHost[] result = new HttpHost[hosts.size()];
        for (int i = 0; i < hosts.size(); i++) {
            result[i] = parseHost(hosts.get(i));
        }
        return result;
    }

    public boolean hasHttpsHost() {
        for (HttpHost h : httpHosts()) {
            if ("https".equals(h.getSchemeName())) {
                return true;
            }
        }
        return false;
    }

    /** hosts as {@code scheme://host:port}, for messages. */
    public String describeHosts() {
        List<String> uris = new ArrayList<>();
        for (HttpHost h : httpHosts()) {
            uris.add(h.toURI());
        }
        return String.join(", ", uris);
    }

    /** An SSL context trusting exactly the configured certificates; null when the JVM's default trust applies. */
    public SSLContext sslContext() {
        return trustedCertificates.isEmpty() ? null : ElasticsearchTrust.sslContext(trustedCertificates, trustSource());
    }

    private String trustSource() {
        return caCertificateFile != null ? "--es-ca-cert " + caCertificateFile : "--es-truststore " + truststoreFile;
    }

    private static HttpHost parseHost(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("--es-hosts: empty host; give URLs like " + DEFAULT_HOST);
        }
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--es-hosts: '" + text + "' is not a URL like " + DEFAULT_HOST);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getRawUserInfo() != null) {
            // Not echoing the URL: it carries a secret.
            throw new IllegalArgumentException("--es-hosts must not carry credentials (user:password@host): use "
                    + USERNAME_ENV + "/" + PASSWORD_ENV + ", " + API_KEY_ENV + " or --es-credentials-file");
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("--es-hosts: '" + text + "' must start with http:// or https://");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("--es-hosts: '" + text + "' names no host");
        }
        String path = uri.getRawPath();
        if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("--es-hosts: '" + text + "' has a path or query; give scheme://host:port only");
        }
        // No port: the scheme's own (80/443), as for any URL.
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return new HttpHost(uri.getHost(), port, scheme);
    }

    /** Elasticsearch's index-name rules, checked here so a bad name fails before the job starts. */
    private static void checkIndexName(String name, String option) {
        String problem = indexNameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException(option + " '" + name + "' is not a valid Elasticsearch index name: " + problem);
        }
    }

    static String indexNameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "it is empty";
        }
        if (!name.equals(name.toLowerCase(Locale.ROOT))) {
            return "it must be lowercase";
        }
        if (name.equals(".") || name.equals("..")) {
            return "it must not be '.' or '..'";
        }
        if (name.startsWith("-") || name.startsWith("_") || name.startsWith("+")) {
            return "it must not start with '-', '_' or '+'";
        }
        for (char c : "\\/*?\"<>| ,#:".toCharArray()) {
            if (name.indexOf(c) >= 0) {
                return "it must not contain '" + c + "'";
            }
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i)) || Character.isWhitespace(name.charAt(i))) {
                return "it must not contain whitespace or control characters";
            }
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > 255) {
            return "it must be at most 255 bytes long";
        }
        return null;
    }

    @Override
    public String toString() {
        List<String> shown = new ArrayList<>();
        // validate() refuses user:password@ in a host, but toString may run before it
        hosts.forEach(h -> shown.add(h == null ? null : h.replaceAll("(?<=://)[^/@]*@", "<redacted>@")));
        return "hosts=" + shown + " readingsIndex=" + readingsIndex + " alertsIndex=" + alertsIndex
                + " replicas=" + replicas + " bulk(maxActions=" + bulkFlushMaxActions + " maxSizeMb=" + bulkFlushMaxSizeMb
                + " interval=" + bulkFlushInterval + ") backoff(" + String.valueOf(backoff).toLowerCase(Locale.ROOT)
                + " retries=" + backoffRetries + " delay=" + backoffDelay + ")"
                + " timeouts(connect=" + connectTimeout + " socket=" + socketTimeout + ")"
                + (sigv4Region == null ? "" : " sigv4(" + sigv4Service + "@" + sigv4Region + ")")
                + " credentials=" + (resolved ? credentials.toString() : "unresolved")
                + (credentialsFile == null ? "" : " credentialsFile=" + credentialsFile)
                + (caCertificateFile == null ? "" : " caCert=" + caCertificateFile)
                + (truststoreFile == null ? "" : " truststore=" + truststoreFile);
    }
}
