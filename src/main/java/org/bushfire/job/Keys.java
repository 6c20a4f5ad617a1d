package org.bushfire.job;

import org.apache.flink.api.java.functions.KeySelector;
import org.bushfire.domain.InfectionChain;
import org.bushfire.domain.Onset;
import org.bushfire.domain.Reading;

/** How the job partitions its streams. Ids cannot hold control characters, so U+001F separates safely. */
final class Keys {
    private Keys() {}

    static final class ByNode implements KeySelector<Reading, String> {
        @Override
        public String getKey(Reading r) {
            return r.network + '\u001f' + r.node;
        }
    }

    static final class ByNetwork implements KeySelector<Onset, String> {
        @Override
        public String getKey(Onset o) {
            return o.network();
        }
    }

    static final class ByFire implements KeySelector<InfectionChain, String> {
        @Override
        public String getKey(InfectionChain c) {
            return c.fireKey();
        }
    }
}
