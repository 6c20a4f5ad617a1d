package org.bushfire.simulator;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Kinesis partition keys: one per sensor, so a sensor's readings land on one shard, in order. */
public final class PartitionKeys {
    /** Kinesis allows at most 256 characters. */
    static final int MAX_LENGTH = 256;

    private PartitionKeys() {}

    public static String of(String network, String node) {
        String key = network + "/" + node;
        return key.length() <= MAX_LENGTH ? key : UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
