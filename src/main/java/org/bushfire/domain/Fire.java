package org.bushfire.domain;

/**
 * A fire's identity: its network, its root, and the root's onset time (a node may burn again once its first
 * onset is forgotten, and that is another fire). The alert id is a name-based UUID of this key, so the key's
 * text must never change: FIFO deduplication and Elasticsearch upserts across an upgrade depend on it.
 * Ids cannot hold control characters, so U+001F separates the parts safely.
 */
public final class Fire {
    private Fire() {}

    public static String key(String network, String root, long rootOnsetTimestamp) {
        return network + '\u001f' + root + '\u001f' + rootOnsetTimestamp;
    }
}
