package org.bushfire.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bushfire.simulator.ExpectedAlertsAccess;
import org.bushfire.testing.LocalServices;
import org.bushfire.testing.LocalServices.Service;
import org.bushfire.testing.QuietMachine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * {@code bin/bushfire demo} as a newcomer runs it, as a process: once to the end of a short {@code --duration},
 * once stopped like Ctrl-C (SIGTERM takes the same path) as soon as the first alert arrives. Each time the last
 * line is {@code SUMMARY {json}}, the alerts came through SNS and are ones the truth files demand, every reading
 * sent intact was indexed once, and every process the demo started is gone.
 *
 * <p>It runs with the classes this build compiled ({@code BUSHFIRE_CLASSPATH}), so {@code bin/bushfire} starts no
 * Maven of its own inside {@code mvn verify}. Both demos start together, before the tests: each waits mostly on
 * event time (the sensors report in real time), so side by side they take little longer than the longer one, and
 * each makes its own stream, topic, queue and indices. The services are started before them ({@link LocalServices}),
 * so both use them and must leave them running, as the demo does with services it did not start.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Execution(ExecutionMode.CONCURRENT) // beside the other classes: it waits on the wall clock (see QuietMachine)
@ResourceLock(QuietMachine.LOCK)
class DemoIntegrationTest {
    @RegisterExtension
    static final LocalServices SERVICES = LocalServices.of(Service.KINESIS, Service.SNS, Service.ELASTICSEARCH);

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path HOME = Path.of("").toAbsolutePath();

    @TempDir
    static Path dir;

    static Map<String, Boolean> before;
    static Process shortDemo;
    static Process interruptedDemo;

    @BeforeAll
    static void startBothDemos() throws Exception {
        before = servicesRunning();
        shortDemo = startDemo(dir.resolve("short.out"), "--duration", "150s");
        interruptedDemo = startDemo(dir.resolve("interrupted.out"));
    }

    @AfterAll
    static void stopWhatIsLeft() throws InterruptedException {
        for (Process demo : new Process[] {shortDemo, interruptedDemo}) {
            if (demo != null && demo.isAlive()) {
                demo.destroy();
                demo.waitFor(3, TimeUnit.MINUTES);
            }
        }
    }

    @Test
    @Order(1)
    void ctrlCStopsEverythingAndStillSummarises() throws Exception {
        Path output = dir.resolve("interrupted.out");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
        while (System.nanoTime() < deadline && interruptedDemo.isAlive()
                && Files.readAllLines(output, StandardCharsets.UTF_8).stream().noneMatch(l -> l.startsWith("ALERT "))) {
            Thread.sleep(1000);
        }
        assertThat(interruptedDemo.isAlive()).as("running until stopped").isTrue();
        interruptedDemo.destroy();  // SIGTERM to the demo's own pid: the same shutdown path as Ctrl-C's SIGINT
        assertThat(interruptedDemo.waitFor(3, TimeUnit.MINUTES)).isTrue();
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);

