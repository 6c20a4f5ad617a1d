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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Detection at the size of a real fire, through {@code bushfire replay} at parallelism 2: a single fire through
 * nearly every sensor of a 3,000-sensor mesh, and several fires (one of them thousands of sensors) burning at
 * once in one network. Sensors report in rounds, so many hops fall within one round and share an instant. The alerts must be exactly those the
 * contract demands for the simulator's truth ({@link ExpectedAlerts}, worked out without the job). This is the
 * regression test for detection whose cost grew with the fire: with every onset weighed against every partial
 * chain of its network, these runs took minutes; now they take seconds.
 */
class LargeFireReplayIntegrationTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestCluster.twoSlots();

    static final int N = 5;
    static final Duration W = Duration.ofMinutes(30);

    @TempDir
    Path dir;

    @Test
    void oneFireThroughThousandsOfSensorsRaisesExactlyItsAlert() {
        SimulatedRun run = SimulatedRun.run(dir.resolve("simulated"), "--scenario", "generated",
                "--start", "2024-11-21T00:00:00Z", "--networks", "1", "--sensors", "3000", "--fires", "1",
                "--spread-rate", "60", "--duration", "2h", "--interval", "2m", "--seed", "5");
        JsonNode fire = onlyFire(run.truth);
        assertThat(deliveredOnsets(fire)).as("sensors the fire reached").isGreaterThan(2000);
        assertThat(sameInstantHops(fire)).as("hops within one reporting round").isGreaterThan(500);

        Replay replay = Replay.run(dir.resolve("replay"), run.readings);

        SimulatedFiresReplayIntegrationTest.assertMatches(replay.alerts, ExpectedAlerts.of(run.truth, N, W));
        assertThat(replay.alerts).hasSize(1);
    }

    @Test
    void concurrentFiresInOneNetworkEachRaiseTheirAlert() {
        SimulatedRun run = SimulatedRun.run(dir.resolve("simulated"), "--scenario", "generated",
                "--start", "2024-11-21T00:00:00Z", "--networks", "1", "--sensors", "3000", "--fires", "4",
                "--spread-rate", "80", "--duration", "90m", "--interval", "2m", "--seed", "5",
                "--jitter", "0.05", "--duplicate", "0.01", "--late", "0.005");
        List<ExpectedAlerts.Expected> expected = ExpectedAlerts.of(run.truth, N, W);
        assertThat(expected).as("fires that must alert, all in one network").hasSizeGreaterThanOrEqualTo(3);
        int largest = 0;
        for (JsonNode fire : run.truth.get("fires")) {
            largest = Math.max(largest, deliveredOnsets(fire));
        }
        assertThat(largest).as("the largest of the concurrent fires").isGreaterThan(1500);

        Replay replay = Replay.run(dir.resolve("replay"), run.readings);

        SimulatedFiresReplayIntegrationTest.assertMatches(replay.alerts, expected);
        assertThat(replay.late).hasSize(run.summary.get("readingsLate").asInt());
    }

    static JsonNode onlyFire(JsonNode truth) {
        assertThat(truth.get("fires")).as("fires in the truth").hasSize(1);
        return truth.get("fires").get(0);
    }

    static int deliveredOnsets(JsonNode fire) {
        int count = 0;
        for (JsonNode n : fire.get("nodes")) {
            count += n.hasNonNull("deliveredOnsetTimestamp") ? 1 : 0;
        }
        return count;
    }

    /** Sensors whose delivered onset shares its instant with the delivered onset of their infector. */
    static int sameInstantHops(JsonNode fire) {
        Map<String, Long> onsets = new HashMap<>();
        for (JsonNode n : fire.get("nodes")) {
            if (n.hasNonNull("deliveredOnsetTimestamp")) {
                onsets.put(n.get("node").asText(), n.get("deliveredOnsetTimestamp").asLong());
            }
        }
        int count = 0;
        for (JsonNode n : fire.get("nodes")) {
            Long own = onsets.get(n.get("node").asText());
            Long infector = n.hasNonNull("infectedBy") ? onsets.get(n.get("infectedBy").asText()) : null;
            count += own != null && own.equals(infector) ? 1 : 0;
        }
        return count;
    }
}
