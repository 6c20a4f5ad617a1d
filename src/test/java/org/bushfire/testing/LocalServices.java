package org.bushfire.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Brings up the real local stand-ins (kinesis-local, fauxqs, Elasticsearch) through {@code scripts/services.sh}
 * — the same script {@code bin/bushfire services} runs — once per test run. Services that were already running
 * (a developer's own, or started by {@code .ci/run}) are used and left alone; those this run started are stopped
 * by the script, by pid, when the whole test plan ends.
 *
 * <pre>
 * &#64;RegisterExtension static final LocalServices SERVICES = LocalServices.of(LocalServices.Service.SNS);
 * </pre>
 *
 * <p>{@link Service#ELASTICSEARCH_SECURE} is the script's optional secured node (https, user {@code elastic});
 * its CA certificate and credentials file are {@link #secureElasticsearchCaCertificate()} and
 * {@link #secureElasticsearchCredentials()}.
 */
public final class LocalServices implements BeforeAllCallback {
    public enum Service {
        KINESIS("kinesis", "BUSHFIRE_KINESIS_PORT", 4568),
        SNS("sns", "BUSHFIRE_SNS_PORT", 4575),
        ELASTICSEARCH("elasticsearch", "BUSHFIRE_ES_PORT", 9200),
        ELASTICSEARCH_SECURE("elasticsearch-secure", "BUSHFIRE_ES_SECURE_PORT", 9201, "https");

        final String scriptName;
        final String portVariable;
        final int defaultPort;
        final String scheme;

        Service(String scriptName, String portVariable, int defaultPort) {
            this(scriptName, portVariable, defaultPort, "http");
        }

        Service(String scriptName, String portVariable, int defaultPort, String scheme) {
            this.scriptName = scriptName;
            this.portVariable = portVariable;
            this.defaultPort = defaultPort;
            this.scheme = scheme;
        }

        public URI endpoint() {
            String port = System.getenv(portVariable);
            return URI.create(scheme + "://127.0.0.1:" + (port == null || port.isBlank() ? defaultPort : port.trim()));
        }
    }

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalServices.class);
    private static final Path SCRIPT = Path.of("scripts", "services.sh");
    /** Where the script installs and runs the services, as it decides it (BUSHFIRE_SERVICES_CACHE). */
    private static final String CACHE_VARIABLE = "BUSHFIRE_SERVICES_CACHE";

    private final Service[] services;

    private LocalServices(Service[] services) {
        this.services = services;
    }

    public static LocalServices of(Service... services) {
        return new LocalServices(services);
    }

    /** The secured node's CA certificate (PEM), what {@code --es-ca-cert} takes; written by its first start. */
    public static Path secureElasticsearchCaCertificate() {
        return servicesFolder().resolve("elasticsearch-secure").resolve("ca.pem");
    }

    /** {@code username=elastic} and its password, what {@code --es-credentials-file} takes. */
    public static Path secureElasticsearchCredentials() {
        return servicesFolder().resolve("elasticsearch-secure").resolve("credentials.properties");
    }

    private static Path servicesFolder() {
        String cache = System.getenv(CACHE_VARIABLE);
        return cache == null || cache.isBlank() ? Path.of(".cache", "services") : Path.of(cache.trim());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        for (Service service : services) {
            store.getOrComputeIfAbsent(service, LocalServices::ensureRunning, Started.class);
        }
    }

    /** Stops, when the test plan ends, what this run started; nothing if the service was already up. */
    private static final class Started implements ExtensionContext.Store.CloseableResource {
        private final Service service;
        private final boolean startedHere;

        Started(Service service, boolean startedHere) {
            this.service = service;
            this.startedHere = startedHere;
        }

        @Override
        public void close() {
            if (startedHere) {
                run(List.of("stop", service.scriptName), 60);
            }
        }
    }

    private static Started ensureRunning(Service service) {
        if (run(List.of("status", service.scriptName), 30).exitCode == 0) {
            return new Started(service, false);
        }
        Result start = run(List.of("start", service.scriptName), 600);
        if (start.exitCode != 0) {
            throw new IllegalStateException("could not start " + service.scriptName + " with " + SCRIPT
                    + " (exit " + start.exitCode + "):\n" + start.output);
        }
        return new Started(service, true);
    }

    private static final class Result {
        final int exitCode;
        final String output;

        Result(int exitCode, String output) {
            this.exitCode = exitCode;
            this.output = output;
        }
    }

    private static Result run(List<String> args, long timeoutSeconds) {
        List<String> command = new ArrayList<>();
        command.add("bash");
        command.add(SCRIPT.toString());
        command.addAll(args);
        try {
            Path log = Files.createTempFile("bushfire-services", ".log");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Files.deleteIfExists(log);
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + SCRIPT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + SCRIPT, e);
        }
    }
}
