package org.bushfire.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bushfire.domain.Reading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line: the reference scenario, formats, the clock, and refusals that name the option to fix. */
class SimulatorCliTest {
    static final Path EXAMPLE = Path.of("examples", "reference-11-nodes.jsonl");

    @TempDir
    Path dir;

    @Test
    void referenceScenarioGivesTheReadingsOfTheCommittedExample() throws Exception {
        SimulatedRun run = SimulatedRun.run(dir, "--start", "2024-11-21T00:00:00Z");

        List<Reading> expected = new ArrayList<>();
        for (String line : Files.readAllLines(EXAMPLE)) {
            expected.add(SimulatedRun.parse(line));
        }
        assertThat(run.parsedReadings()).isEqualTo(expected);
        assertThat(run.lines.get(11)).as("an ignition carries no infector")
                .isEqualTo("{\"network\":\"default\",\"node\":1,\"eventTimestamp\":1732147260000,\"temperature\":51.0}");

        JsonNode fire = run.truth.get("fires").get(0);
        assertThat(run.truth.get("fires")).hasSize(1);
        assertThat(fire.get("root").asInt()).isEqualTo(1);
        List<String> tree = new ArrayList<>();
        fire.get("nodes").forEach(n -> tree.add(n.get("node") + "<" + n.get("infectedBy") + " onset "
                + Instant.ofEpochMilli(n.get("onsetTimestamp").asLong())));
        assertThat(tree).containsExactly("1<null onset 2024-11-21T00:01:00Z", "2<1 onset 2024-11-21T00:02:00Z",
                "3<2 onset 2024-11-21T00:03:00Z", "4<3 onset 2024-11-21T00:04:00Z", "5<4 onset 2024-11-21T00:04:00Z");
        assertThat(fire.get("nodes").get(3).get("infectionTimestamp").asLong())
                .as("node 4 names its infector at 44 °C, a batch before its onset")
                .isEqualTo(Instant.parse("2024-11-21T00:03:00Z").toEpochMilli());
    }

    @Test
    void referenceRoundsPastTheLastBatchRepeatItAndTheIntervalIsConfigurable() {
        SimulatedRun run = SimulatedRun.run(dir, "--start", "2024-11-21T00:00:00Z", "--interval", "10s", "--rounds", "7");
        List<Reading> readings = run.parsedReadings();
        assertThat(readings).hasSize(77);
        assertThat(readings.get(76).eventTimestamp).isEqualTo(Instant.parse("2024-11-21T00:01:00Z").toEpochMilli());
        for (int i = 55; i < 77; i++) {
            Reading batch5 = readings.get(44 + (i - 55) % 11);
            assertThat(readings.get(i).temperature).isEqualTo(batch5.temperature);
            assertThat(readings.get(i).infectedBy).isEqualTo(batch5.infectedBy);
        }
    }

    @Test
    void iotRuleFormatCarriesTheSameTimesAsStrings() {
        SimulatedRun epoch = SimulatedRun.run(dir.resolve("epoch"), "--start", "2024-11-21T00:00:00Z");
        SimulatedRun iot = SimulatedRun.run(dir.resolve("iot"), "--start", "2024-11-21T00:00:00Z", "--format", "iot-rule");
        assertThat(iot.lines.get(0)).contains("\"eventTime\":\"2024-11-21T00:00:00.000+0000\"").doesNotContain("eventTimestamp");
        assertThat(iot.parsedReadings()).isEqualTo(epoch.parsedReadings());
    }

    @Test
    void withoutStartAFileRunLiesEntirelyInThePast() {
        long before = System.currentTimeMillis();
        SimulatedRun run = SimulatedRun.run(dir, "--scenario", "generated", "--duration", "2h", "--sensors", "20");
        List<Reading> readings = run.parsedReadings();
        assertThat(readings.get(readings.size() - 1).eventTimestamp).isLessThanOrEqualTo(System.currentTimeMillis());
        assertThat(readings.get(0).eventTimestamp).isBetween(before - Duration.ofHours(2).toMillis() - 1000,
                before - Duration.ofHours(2).toMillis() + 5000);
    }

