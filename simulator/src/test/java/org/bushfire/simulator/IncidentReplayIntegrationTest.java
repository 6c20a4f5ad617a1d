package org.bushfire.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.bushfire.testing.CapXml;
import org.bushfire.testing.Replay;
import org.bushfire.testing.TestCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * A wind-driven fire from the simulator, through {@code bushfire replay --incidents-out --cap-out}: a
 * north-westerly (from 315°) at 30 km/h, the fire lit in the north-western corner of a 6 km mesh so that it
 * has room to run south-east, every sensor burning out after 30 minutes. Its incident must agree with the
 * simulator's truth and readings, worked out here without the job: the alert of {@link ExpectedAlerts}, an
 * update at each milestone the truth's onsets cross (merged when within a minute), the all-clear in the first
 * round at least an hour after the last onset in which every sensor of the fire last reported below T, and a
 * heading toward 135° while the front has room.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IncidentReplayIntegrationTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestCluster.twoSlots();

    static final int N = 5;
    static final long MINUTE = 60_000L;
    static final double THRESHOLD = 50.0;
    static final double DOWNWIND = 135.0;
    /** The recent-front fit against the mesh's random layout and one-minute rounds. */
    static final double HEADING_TOLERANCE = 25.0;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    SimulatedRun run;
    JsonNode fire;
    List<JsonNode> messages;
    Path cap;

    @BeforeAll
    void replayAWindDrivenFire(@TempDir Path tmp) throws Exception {
        run = SimulatedRun.run(tmp.resolve("simulated"), "--scenario", "generated", "--start", "2024-11-21T00:00:00Z",
                "--sensors", "2500", "--area-km", "6", "--ignite=-33.678,150.275@5m", "--wind-dir", "315",
                "--wind-speed", "30", "--burn-time", "30m", "--duration", "5h", "--seed", "11");
        fire = LargeFireReplayIntegrationTest.onlyFire(run.truth);
        Path incidents = tmp.resolve("replay").resolve("incidents.jsonl");
        cap = tmp.resolve("replay").resolve("cap");
        Replay.run(tmp.resolve("replay"), run.readings, "--incidents-out", incidents.toString(),
                "--cap-out", cap.toString(), "--cap-status", "Exercise");
        messages = Replay.read(incidents);
    }

    @Test
    void theIncidentStartsWithTheAlertTheContractDemandsAndCarriesOnWithoutAGap() {
        List<ExpectedAlerts.Expected> expected = ExpectedAlerts.of(run.truth, N, Duration.ofMinutes(30));
        assertThat(expected).hasSize(1);
        JsonNode alert = messages.get(0);
        assertThat(alert.get("stage").asText()).isEqualTo("ALERT");
        assertThat(alert.get("alertId").asText()).isEqualTo(expected.get(0).alertId());
        assertThat(alert.get("completedTimestamp").asLong()).isEqualTo(expected.get(0).completed());
        String previous = null;
        List<String> earlier = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            assertThat(m.get("sequence").asInt()).isEqualTo(i + 1);
            assertThat(m.get("messageId").asText()).isEqualTo(expected.get(0).alertId() + "." + (i + 1));
            assertThat(m.path("previousMessageId").isNull() ? null : m.path("previousMessageId").asText(null))
                    .isEqualTo(previous);
            List<String> references = new ArrayList<>();
            m.path("references").forEach(r -> references.add(r.get("messageId").asText()));
            assertThat(references).isEqualTo(earlier);
            previous = m.get("messageId").asText();
            earlier.add(previous);
        }
    }

    @Test
    void anUpdateAtEachMilestoneTheTruthsOnsetsCrossMergedWithinAMinute() {
        List<Long> onsets = new ArrayList<>();
        fire.get("nodes").forEach(n -> {
            if (n.hasNonNull("deliveredOnsetTimestamp")) {
                onsets.add(n.get("deliveredOnsetTimestamp").asLong());
            }
        });
        onsets.sort(null);
        long alertAt = messages.get(0).get("sentTimestamp").asLong();
        long burningAtAlert = onsets.stream().filter(t -> t <= alertAt).count();
        assertThat(messages.get(0).get("burningSensors").asLong()).isEqualTo(burningAtAlert);

        // milestone m is crossed by the m-th onset; those after the alert are announced, merged within a minute
        List<long[]> expected = new ArrayList<>(); // {milestone, sent}
        for (long m = 2L * N; m <= onsets.size(); m *= 2) {
            if (m <= burningAtAlert) {
                continue;
            }
            long crossed = onsets.get((int) m - 1);
            if (!expected.isEmpty() && crossed <= expected.get(expected.size() - 1)[1]) {
                expected.get(expected.size() - 1)[0] = m;
                expected.get(expected.size() - 1)[1] = crossed + MINUTE;
            } else {
                expected.add(new long[] {m, crossed + MINUTE});
            }
        }
        List<String> announced = new ArrayList<>();
        for (JsonNode m : messages) {
            if (m.get("reason").asText().equals("MILESTONE")) {
                announced.add(m.get("milestone").asLong() + "@" + m.get("sentTimestamp").asLong());
            }
        }
        assertThat(expected).hasSizeGreaterThanOrEqualTo(4);
        assertThat(announced).containsExactlyElementsOf(expected.stream().map(e -> e[0] + "@" + e[1]).toList());
        for (JsonNode m : messages) {
            long burning = onsets.stream().filter(t -> t <= m.get("sentTimestamp").asLong()).count();
            assertThat(m.get("burningSensors").asLong()).as("burning at %s", m.get("sentTime")).isEqualTo(burning);
        }
    }

    @Test
    void allClearOnceTheFireBurntOutAndNothingAfterIt() throws Exception {
        Set<String> burnt = new HashSet<>();
        long lastOnset = 0;
        for (JsonNode n : fire.get("nodes")) {
            if (n.hasNonNull("deliveredOnsetTimestamp")) {
                burnt.add(n.get("node").asText());
                lastOnset = Math.max(lastOnset, n.get("deliveredOnsetTimestamp").asLong());
            }
        }
        // each burnt sensor's readings by time, from the readings file itself
        Map<String, java.util.TreeMap<Long, Double>> readings = new HashMap<>();
        TreeSet<Long> rounds = new TreeSet<>();
        for (String line : Files.readAllLines(run.readings, StandardCharsets.UTF_8)) {
            JsonNode r = JSON.readTree(line);
            long t = r.get("eventTimestamp").asLong();
            rounds.add(t);
            if (burnt.contains(r.get("node").asText())) {
                readings.computeIfAbsent(r.get("node").asText(), k -> new java.util.TreeMap<>())
                        .put(t, r.get("temperature").asDouble());
            }
        }
        Long expectedClear = null;
        for (long t : rounds.tailSet(lastOnset + 60 * MINUTE, true)) {
            boolean allCold = true;
            for (java.util.TreeMap<Long, Double> sensor : readings.values()) {
                allCold &= sensor.floorEntry(t).getValue() < THRESHOLD;
            }
            if (allCold) {
                expectedClear = t;
                break;
            }
        }
        assertThat(expectedClear).as("the simulated fire burns out within the run").isNotNull();
        JsonNode last = messages.get(messages.size() - 1);
        assertThat(last.get("stage").asText()).isEqualTo("ALL_CLEAR");
        assertThat(last.get("reason").asText()).isEqualTo("BURNT_OUT");
        assertThat(last.get("sentTimestamp").asLong()).isEqualTo(expectedClear);
        assertThat(messages).filteredOn(m -> m.get("stage").asText().equals("ALL_CLEAR")).hasSize(1);
    }

    @Test
    void whileTheFrontHasRoomItHeadsDownwind() {
        int checked = 0;
        int sensors = fire.get("sensors").asInt();
        for (JsonNode m : messages) {
            int burning = m.get("burningSensors").asInt();
            if (burning >= 100 && burning <= sensors / 2) {
                double heading = m.get("headingDegrees").asDouble();
                double off = Math.abs(((heading - DOWNWIND) % 360 + 540) % 360 - 180);
                assertThat(off).as("heading %s at %s sensors", heading, burning).isLessThan(HEADING_TOLERANCE);
                assertThat(m.get("rateOfSpreadMetresPerMinute").asDouble()).isPositive();
                assertThat(m.get("areaKm2").asDouble()).isPositive();
                checked++;
            }
        }
        assertThat(checked).as("updates while the front had room").isGreaterThanOrEqualTo(3);
    }

    @Test
    void eachMessageHasItsCapDocument() throws Exception {
        assertThat(Files.list(cap).count()).isEqualTo(messages.size());
        for (JsonNode m : messages) {
            Path file = cap.resolve(m.get("messageId").asText() + ".xml");
            Element alert = CapXml.parse(Files.readString(file, StandardCharsets.UTF_8));
            assertThat(text(alert, "identifier")).isEqualTo(m.get("messageId").asText());
            assertThat(text(alert, "status")).isEqualTo("Exercise");
            assertThat(text(alert, "msgType")).isEqualTo(m.get("stage").asText().equals("ALERT") ? "Alert" : "Update");
        }
    }

    @Test
    void anotherReplayAtAnotherParallelismGivesTheSameMessages() throws Exception {
        Path incidents = dir.resolve("again").resolve("incidents.jsonl");
        Replay.run(dir.resolve("again"), run.readings, "--incidents-out", incidents.toString(), "--parallelism", "1");
        assertThat(Replay.read(incidents)).isEqualTo(messages);
    }

    private static String text(Element e, String name) {
        return e.getElementsByTagNameNS("urn:oasis:names:tc:emergency:cap:1.2", name).item(0).getTextContent();
    }
}
