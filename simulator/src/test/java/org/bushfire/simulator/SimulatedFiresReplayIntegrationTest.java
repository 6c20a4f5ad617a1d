package org.bushfire.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.bushfire.testing.Replay;
import org.bushfire.testing.TestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through files: the simulator writes readings (several networks and fires, every kind of fault) and
 * a truth file; {@code bushfire replay} — the command users run — raises alerts on a MiniCluster at parallelism
 * 2; the alerts are exactly those the contract demands for the fires in the truth file.
 */
class SimulatedFiresReplayIntegrationTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestCluster.twoSlots();

    static final String[] FIRES = {"--scenario", "generated", "--start", "2024-11-21T00:00:00Z", "--duration", "3h",
        "--sensors", "480", "--networks", "4", "--fires", "7", "--seed", "2024"};
    static final String[] FAULTS = {"--malformed", "0.01", "--duplicate", "0.02", "--drop", "0.02", "--late", "0.01",
        "--jitter", "0.05"};

    @TempDir
    Path dir;

    @Test
    void alertsAreExactlyThoseTheTruthDemands() {
        SimulatedRun run = SimulatedRun.run(dir.resolve("simulated"), TruthTest.with(FIRES, FAULTS));
        List<ExpectedAlerts.Expected> expected = ExpectedAlerts.of(run.truth, 5, Duration.ofMinutes(30));
        assertThat(expected).as("the run has fires that must alert").hasSizeGreaterThanOrEqualTo(4);

        Replay replay = Replay.run(dir.resolve("replay"), run.readings);

        assertMatches(replay.alerts, expected);
        JsonNode summary = run.truth.get("summary");
        assertThat(replay.deadLetters).hasSize(summary.get("readingsMalformed").asInt());
        assertThat(replay.late).hasSize(summary.get("readingsLate").asInt());
        assertThat(summary.get("readingsLate").asInt()).isPositive();
    }

    @Test
    void iotRuleFormatGivesTheSameAlerts() {
        SimulatedRun epoch = SimulatedRun.run(dir.resolve("epoch"), FIRES);
        SimulatedRun iot = SimulatedRun.run(dir.resolve("iot"), TruthTest.with(FIRES, "--format", "iot-rule"));
        assertThat(iot.lines.get(0)).contains("\"eventTime\":\"2024-11-21T00:00:00.000+0000\"");

        Replay fromEpoch = Replay.run(dir.resolve("replay-epoch"), epoch.readings);
        Replay fromIot = Replay.run(dir.resolve("replay-iot"), iot.readings);

        assertMatches(fromEpoch.alerts, ExpectedAlerts.of(epoch.truth, 5, Duration.ofMinutes(30)));
        assertThat(fromIot.alerts).as("the same alerts, in any order").containsExactlyInAnyOrderElementsOf(fromEpoch.alerts);
    }

    @Test
    void theSimulatedReferenceScenarioRaisesTheReferenceAlert() {
        SimulatedRun run = SimulatedRun.run(dir.resolve("simulated"), "--start", "2024-11-21T00:00:00Z");
        Replay replay = Replay.run(dir.resolve("replay"), run.readings);
        assertThat(replay.onlyChain()).containsExactly("1", "2", "3", "4", "5");
        assertMatches(replay.alerts, ExpectedAlerts.of(run.truth, 5, Duration.ofMinutes(30)));
    }

    static void assertMatches(List<JsonNode> alerts, List<ExpectedAlerts.Expected> expected) {
        Map<String, JsonNode> byFire = new HashMap<>();
        for (JsonNode alert : alerts) {
            String fire = alert.get("network").asText() + "/" + alert.get("fireRoot").asText();
            assertThat(byFire.put(fire, alert)).as("one alert per fire: %s", fire).isNull();
        }
        Map<String, ExpectedAlerts.Expected> expectedByFire = new HashMap<>();
        expected.forEach(e -> expectedByFire.put(e.network() + "/" + e.fireRoot(), e));
        assertThat(byFire.keySet()).as("fires alerted").isEqualTo(expectedByFire.keySet());
        expectedByFire.forEach((fire, e) -> {
            JsonNode alert = byFire.get(fire);
            assertThat(alert.get("alertId").asText()).as("alertId of %s", fire).isEqualTo(e.alertId());
            assertThat(alert.get("fireRootOnsetTimestamp").asLong()).isEqualTo(e.fireRootOnset());
            assertThat(alert.get("completedTimestamp").asLong()).as("completion of %s", fire).isEqualTo(e.completed());
            assertThat(e.chains()).as("chain of %s", fire).contains(Replay.chainOf(alert));
        });
    }
}
