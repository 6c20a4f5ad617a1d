package org.bushfire.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The oracle itself, on small hand-made trees. */
class ExpectedAlertsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration W = Duration.ofMinutes(30);
    static final long MIN = 60_000;

    /** Nodes as {node, infectedBy (0 = none), delivered onset in minutes (-1 = none)}. */
    static JsonNode truth(int[]... nodes) {
        StringBuilder json = new StringBuilder("{\"fires\":[{\"network\":\"n\",\"nodes\":[");
        for (int i = 0; i < nodes.length; i++) {
            int[] n = nodes[i];
            json.append(i == 0 ? "" : ",").append("{\"node\":").append(n[0]).append(",\"infectedBy\":")
                    .append(n[1] == 0 ? "null" : Integer.toString(n[1])).append(",\"deliveredOnsetTimestamp\":")
                    .append(n[2] < 0 ? "null" : Long.toString(n[2] * MIN)).append('}');
        }
        try {
            return JSON.readTree(json.append("]}]}").toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theReferenceFireGivesOneAlertOneToFive() {
        List<ExpectedAlerts.Expected> alerts = ExpectedAlerts.of(truth(new int[] {1, 0, 1}, new int[] {2, 1, 2},
                new int[] {3, 2, 3}, new int[] {4, 3, 4}, new int[] {5, 4, 4}), 5, W);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).fireRoot()).isEqualTo("1");
        assertThat(alerts.get(0).completed()).isEqualTo(4 * MIN);
        assertThat(alerts.get(0).chains()).containsExactly(List.of("1", "2", "3", "4", "5"));
    }

    @Test
    void aHopSlowerThanWOrReversedBreaksTheChain() {
        assertThat(ExpectedAlerts.of(truth(new int[] {1, 0, 0}, new int[] {2, 1, 31}, new int[] {3, 2, 32},
                new int[] {4, 3, 33}, new int[] {5, 4, 34}), 5, W)).isEmpty();
        assertThat(ExpectedAlerts.of(truth(new int[] {1, 0, 0}, new int[] {2, 1, 30}, new int[] {3, 2, 31},
                new int[] {4, 3, 32}, new int[] {5, 4, 33}), 5, W)).as("exactly W is fine").hasSize(1);
        assertThat(ExpectedAlerts.of(truth(new int[] {1, 0, 5}, new int[] {2, 1, 4}, new int[] {3, 2, 6},
                new int[] {4, 3, 7}, new int[] {5, 4, 8}), 5, W)).isEmpty();
    }

    @Test
    void aSensorNoReadingOfWhichArrivedSplitsTheFire() {
        // 3's readings never arrived: 4 becomes a root of its own, and neither part has five sensors
        List<ExpectedAlerts.Expected> alerts = ExpectedAlerts.of(truth(new int[] {1, 0, 0}, new int[] {2, 1, 1},
                new int[] {3, 2, -1}, new int[] {4, 3, 3}, new int[] {5, 4, 4}, new int[] {6, 5, 5},
                new int[] {7, 6, 6}, new int[] {8, 7, 7}), 5, W);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).fireRoot()).isEqualTo("4");
        assertThat(alerts.get(0).chains()).containsExactly(List.of("4", "5", "6", "7", "8"));
    }

    @Test
    void anInfectorKnownOnlyLaterIsNotTheRoot() {
        // 1's onset arrived late (minute 9): 2's fire is rooted at 2 when its onset is released
        List<ExpectedAlerts.Expected> alerts = ExpectedAlerts.of(truth(new int[] {1, 0, 9}, new int[] {2, 1, 2},
                new int[] {3, 2, 3}, new int[] {4, 3, 4}, new int[] {5, 4, 5}, new int[] {6, 5, 6}), 5, W);
        assertThat(alerts).extracting(ExpectedAlerts.Expected::fireRoot).containsExactly("2");
    }

    @Test
    void branchesCompletingAtOneInstantAreAllAcceptable() {
        List<ExpectedAlerts.Expected> alerts = ExpectedAlerts.of(truth(new int[] {1, 0, 0}, new int[] {2, 1, 1},
                new int[] {3, 2, 2}, new int[] {4, 3, 3}, new int[] {5, 4, 4}, new int[] {6, 4, 4},
                new int[] {7, 6, 5}), 5, W);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).chains()).isEqualTo(Set.of(List.of("1", "2", "3", "4", "5"),
                List.of("1", "2", "3", "4", "6")));
    }
}
