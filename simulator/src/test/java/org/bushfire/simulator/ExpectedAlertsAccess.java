package org.bushfire.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/** The oracle, for tests in other packages: contract defaults N = 5, W = 30m. */
public final class ExpectedAlertsAccess {
    private ExpectedAlertsAccess() {}

    public static List<String> alertIds(JsonNode truth) {
        return ExpectedAlerts.of(truth, 5, Duration.ofMinutes(30)).stream().map(ExpectedAlerts.Expected::alertId).toList();
    }

    /** Completion times of the fires that must alert, earliest first. */
    public static List<Long> completions(JsonNode truth) {
        return ExpectedAlerts.of(truth, 5, Duration.ofMinutes(30)).stream().map(ExpectedAlerts.Expected::completed)
                .sorted().toList();
    }

    /** The chains the alert of this fire may name, or empty when the fire must not alert. */
    public static List<List<String>> chainsOf(JsonNode truth, String alertId) {
        return ExpectedAlerts.of(truth, 5, Duration.ofMinutes(30)).stream().filter(e -> e.alertId().equals(alertId))
                .flatMap(e -> e.chains().stream()).toList();
    }
}
