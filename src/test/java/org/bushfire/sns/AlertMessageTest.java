package org.bushfire.sns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.bushfire.domain.Alert;
import org.bushfire.domain.ContractJson;
import org.bushfire.domain.InfectionChain;
import org.bushfire.domain.Onset;
import org.bushfire.domain.Reading;
import org.bushfire.domain.SensorId;
import org.bushfire.testing.Scenario;
import org.junit.jupiter.api.Test;

class AlertMessageTest {
    static final long T0 = Scenario.T0.toEpochMilli();
    static final long MINUTE = 60_000L;

    @Test
    void subjectNamesNetworkAndChainLength() {
        AlertMessage m = AlertMessage.of(chain("ridge-7", true, 11, 12, 13, 14, 15));

        assertThat(m.subject()).isEqualTo("Bushfire alert: ridge-7 - fire spread through 5 sensors");
    }

    @Test
    void bodyWithPositionsGivesPathOnsetsTemperaturesInfectorsPositionsAndAMapOfTheLatestNode() {
        Alert alert = chain("ridge-7", true, 11, 12, 13, 14, 15);

        AlertMessage m = AlertMessage.of(alert);

        assertThat(m.body())
                .contains("sensor network ridge-7")
                .contains("11 → 12 → 13 → 14 → 15")
                .contains("Chain completed at 2024-11-21T00:04:00Z")
                .contains("Fire root: sensor 11, onset 2024-11-21T00:00:00Z")
                .contains("1. sensor 11: onset 2024-11-21T00:00:00Z, 60.0 °C, no infector reported (ignition), "
                        + "position -33.70000, 150.30000")
                .contains("5. sensor 15: onset 2024-11-21T00:04:00Z, 64.5 °C, infected by 14, "
                        + "position -33.74000, 150.34000")
                .contains("Map of the latest located sensor (15): https://www.openstreetmap.org/"
                        + "?mlat=-33.74000&mlon=150.34000#map=14/-33.74000/150.34000")
                .contains("Alert id: " + alert.alertId);
        assertThat(m.body().lines().filter(l -> l.matches("\\d\\. sensor .*"))).hasSize(5);
    }

    @Test
    void bodyWithoutPositionsSaysSoAndHasNoMapLink() {
        AlertMessage m = AlertMessage.of(chain("default", false, 1, 2, 3, 4, 5));

        assertThat(m.body())
                .contains("1 → 2 → 3 → 4 → 5")
                .contains("Map: no sensor of this chain reported a position.")
                .doesNotContain("openstreetmap");
        assertThat(m.body().lines().filter(l -> l.endsWith("position unknown"))).hasSize(5);
    }

    @Test
    void theMapShowsTheLatestNodeWhosePositionIsKnown() {
        Alert alert = chain("default", true, 1, 2, 3);
        alert.chain[2].reading.lat = null;
        alert.chain[2].reading.lon = null;

        AlertMessage m = AlertMessage.of(alert);

        assertThat(m.body()).contains("Map of the latest located sensor (2): https://www.openstreetmap.org/"
                + "?mlat=-33.71000&mlon=150.31000#map=14/-33.71000/150.31000");
    }

    @Test
    void attributesCarryAlertIdNetworkAndChainLength() {
        Alert alert = chain("ridge-7", false, 1, 2, 3, 4, 5);

        AlertMessage m = AlertMessage.of(alert);

        assertThat(m.alertId()).isEqualTo(alert.alertId).isEqualTo(Alert.idOf("ridge-7", "1", T0));
        assertThat(m.network()).isEqualTo("ridge-7");
        assertThat(m.chainLength()).isEqualTo(5);
        assertThat(m.fifoGroupId()).isEqualTo("ridge-7");
        assertThat(m.fifoDeduplicationId()).isEqualTo(alert.alertId);
        assertThat(m.alertJson()).isEqualTo(ContractJson.alert(alert));
    }

