package org.bushfire.domain;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One alert per fire: the first chain of N nodes it spread through. Everything in it derives from event time
 * and the readings, so the same fire gives the same alert, with the same {@link #alertId}, after a restart
 * or a replay.
 */
public class Alert {
    public String alertId;
    public String network;
    public String fireRoot;
    public boolean fireRootNumeric;
    public long fireRootOnsetTimestamp;
    /** Event time at which the chain completed: the onset of its last node. */
    public long completedTimestamp;
    /** The chain's onsets, in infection order. */
    public Onset[] chain = new Onset[0];

    public Alert() {}

    public static Alert of(InfectionChain chain) {
        Onset last = chain.last();
        Alert a = new Alert();
        a.network = chain.network();
        a.fireRoot = last.fireRoot;
        a.fireRootNumeric = last.fireRootNumeric;
        a.fireRootOnsetTimestamp = last.fireRootOnsetTimestamp;
        a.completedTimestamp = last.timestamp();
        a.chain = chain.onsets.clone();
        a.alertId = idOf(a.network, a.fireRoot, a.fireRootOnsetTimestamp);
        return a;
    }

    /** Deterministic: a name-based UUID of the fire's identity. */
    public static String idOf(String network, String fireRoot, long fireRootOnsetTimestamp) {
        String fire = Fire.key(network, fireRoot, fireRootOnsetTimestamp);
        return UUID.nameUUIDFromBytes(fire.getBytes(StandardCharsets.UTF_8)).toString();
    }

    public List<String> chainNodes() {
        List<String> nodes = new ArrayList<>(chain.length);
        for (Onset o : chain) {
            nodes.add(o.node());
        }
        return nodes;
    }

    @Override
    public String toString() {
        return "Alert[" + alertId + " " + network + " root " + fireRoot + ": " + String.join(" → ", chainNodes()) + "]";
    }
}
