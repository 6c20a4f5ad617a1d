package org.bushfire.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs the deploy scripts as an operator would, with fake {@code aws}, {@code flink} and {@code yarn} on the
 * PATH that record every call (so nothing ever reaches AWS), and reads back what they printed and wrote.
 */
final class DeployScripts {
    static final Path DIR = Path.of("deploy", "emr-bootstrap");
    static final Path EXAMPLE_SETTINGS = DIR.resolve("bushfire-emr.conf.example");
    static final List<String> SCRIPTS = List.of("create-cluster.sh", "submit.sh", "stop.sh", "upgrade.sh",
            "status.sh", "iam-policy.sh", "bootstrap-action.sh", "job-control.sh");
    static final String CLUSTER = "j-2AXXXXXXGAPLF";
    static final ObjectMapper JSON = new ObjectMapper();

    record Result(int exitCode, String stdout, String stderr) {
        /** The AWS CLI calls the script printed ("+ aws ..."), without the "+ ". */
        List<String> printedAwsCalls() {
            return stdout.lines().filter(l -> l.startsWith("+ aws ")).map(l -> l.substring(2)).collect(Collectors.toList());
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    final Path root;
    final Path bin;
    final Path awsLog;
    final Path toolsLog;
    final Path nodeHome;
    final Map<String, String> env = new LinkedHashMap<>();

    DeployScripts(Path temp) {
        try {
            root = temp;
            bin = Files.createDirectories(temp.resolve("bin"));
            install("fake-aws.sh", "aws");
            install("fake-flink.sh", "flink");
            install("fake-yarn.sh", "yarn");
            awsLog = temp.resolve("aws-calls.log");
            toolsLog = temp.resolve("tools-calls.log");
            nodeHome = temp.resolve("node-home");
            env.put("PATH", bin + ":" + System.getenv("PATH"));
            env.put("FAKE_AWS_LOG", awsLog.toString());
            env.put("FAKE_TOOLS_LOG", toolsLog.toString());
            env.put("BUSHFIRE_NODE_HOME", nodeHome.toString());
            env.put("TMPDIR", temp.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void install(String resource, String name) throws IOException {
        try (InputStream in = DeployScripts.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            Path target = bin.resolve(name);
            Files.copy(in, target);
            if (!target.toFile().setExecutable(true)) {
                throw new IOException("cannot make " + target + " executable");
            }
        }
    }

    /** The example settings with some values replaced (or added). */
    Path settings(String... keyValues) {
        try {
            Map<String, String> overrides = new LinkedHashMap<>();
            for (int i = 0; i < keyValues.length; i += 2) {
                overrides.put(keyValues[i], keyValues[i + 1]);
            }
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(EXAMPLE_SETTINGS, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                String key = line.startsWith("#") || eq < 0 ? null : line.substring(0, eq);
                lines.add(key != null && overrides.containsKey(key) ? key + "=" + overrides.remove(key) : line);
            }
            overrides.forEach((k, v) -> lines.add(k + "=" + v));
            return Files.write(Files.createTempFile(root, "settings", ".conf"), lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A small stand-in for the cluster jar: the scripts only hash and upload it. */
    Path jar(String name, String content) {
        try {
            return Files.writeString(Files.createDirectories(root.resolve("jars")).resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path workDir(String name) {
        return root.resolve("work-" + name);
    }

    Result run(String script, String... args) {
        return run(Map.of(), script, args);
    }

    Result run(Map<String, String> extraEnv, String script, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", DIR.resolve(script).toString()));
        command.addAll(Arrays.asList(args));
        try {
            Path out = Files.createTempFile(root, "stdout", ".txt");
            Path err = Files.createTempFile(root, "stderr", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(env);
            builder.environment().putAll(extraEnv);
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The AWS CLI calls the fake recorded, oldest first; empty when it was never called. */
    List<String> recordedAwsCalls() {
        return lines(awsLog);
    }

    List<String> recordedToolCalls() {
        return lines(toolsLog);
    }

    void forgetCalls() {
        try {
            Files.deleteIfExists(awsLog);
            Files.deleteIfExists(toolsLog);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + file, e);
        }
    }

    /** The arguments after "--" of a job-control.sh start step: the job's own command line. */
    static List<String> jobArgs(JsonNode step) {
        List<String> args = new ArrayList<>();
        step.path("Args").forEach(a -> args.add(a.asText()));
        int dashes = args.indexOf("--");
        if (dashes < 0 || !args.contains("start")) {
            throw new AssertionError("not a start step: " + step);
        }
        return args.subList(dashes + 1, args.size());
    }

    /** The first start step: the alerting job's. */
    static JsonNode startStep(JsonNode steps) {
        return startSteps(steps).get(0);
    }

    /** The start step of one job: {@code run} (alerting) or {@code index} (indexing). */
    static JsonNode startStep(JsonNode steps, String job) {
        for (JsonNode step : startSteps(steps)) {
            if (jobArgs(step).get(0).equals(job)) {
                return step;
            }
        }
        throw new AssertionError("no start step of '" + job + "' in " + steps);
    }

    static List<JsonNode> startSteps(JsonNode steps) {
        List<JsonNode> starts = new ArrayList<>();
        for (JsonNode step : steps) {
            if (step.path("Args").toString().contains("\"start\"")) {
                starts.add(step);
            }
        }
        if (starts.isEmpty()) {
            throw new AssertionError("no start step in " + steps);
        }
        return starts;
    }
}
