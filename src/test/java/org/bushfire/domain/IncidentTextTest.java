package org.bushfire.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.bushfire.testing.IncidentFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a duty officer reads: subjects, the e-mail body, headings as compass points. */
class IncidentTextTest {
    @ParameterizedTest
    @CsvSource({"0,N", "11.2,N", "11.3,NNE", "45,NE", "90,E", "135,SE", "180,S", "202.5,SSW", "270,W", "348.7,NNW", "348.8,N",
            "337.5,NNW", "359.9,N", "360,N", "-45,NW", "405,NE"})
    void headingsAreNamedBySixteenCompassPoints(double degrees, String point) {
        assertThat(IncidentText.compassPoint(degrees)).isEqualTo(point);
    }

    @Test
    void subjectsNameTheStageTheNetworkAndTheStateOfTheFire() {
        assertThat(IncidentText.subject(IncidentFixtures.alert("ridge-7", true)))
                .isEqualTo("Bushfire alert: ridge-7 - fire spread through 5 sensors");
        assertThat(IncidentText.subject(IncidentFixtures.update("ridge-7")))
                .isEqualTo("Bushfire update 2: ridge-7 - 10 sensors burning, 20.6 km2, heading NE");
        assertThat(IncidentText.subject(IncidentFixtures.allClear("ridge-7")))
                .isEqualTo("Bushfire all clear: ridge-7 - fire out after 10 sensors");
    }

    @Test
    void aSubjectStaysUnder100AsciiCharactersWhateverTheNetwork() {
        String subject = IncidentText.subject(IncidentFixtures.update("Réseau-" + "n".repeat(120) + "\n"));

        assertThat(subject).hasSizeLessThanOrEqualTo(IncidentText.MAX_SUBJECT_LENGTH).matches("[\\x20-\\x7E]+")
                .startsWith("Bushfire update 2: R?seau-nnn").endsWith("... - 10 sensors burning, 20.6 km2, heading NE");
    }

    @Test
    void anUpdateBodyGivesTheStateOfTheFireTheMapAndWhatChanged() {
        String body = IncidentText.body(IncidentFixtures.update("ridge-7"));

        assertThat(body)
                .startsWith("BUSHFIRE UPDATE 2 in sensor network ridge-7\n")
                .contains("Why now: the burning count reached the milestone of 10 sensors.")
                .contains("Sensors burning: 10 (10 with a position)")
                .contains("Burnt area: 20.6 km² (convex hull of the located burning sensors)")
                .contains("Spread: heading NE (45°) at 30.0 m/min")
                .contains("Map: https://www.openstreetmap.org/?mlat=-33.71500&mlon=150.32000#map=14/-33.71500/150.32000"
                        + " (centre of the burning sensors)")
                .contains("First chain: 1 → 2 → 3 → 4 → 5")
                .contains("Since the previous message (2024-11-21T00:04:00Z): new onsets, newest first:\n"
                        + "- sensor 10: onset 2024-11-21T00:20:00.500Z, 55.0 °C, infected by 9, position -33.69000, 150.33000\n"
                        + "- sensor 9: onset 2024-11-21T00:12:00Z, 55.0 °C, infected by 8, position -33.70000, 150.32000\n\n")
                .contains("previous " + IncidentFixtures.alert("ridge-7", true).messageId);
        assertThat(body).as("sensor 5 is older than the previous message").doesNotContain("- sensor 5:");
    }

    @Test
    void theAlertBodyListsTheChainAndTheAllClearSaysTheFireIsOut() {
        String alert = IncidentText.body(IncidentFixtures.alert("default", false));
        String allClear = IncidentText.body(IncidentFixtures.allClear("ridge-7"));

        assertThat(alert).startsWith("BUSHFIRE ALERT in sensor network default\n")
                .contains("Burnt area: not known (fewer than 3 located sensors)")
                .contains("Spread: not estimated")
                .contains("Map: no sensor of this fire reported a position.")
                .contains("1. sensor 1: onset 2024-11-21T00:00:00Z, 60.0 °C, no infector reported (ignition), "
                        + "position unknown")
                .contains("5. sensor 5: onset 2024-11-21T00:04:00Z, 64.5 °C, infected by 4, position unknown");
        assertThat(allClear).startsWith("BUSHFIRE ALL CLEAR in sensor network ridge-7\n")
                .contains("Sensors that burnt: 10")
                .contains("the fire is out")
                .contains("Since the previous message (2024-11-21T00:20:00.500Z): no new onset since "
                        + "2024-11-21T00:20:00.500Z, and every burning sensor has reported below the threshold since.");
    }

    @Test
    void untrustedIdsCannotForgeLines() {
        String body = IncidentText.body(IncidentFixtures.update("ridge\n7\u2028ALL CLEAR"));

        assertThat(body.lines()).noneMatch(l -> l.startsWith("ALL CLEAR") || l.startsWith("7"));
        assertThat(body).contains("sensor network ridge7ALL CLEAR");
    }
}
