package org.bushfire.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AlertTest {
    static final long T = 1_732_147_260_000L;

    static Onset onset(String network, String node, long ts, String infectedBy, String root, boolean rootNumeric,
            long rootOnset) {
        Reading r = new Reading(network, node, ts, 55.0, infectedBy);
        r.nodeNumeric = true;
        r.infectedByNumeric = infectedBy != null;
        return new Onset(r).withFireRoot(new SensorId(root, rootNumeric), rootOnset);
    }

    @Test
    void alertIdIsDeterministic() {
        String id = Alert.idOf("ridge-7", "1", T);

        assertThat(Alert.idOf("ridge-7", "1", T)).isEqualTo(id);
        assertThat(Alert.idOf(new String("ridge-7"), new String("1"), T)).isEqualTo(id);
    }

    /**
     * Pinned to a literal: FIFO deduplication and the alerts index's upserts match alerts across restarts and
     * upgrades by this id, so a change of its formula must fail here, not silently double every alert. The
     * value was checked independently: {@code printf 'default\x1f1\x1f1732147260000' | md5sum} with the UUID
     * version (3) and variant bits set.
     */
    @Test
    void theReferenceFiresAlertIdIsFixedForever() {
        assertThat(Alert.idOf("default", "1", T)).isEqualTo("610fcc6d-d4bc-3129-bb8f-cafd68b0e9b7");
    }

    @Test
    void alertIdIsANameBasedUuid() {
        UUID id = UUID.fromString(Alert.idOf("ridge-7", "1", T));

        assertThat(id.version()).isEqualTo(3);
        assertThat(id.toString()).isEqualTo(Alert.idOf("ridge-7", "1", T));
    }

    @Test
    void alertIdDiffersWhenTheNetworkDiffers() {
        assertThat(Alert.idOf("ridge-8", "1", T)).isNotEqualTo(Alert.idOf("ridge-7", "1", T));
    }

    @Test
    void alertIdDiffersWhenTheRootDiffers() {
        assertThat(Alert.idOf("ridge-7", "2", T)).isNotEqualTo(Alert.idOf("ridge-7", "1", T));
    }

    @Test
    void alertIdDiffersWhenTheRootOnsetDiffers() {
        // the same root burning again after its state expired is another fire
        assertThat(Alert.idOf("ridge-7", "1", T + 1)).isNotEqualTo(Alert.idOf("ridge-7", "1", T));
    }

    @Test
    void alertIdKeepsTheFieldsApart() {
        assertThat(Alert.idOf("ab", "c", T)).isNotEqualTo(Alert.idOf("a", "bc", T));
        assertThat(Alert.idOf("n", "11", 1L)).isNotEqualTo(Alert.idOf("n", "1", 11L));
    }

    @Test
    void alertOfAChainTakesTheFireFromItsLastOnset() {
        // the first onset was stamped before its tree was joined to fire 1; the last onset knows the fire
        Onset first = onset("ridge-7", "3", T, "2", "3", true, T);
        Onset second = onset("ridge-7", "4", T + 60_000, "3", "1", true, T - 120_000);
        Onset last = onset("ridge-7", "5", T + 120_000, "4", "1", true, T - 120_000);

        Alert a = Alert.of(new InfectionChain(List.of(first, second, last)));

        assertThat(a.fireRoot).isEqualTo("1");
        assertThat(a.fireRootNumeric).isTrue();
        assertThat(a.fireRootOnsetTimestamp).isEqualTo(T - 120_000);
        assertThat(a.network).isEqualTo("ridge-7");
        assertThat(a.completedTimestamp).isEqualTo(T + 120_000);
        assertThat(a.alertId).isEqualTo(Alert.idOf("ridge-7", "1", T - 120_000));
        assertThat(a.chainNodes()).containsExactly("3", "4", "5");
        assertThat(a.chain).containsExactly(first, second, last);
    }

    @Test
    void alertKeepsANonNumericRoot() {
        Onset o1 = onset("n", "7", T, null, "gully-a", false, T - 1);
        Onset o2 = onset("n", "8", T + 1, "7", "gully-a", false, T - 1);

        Alert a = Alert.of(new InfectionChain(List.of(o1, o2)));

        assertThat(a.fireRoot).isEqualTo("gully-a");
        assertThat(a.fireRootNumeric).isFalse();
    }

    @Test
    void twoChainsOfOneFireGetTheSameAlertId() {
        Onset a1 = onset("n", "1", T, null, "1", true, T);
        Onset a2 = onset("n", "2", T + 1, "1", "1", true, T);
        Onset b2 = onset("n", "9", T + 5, "1", "1", true, T);

        Alert viaTwo = Alert.of(new InfectionChain(List.of(a1, a2)));
        Alert viaNine = Alert.of(new InfectionChain(List.of(a1, b2)));

        assertThat(viaNine.alertId).isEqualTo(viaTwo.alertId);
        assertThat(viaNine.completedTimestamp).isNotEqualTo(viaTwo.completedTimestamp);
    }

    @Test
    void sameFireInAnotherNetworkIsAnotherAlert() {
        Alert here = Alert.of(new InfectionChain(List.of(onset("a", "1", T, null, "1", true, T),
                onset("a", "2", T, "1", "1", true, T))));
        Alert there = Alert.of(new InfectionChain(List.of(onset("b", "1", T, null, "1", true, T),
                onset("b", "2", T, "1", "1", true, T))));

        assertThat(there.alertId).isNotEqualTo(here.alertId);
    }

    @Test
    void alertIdMatchesTheChainsFireKeyIdentity() {
        InfectionChain chain = new InfectionChain(List.of(onset("n", "1", T, null, "1", true, T),
                onset("n", "2", T + 1, "1", "1", true, T)));

        Alert a = Alert.of(chain);

        assertThat(chain.fireKey()).isEqualTo("n\u001f1\u001f" + T);
        assertThat(a.alertId).isEqualTo(Alert.idOf("n", "1", T));
    }

    @Test
    void alertOwnsItsChain() {
        List<Onset> onsets = new ArrayList<>(List.of(onset("n", "1", T, null, "1", true, T),
                onset("n", "2", T + 1, "1", "1", true, T)));
        InfectionChain chain = new InfectionChain(onsets);

        Alert a = Alert.of(chain);
        chain.onsets[0] = onset("n", "99", T, null, "99", true, T);

        assertThat(a.chainNodes()).containsExactly("1", "2");
    }
}