        JsonNode summary = summaryOf(lines);
        assertThat(summary.get("stoppedBy").asText()).as("output:%n%s", String.join("\n", lines)).isEqualTo("interrupt");
        assertThat(summary.has("error")).isFalse();
        assertThat(summary.get("alertsDelivered").asInt()).isGreaterThanOrEqualTo(1);
        assertConsistent(summary);
        assertCleanedUp(summary, before);
    }

    @Test
    @Order(2)
    void aShortDemoShowsTheReferenceAndGeneratedAlertsDeliveredThroughSns() throws Exception {
        Path output = dir.resolve("short.out");
        assertThat(shortDemo.waitFor(9, TimeUnit.MINUTES)).as("demo ends on its own").isTrue();
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        assertThat(shortDemo.exitValue()).as("exit status; output:%n%s", String.join("\n", lines)).isZero();

        JsonNode summary = summaryOf(lines);
        assertThat(summary.get("stoppedBy").asText()).isEqualTo("duration");
        assertThat(summary.get("referenceAlertDelivered").asBoolean()).as("the reference alert").isTrue();
        assertThat(summary.get("generatedAlertsDelivered").asInt()).as("generated alerts").isGreaterThanOrEqualTo(1);
        assertThat(lines).filteredOn(l -> l.startsWith("ALERT ")).hasSize(summary.get("alertsDelivered").asInt());
        // a generated fire grows: its incident sends updates with the burnt area, heading and rate of spread
        assertThat(summary.get("updatesDelivered").asInt()).as("updates").isGreaterThanOrEqualTo(1);
        assertThat(lines).filteredOn(l -> l.startsWith("UPDATE ")).hasSize(summary.get("updatesDelivered").asInt())
                .anySatisfy(l -> assertThat(l).containsPattern("\\d+ sensors burnt, \\d+\\.\\d\\d km², heading "
                        + "[NESW]{1,3} \\(\\d+°\\) at \\d+ m/min"));
        // the reference fire is put out after its batches: a quiet minute later its incident clears
        assertThat(summary.get("allClearsDelivered").asInt()).as("all-clears").isGreaterThanOrEqualTo(1);
        assertThat(lines).filteredOn(l -> l.startsWith("ALL CLEAR ")).hasSize(summary.get("allClearsDelivered").asInt())
                .anySatisfy(l -> assertThat(l).contains(" default ").contains("5 sensors burnt"));
        assertThat(summary.get("capDocuments").asInt()).as("a CAP document per message in the run directory")
                .isGreaterThanOrEqualTo(summary.get("alertsDelivered").asInt() + summary.get("updatesDelivered").asInt()
                        + summary.get("allClearsDelivered").asInt());
        assertConsistent(summary);
        assertCleanedUp(summary, before);
    }

    private static Process startDemo(Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", HOME.resolve("bin/bushfire").toString(), "demo",
                "--web-ui-port", "0"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(HOME.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("BUSHFIRE_CLASSPATH", testClasspath());
        return builder.start();
    }

    /** What this test JVM runs with: the classes and dependencies this build just resolved. */
    private static String testClasspath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private static JsonNode summaryOf(List<String> lines) throws IOException {
        List<String> printed = lines.stream().filter(l -> !l.isBlank()).toList();
        assertThat(printed).as("output").isNotEmpty();
        String last = printed.get(printed.size() - 1);
        assertThat(last).as("the last line; output:%n%s", String.join("\n", lines)).startsWith("SUMMARY {");
        return JSON.readTree(last.substring("SUMMARY ".length()));
    }

    /** Counts agree, and every alert delivered is one the truth files demand, with a chain they allow. */
    private static void assertConsistent(JsonNode summary) throws IOException {
        long sent = summary.get("readingsSent").asLong();
        long malformed = summary.get("readingsMalformed").asLong();
        long duplicated = summary.get("readingsDuplicated").asLong();
        assertThat(sent).isPositive();
        assertThat(summary.get("readingsIndexed").asLong()).as("every intact reading indexed once")
                .isEqualTo(sent - malformed - duplicated)
                .isEqualTo(summary.get("distinctReadings").asLong());
        assertThat(summary.get("deadLetters").asLong()).as("dead letters").isEqualTo(malformed);
        assertThat(summary.get("alertsDelivered").asInt()).isEqualTo(summary.get("alerts").size());

        Path runDir = HOME.resolve(summary.get("runDir").asText());
        List<JsonNode> truths = new ArrayList<>();
        for (String name : List.of("truth-reference.json", "truth-generated.json")) {
            if (Files.exists(runDir.resolve(name))) {
                truths.add(JSON.readTree(runDir.resolve(name).toFile()));
            }
        }
        for (JsonNode alert : summary.get("alerts")) {
            String id = alert.get("alertId").asText();
            List<List<String>> allowed = new ArrayList<>();
            truths.forEach(t -> allowed.addAll(ExpectedAlertsAccess.chainsOf(t, id)));
            List<String> chain = new ArrayList<>();
            alert.get("chain").forEach(n -> chain.add(n.asText()));
            assertThat(allowed).as("alert %s is a fire of the truth files", alert).isNotEmpty().contains(chain);
        }
    }

    private static void assertCleanedUp(JsonNode summary, Map<String, Boolean> before) throws Exception {
        long jobPid = summary.get("jobPid").asLong();
        assertThat(ProcessHandle.of(jobPid).map(ProcessHandle::isAlive).orElse(false)).as("job pid %s", jobPid).isFalse();
        assertThat(servicesRunning()).as("services as they were before the demo").isEqualTo(before);
    }

    private static Map<String, Boolean> servicesRunning() throws Exception {
        Map<String, Boolean> running = new LinkedHashMap<>();
        for (String service : List.of("kinesis", "sns", "elasticsearch")) {
            Process status = new ProcessBuilder("bash", HOME.resolve("scripts/services.sh").toString(), "status", service)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(status.waitFor(30, TimeUnit.SECONDS)).isTrue();
            running.put(service, status.exitValue() == 0);
        }
        return running;
    }
}
