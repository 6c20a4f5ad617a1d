package org.bushfire.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bushfire.job.AlertingConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the job keeps in state, on RocksDB as in production, measured from Flink's checkpoint statistics of the
 * production graph (a canonical savepoint: the live entries): a cold sensor keeps nothing, and a burnt fire's state
 * is held for the state retention, then released. How much a sensor costs is the bench's to print
 * ({@code bin/bushfire bench --state-size}), not asserted here.
 *
 * <p>The bound: a keyed operator's snapshot has a fixed part for a given graph and parallelism (each state's name
 * and serializer, an offset per key group) and a part per key. A burning sensor costs the onset operator at least
 * its key and onset time and the fire tree order its known onset, more than 60 bytes between them (the bench
 * reports about 110 B). {@value #BOUND} bytes are therefore less than ten burning sensors' state, and 4,950 more
 * idle sensors within it cost less than 0.2 B each.
 */
class StateSizeTest {
    static final long BOUND = 1000;
    private static final int PARALLELISM = 2;
    private static final AlertingConfig CONFIG = AlertingConfig.defaults();
    private static final long RETENTION = CONFIG.stateRetention().toMillis();
    private static final long MINUTE = Duration.ofMinutes(1).toMillis();
    /** The workloads end this long ago, so the reading that carries the watermark past the retention is not ahead. */
    private static final long END = System.currentTimeMillis() - RETENTION - Duration.ofHours(6).toMillis();

    private static StateSize state;

    @BeforeAll
    static void cluster() throws Exception {
        state = new StateSize(CONFIG, PARALLELISM, Duration.ofMinutes(5));
    }

    @AfterAll
    static void stop() throws Exception {
        state.close();
    }

    @Test
    void idleSensorsAddNoState() throws Exception {
        BenchWorkload few = BenchWorkload.generate(Workloads.idle(50, 10, CONFIG.threshold()), 42, PARALLELISM,
                CONFIG.chainLength(), END);
        BenchWorkload many = BenchWorkload.generate(Workloads.idle(5000, 10, CONFIG.threshold()), 42, PARALLELISM,
                CONFIG.chainLength(), END);
        assertThat(many.readings.length).isEqualTo(50_000);

        StateSize.Snapshot fewState = state.measure(few, few.lastRoundMillis()).get(0);
        StateSize.Snapshot manyState = state.measure(many, many.lastRoundMillis()).get(0);

        assertThat(manyState.late()).isZero();
        assertThat(manyState.live().total()).as("5,000 idle sensors against 50: %s against %s", manyState.live(),
                fewState.live()).isBetween(fewState.live().total() - BOUND, fewState.live().total() + BOUND);
    }

    @Test
    void aBurntFiresStateIsHeldForTheStateRetentionThenReleased() throws Exception {
        BenchWorkload fire = BenchWorkload.generate(Workloads.fire(300, 300, CONFIG.threshold()), 42, PARALLELISM,
                CONFIG.chainLength(), END);
        long last = fire.lastRoundMillis();
        // The fire is lit at the workload's start: its first onset expires a retention after it, its last one a
        // retention after the last round.
        long[] watermarks = {last, fire.startMillis + RETENTION - MINUTE, last + RETENTION + MINUTE};
        assertThat(watermarks[1]).as("the retention outlasts the fire and its chains").isGreaterThan(
                last + CONFIG.chainSpan().toMillis());

        List<StateSize.Snapshot> burnt = state.measure(fire, watermarks);
        List<StateSize.Snapshot> cold = state.measure(fire.coldTwin(), watermarks);

        assertThat(burnt.get(0).alerts()).as("the fire alerted").isEqualTo(1);
        assertThat(burnt.get(2).late()).isZero();
        assertThat(burnt.get(0).live().total()).as("the fire's state, as the watermark passes its last reading")
                .isGreaterThan(cold.get(0).live().total() + fire.burning * 60L);
        for (String operator : List.of("onsets", "fire tree order")) {
            assertThat(vertex(burnt.get(1).live(), operator)).as("%s still remembers the fire within the retention",
                    operator).isGreaterThan(vertex(cold.get(1).live(), operator) + BOUND);
        }
        assertThat(burnt.get(2).live().total()).as("after the retention: %s, cold twin %s", burnt.get(2).live(),
                cold.get(2).live()).isLessThanOrEqualTo(cold.get(2).live().total() + BOUND);
    }

    private static long vertex(StateSize.Sizes sizes, String operator) {
        return sizes.byVertex().entrySet().stream().filter(e -> StateSize.operator(e.getKey()).equals(operator))
                .mapToLong(Map.Entry::getValue).sum();
    }
}
