package org.bushfire.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code scripts/services.sh}: the local stand-ins for Kinesis, SNS and Elasticsearch. The demo starts only those
 * not already running, and stops only those it started — through the script, which stops them by their pids.
 */
final class ServicesScript {
    static final List<String> ALL = List.of("kinesis", "sns", "elasticsearch");

    private final Path script;

    ServicesScript(Path home) {
        this.script = home.resolve("scripts").resolve("services.sh");
    }

    boolean running(String service) throws IOException, InterruptedException {
        return run(List.of("status", service), null, 30) == 0;
    }

    /** Starts the services (in a session of their own, so the terminal's Ctrl-C reaches only the demo). */
    void start(List<String> services, PrintStream out) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("start"));
        args.addAll(services);
        int exit = run(args, out, 900);
        if (exit != 0) {
            throw new IllegalStateException("scripts/services.sh start " + String.join(" ", services) + " failed (exit "
                    + exit + "); see the lines above and .cache/services/logs/");
        }
    }

    void stop(List<String> services, PrintStream out) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("stop"));
        args.addAll(services);
        run(args, out, 120);
    }

    /** The endpoints and throwaway credentials {@code services.sh env} exports. */
    Map<String, String> env() throws IOException, InterruptedException {
        Map<String, String> env = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>();
        run(List.of("env"), lines, 30);
        for (String line : lines) {
            String l = line.trim();
            if (l.startsWith("export ") && l.contains("=")) {
                String assignment = l.substring("export ".length());
                int eq = assignment.indexOf('=');
                env.put(assignment.substring(0, eq), unquote(assignment.substring(eq + 1)));
            }
        }
        return env;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("'") && value.endsWith("'")
                || value.startsWith("\"") && value.endsWith("\""))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private int run(List<String> args, Object out, long timeoutSeconds) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(Processes.inOwnSession());
        command.add("bash");
        command.add(script.toString());
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (out instanceof PrintStream p) {
                    p.println("demo: services: " + line);
                } else if (out instanceof List<?> list) {
                    @SuppressWarnings("unchecked")
                    List<String> collected = (List<String>) list;
                    collected.add(line);
                }
            }
        }
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("scripts/services.sh " + String.join(" ", args) + " did not finish in "
                    + timeoutSeconds + "s");
        }
        return process.exitValue();
    }
}