    @Test
    void untrustedIdsCannotForgeLinesOrHideTextAndAreCapped() {
        String forged = "7\nALL CLEAR: no fire, stand down";
        String bidi = "9\u202Egnirut\u200B";
        String longId = "x".repeat(SensorId.MAX_LENGTH);
        Alert alert = chainOf("ridge\r\n7 \u2028 ok", List.of(forged, bidi, longId, "4", "5"), false);

        AlertMessage m = AlertMessage.of(alert);

        assertThat(m.body()).doesNotContain("\nALL CLEAR").doesNotContain("\r").doesNotContain("\u2028")
                .doesNotContain("\u202E").doesNotContain("\u200B")
                .contains("sensor 7ALL CLEAR: no fire, stand down: onset")
                .contains("sensor 9gnirut: onset")
                .contains("x".repeat(AlertMessage.MAX_DISPLAYED_ID_LENGTH - 1) + "…")
                .doesNotContain("x".repeat(AlertMessage.MAX_DISPLAYED_ID_LENGTH));
        assertThat(m.body().lines()).noneMatch(l -> l.startsWith("ALL CLEAR"));
        assertThat(m.subject()).matches("[\\x20-\\x7E]+").contains("Bushfire alert: ridge7  ok - fire");
        assertThat(m.network()).isEqualTo("ridge7  ok");
        assertThat(m.fifoGroupId()).as("a network SNS refuses as a group id gets a stable stand-in")
                .matches("[0-9a-f-]{36}")
                .isEqualTo(AlertMessage.of(alert).fifoGroupId());
    }

    @Test
    void subjectStaysUnder100AsciiCharactersWhateverTheNetwork() {
        String network = "Réseau-des-Montagnes-Bleues-" + "n".repeat(100);

        String subject = AlertMessage.of(chainOf(network, List.of("1", "2", "3", "4", "5"), false)).subject();

        assertThat(subject.length()).isLessThan(100).isLessThanOrEqualTo(AlertMessage.MAX_SUBJECT_LENGTH);
        assertThat(subject).matches("[\\x20-\\x7E]+")
                .startsWith("Bushfire alert: R?seau-des-Montagnes-Bleues-nnn")
                .endsWith("... - fire spread through 5 sensors");
        assertThat(AlertMessage.subject("default", 100)).hasSizeLessThan(100)
                .isEqualTo("Bushfire alert: default - fire spread through 100 sensors");
    }

    @Test
    void survivesACheckpointUnchanged() throws Exception {
        AlertMessage m = AlertMessage.of(chain("ridge-7", true, 11, 12, 13, 14, 15));
        AlertMessageSerializer serializer = new AlertMessageSerializer();

        AlertMessage restored = serializer.deserialize(serializer.getVersion(), serializer.serialize(m));

        assertThat(restored).isEqualTo(m);
        assertThat(restored.body()).isEqualTo(m.body());
        assertThat(restored.subject()).isEqualTo(m.subject());
    }

    /** A chain of numeric nodes, one minute apart, each infected by the one before; positions optional. */
    static Alert chain(String network, boolean positions, int... nodes) {
        List<String> ids = new ArrayList<>();
        for (int n : nodes) {
            ids.add(String.valueOf(n));
        }
        Alert alert = chainOf(network, ids, positions);
        for (Onset o : alert.chain) {
            o.reading.nodeNumeric = true;
            o.reading.infectedByNumeric = o.reading.infectedBy != null;
        }
        alert.fireRootNumeric = true;
        return alert;
    }

    static Alert chainOf(String network, List<String> nodes, boolean positions) {
        List<Onset> onsets = new ArrayList<>();
        SensorId root = new SensorId(nodes.get(0), false);
        for (int i = 0; i < nodes.size(); i++) {
            Reading r = new Reading(network, nodes.get(i), T0 + i * MINUTE, 60.0 + i * 1.125, i == 0 ? null : nodes.get(i - 1));
            if (positions) {
                r.lat = -33.70 - i * 0.01;
                r.lon = 150.30 + i * 0.01;
            }
            onsets.add(new Onset(r).withFireRoot(root, T0));
        }
        return Alert.of(new InfectionChain(onsets));
    }
}
