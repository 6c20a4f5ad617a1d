package org.bushfire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bushfire.domain.ContractJson;
import org.bushfire.simulator.SimulatorCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replay reports its progress on stderr while it runs, and its last line holds the exact totals. */
class ReplayProgressTest {
    private static final Pattern LINE = Pattern.compile(
            "replay: (done, )?(\\d+) records read \\((\\d+)/s\\), event time (\\S+), (\\d+) chains, (\\d+) alerts so far"
                    + "(; job net runtime \\d+\\.\\d\\d s)?");

    @Test
    void progressLinesCountRecordsEventTimeAndAlertsUpToTheExactTotals(@TempDir Path dir) throws Exception {
        Path readings = dir.resolve("readings.jsonl");
        ByteArrayOutputStream simulatorErr = new ByteArrayOutputStream();
        int simulated = SimulatorCli.execute(new PrintStream(new ByteArrayOutputStream()), new PrintStream(simulatorErr),
                "--scenario", "generated", "--sensors", "900", "--networks", "3", "--fires", "3", "--duration", "30m",
                "--spread-model", "branching", "--fire-sensors", "12", "--ignite-within", "10m",
                "--seed", "5", "--quiet", "--sink", "file", "--output", readings.toString());
        assertThat(simulated).as(simulatorErr.toString(StandardCharsets.UTF_8)).isZero();
        List<String> lines = Files.readAllLines(readings);
        long newest = Long.MIN_VALUE;
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            newest = Math.max(newest, json.readTree(line).get("eventTimestamp").asLong());
        }

        Path alerts = dir.resolve("alerts.jsonl");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = BushfireCli.execute(new PrintStream(err, true, StandardCharsets.UTF_8), "replay",
                "--input", readings.toString(), "--alerts-out", alerts.toString(), "--progress-every", "100ms");
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(stderr).isZero();

        List<Matcher> running = new ArrayList<>();
        Matcher done = null;
        for (String line : stderr.split("\n")) {
            Matcher m = LINE.matcher(line.strip());
            if (m.matches()) {
                assertThat(m.group(7) == null).as("net runtime on the final line only: %s", line)
                        .isEqualTo(m.group(1) == null);
                if (m.group(1) == null) {
                    assertThat(done).as("no progress after the final line").isNull();
                    running.add(m);
                } else {
                    done = m;
                }
            }
        }
        assertThat(done).as("the final line in:%n%s", stderr).isNotNull();
        long alertsWritten = Files.readAllLines(alerts).stream().filter(l -> !l.isBlank()).count();
        assertThat(Long.parseLong(done.group(2))).isEqualTo(lines.size());
        assertThat(done.group(4)).isEqualTo(ContractJson.isoTime(newest));
        assertThat(Long.parseLong(done.group(6))).isEqualTo(alertsWritten).isPositive();

        assertThat(running).as("progress lines while the replay ran:%n%s", stderr).isNotEmpty();
        long previousRead = 0;
        long previousAlerts = 0;
        for (Matcher m : running) {
            long read = Long.parseLong(m.group(2));
            long alertsSoFar = Long.parseLong(m.group(6));
            assertThat(read).isBetween(previousRead, (long) lines.size());
            assertThat(alertsSoFar).isBetween(previousAlerts, alertsWritten);
            if (!m.group(4).equals("-")) {
                assertThat(m.group(4)).isLessThanOrEqualTo(ContractJson.isoTime(newest));
            }
            previousRead = read;
            previousAlerts = alertsSoFar;
        }
    }
}