    @Test
    void placedClockNeverRunsAheadOfTheWallClock() {
        Instant now = Instant.parse("2026-01-01T12:00:00Z");
        Duration span = Duration.ofMinutes(600);
        assertThat(SimulatedClock.placedStart(now, span, 1)).isEqualTo(now.toEpochMilli());
        assertThat(SimulatedClock.placedStart(now, span, SimulatedClock.AS_FAST_AS_POSSIBLE))
                .isEqualTo(now.minus(span).toEpochMilli());
        long start60 = SimulatedClock.placedStart(now, span, 60);
        assertThat(start60).isEqualTo(now.minus(Duration.ofMinutes(590)).toEpochMilli());
        assertThat(SimulatedClock.furthestAhead(start60, span, 60, now)).isZero();
        assertThat(SimulatedClock.furthestAhead(now.toEpochMilli(), span, 60, now)).isEqualTo(Duration.ofMinutes(590));
    }

    @Test
    void pacedRunTakesItsEventTimeDividedBySpeed() {
        long started = System.nanoTime();
        SimulatedRun.run(dir, "--speed", "60", "--interval", "6s", "--rounds", "4");
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(millis).as("3 intervals of 6s at speed 60").isGreaterThanOrEqualTo(300);
    }

    @Test
    void anExplicitStartFarInTheFutureIsWarnedAbout() {
        SimulatedRun run = SimulatedRun.run(dir, "--start", Instant.now().plus(Duration.ofHours(2)).toString());
        assertThat(run.stderr).contains("warning").contains("--max-clock-skew");
    }

    @Test
    void stdoutSinkWritesJsonLines() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = SimulatorCli.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "--speed", "max");
        assertThat(exit).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(55);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("simulate: done {").contains("\"readingsSent\":55");
    }

    @Test
    void aBranchingRunBurnsExactlyItsFireSizeAndLastsUntilTheFireIsDone() {
        SimulatedRun run = SimulatedRun.run(dir, "--scenario", "generated", "--sensors", "250", "--networks", "1",
                "--spread-model", "branching", "--fire-sensors", "150", "--fires", "1", "--seed", "8");

        JsonNode fires = run.truth.get("fires");
        assertThat(fires).hasSize(1);
        assertThat(fires.get(0).get("sensors").asInt()).isEqualTo(150);
        assertThat(run.truth.get("branching").get("branches").asText()).isEqualTo("1-4");
        long start = run.truth.get("startTimestamp").asLong();
        long lastOnset = Long.MIN_VALUE;
        for (JsonNode n : fires.get(0).get("nodes")) {
            lastOnset = Math.max(lastOnset, n.get("onsetTimestamp").asLong());
            if (!n.get("infectedBy").isNull()) {
                assertThat(n.get("onsetTimestamp").asLong()).as("every burning sensor reported its onset").isPositive();
            }
        }
        int rounds = run.truth.get("rounds").asInt();
        assertThat(run.lines).hasSize(250 * rounds);
        assertThat(start + (rounds - 1) * 60_000L - lastOnset).as("rounds after the last onset")
                .isBetween(0L, 3 * 60_000L);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--sink file                          | --sink file needs --output",
        "--sink s3                            | --sink must be",
        "--rounds 3 --duration 1h             | --rounds or --duration",
        "--speed 0                            | --speed must be",
        "--speed fast                         | --speed must be",
        "--scenario random                    | --scenario must be",
        "--format xml                         | --format must be",
        "--interval soon                      | is not a duration",
        "--scenario generated --fires -1      | --fires must not be negative",
        "--scenario generated --networks 0    | --networks must be",
        "--scenario generated --ignite ridge-1/x@5m | --ignite",
        "--scenario generated --ignite ridge-9/1 | no such sensor",
        "--scenario generated --center 95,10  | --center",
        "--scenario generated --drop 1.5      | --drop must be a fraction",
        "--scenario generated --wind-speed -3 | --wind-speed",
        "--scenario generated --spread-model fast | --spread-model must be",
        "--scenario generated --fire-sensors 9 | --fire-sensors goes with --spread-model branching",
        "--scenario generated --spread-model branching --branches 4-1 | --branches",
        "--scenario generated --spread-model branching --hop-delay 10s | --hop-delay",
        "--unknown                            | Unknown option",
    })
    void badOptionsExitTwoNamingTheOption(String args, String message) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = SimulatorCli.execute(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args.trim().split("\\s+"));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(message);
    }

    @Test
    void helpListsTheOptionsOfTheIssue() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(SimulatorCli.execute(new PrintStream(out, true, StandardCharsets.UTF_8), System.err, "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--scenario", "--format", "--sensors", "--networks",
                "--center", "--radio-range", "--fires", "--ignite", "--wind-dir", "--wind-speed", "--seed", "--sink",
                "--output", "--speed", "--duration", "--rounds", "--interval", "--truth", "--drop", "--malformed",
                "--duplicate", "--late", "--jitter");
    }
}
