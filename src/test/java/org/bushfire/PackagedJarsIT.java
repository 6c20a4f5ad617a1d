package org.bushfire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each jar carries its own: the cluster jar the job and its connectors but not the simulator, the demo or their
 * scenario; the simulator jar the simulator with an SLF4J binding of its own, so it runs without SLF4J's
 * "no binding" warning. Runs after {@code package} (failsafe, hence the {@code IT} suffix), on the real jars.
 */
class PackagedJarsIT {
    static final Path TARGET = Path.of("target");
    static final Path SIMULATOR_JAR = TARGET.resolve("bushfire-simulator.jar");

    @Test
    void theClusterJarHoldsTheJobAndNotTheSimulatorDemoOrBench() throws IOException {
        try (JarFile jar = new JarFile(clusterJar().toFile())) {
            List<String> entries = jar.stream().map(e -> e.getName()).toList();
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("org.bushfire.cli.BushfireCli");
            assertThat(entries).contains("org/bushfire/cli/BushfireCli.class", "org/bushfire/job/AlertingJob.class",
                    "org/bushfire/domain/Reading.class");
            assertThat(entries).noneMatch(e -> e.startsWith("org/bushfire/simulator/"))
                    .noneMatch(e -> e.startsWith("org/bushfire/demo/"))
                    .noneMatch(e -> e.startsWith("org/bushfire/bench/"))
                    .noneMatch(e -> e.startsWith("scenarios/"))
                    .as("the cluster brings its own logging").noneMatch(e -> e.startsWith("org/slf4j/"));
        }
    }

    @Test
    void theSimulatorJarHoldsTheSimulatorAndItsOwnLoggingBinding() throws IOException {
        try (JarFile jar = new JarFile(SIMULATOR_JAR.toFile())) {
            List<String> entries = jar.stream().map(e -> e.getName()).toList();
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("org.bushfire.simulator.SimulatorCli");
            assertThat(entries).contains("org/bushfire/simulator/SimulatorCli.class", "scenarios/reference-11-nodes.csv",
                    "org/slf4j/impl/StaticLoggerBinder.class");
            assertThat(entries).noneMatch(e -> e.startsWith("org/bushfire/job/"))
                    .noneMatch(e -> e.startsWith("org/bushfire/demo/"))
                    .noneMatch(e -> e.startsWith("org/apache/logging/log4j/"));
        }
    }

    @Test
    void theSimulatorJarWritesTheReferenceScenario() throws Exception {
        Run run = simulate("--speed", "max");
        assertThat(run.exit).as(run.stderr).isZero();
        assertThat(run.stdout.lines()).hasSize(55);
        assertThat(run.stderr).contains("simulate: done {").doesNotContain("SLF4J");
    }

    /** The AWS SDK logs through SLF4J when a call fails: that is where the warning used to appear. */
    @Test
    void theSimulatorJarReportsAnUnreachableKinesisWithoutAnSlf4jWarning() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Run run = simulate("--sink", "kinesis", "--stream", "readings", "--region", "us-east-1",
                "--endpoint", "http://127.0.0.1:" + closedPort, "--rounds", "1");
        assertThat(run.exit).isNotZero();
        assertThat(run.stderr).contains("cannot reach Kinesis").doesNotContain("SLF4J");
    }

    private static Path clusterJar() throws IOException {
        try (Stream<Path> files = Files.list(TARGET)) {
            List<Path> jars = files.filter(f -> f.getFileName().toString().matches("bushfire-alerting-.*\\.jar")).toList();
            assertThat(jars).as("the cluster jar in %s", TARGET.toAbsolutePath()).hasSize(1);
            return jars.get(0);
        }
    }

    record Run(int exit, String stdout, String stderr) {}

    private static Run simulate(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", SIMULATOR_JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("simulator", ".out");
        Path err = Files.createTempFile("simulator", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test"));
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the simulator jar did not finish within 60 s: " + command);
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
