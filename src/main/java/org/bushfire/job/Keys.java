package org.bushfire.job;

import org.apache.flink.api.java.functions.KeySelector;
import org.bushfire.domain.InfectionChain;
import org.bushfire.domain.LineageOnset;
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

    /**
     * The chain pattern's key: the chain start, folded into a fixed number of buckets, so that the pattern's
     * keys are bounded whatever the number of sensors that ever burnt, while a bucket still holds only a few
     * lineages at a time. (The fold was made against a CEP that kept a key's initial NFA state forever; the
     * CepOperator of Flink 1.20.5 clears a key's state once it is back at its start with nothing pending, and
     * StateSizeTest shows a burnt fire's state released after the retention. The buckets stay: they cost
     * nothing, and changing the key would change the savepoint layout.) String hash codes are fixed by the Java
     * specification, so a chain start lands in the same bucket after a restart or an upgrade.
     */
    static final class ByChainStart implements KeySelector<LineageOnset, Integer> {
        static final int CHAIN_START_BUCKETS = 1 << 16;

        @Override
        public Integer getKey(LineageOnset o) {
            return Math.floorMod((o.network() + '\u001f' + o.chainStart).hashCode(), CHAIN_START_BUCKETS);
        }
    }

    static final class ByFire implements KeySelector<InfectionChain, String> {
        @Override
        public String getKey(InfectionChain c) {
            return c.fireKey();
        }
    }

    static final class ByEventNetwork implements KeySelector<org.bushfire.domain.FireEvent, String> {
        @Override
        public String getKey(org.bushfire.domain.FireEvent e) {
            return e.network();
        }
    }
}
