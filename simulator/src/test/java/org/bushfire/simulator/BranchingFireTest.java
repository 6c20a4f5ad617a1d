package org.bushfire.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The branching fire: the benchmark's fires of exactly K sensors, with same-instant hops. */
class BranchingFireTest {
    private static final long BURN = 30 * 60_000L;
    private static final long INTERVAL = 60_000L;

    private static Mesh mesh(int sensors, long seed) {
        return Mesh.generate(new Mesh.Layout(sensors, 1, -33.7, 150.3, Double.NaN, 250, "ridge"),
                SeededRandom.of(seed, "mesh"));
    }

    private static FireSpread fire(Mesh mesh, int k, long seed) {
        return FireSpread.branching(mesh, List.of(new FireSpread.Start(0, 0)), FireSpread.Branching.of(k), BURN,
                Long.MAX_VALUE, SeededRandom.of(seed, "spread"));
    }

    @Test
    void aFireBurnsExactlyItsSizeAlongMeshLinksWithDelaysInRange() {
        for (int k : new int[] {300, 1000}) {
            Mesh mesh = mesh(k + 300, 11);
            FireSpread spread = fire(mesh, k, 11);
            assertThat(spread.order()).as("burning sensors of a fire of %d", k).hasSize(k);
            assertThat(spread.fires()).isEqualTo(1);
            int roots = 0;
            long previous = Long.MIN_VALUE;
            for (int s : spread.order()) {
                long t = spread.infectionTime(s);
                assertThat(t).as("in the order the fire reached them").isGreaterThanOrEqualTo(previous);
                previous = t;
                int by = spread.infectedBy(s);
                if (by < 0) {
                    roots++;
                    continue;
                }
                assertThat(mesh.sensor(by).neighbours()).contains(s);
                assertThat(t - spread.infectionTime(by)).isBetween(10_000L, 240_000L);
            }
            assertThat(roots).isEqualTo(1);
        }
    }

    @Test
    void eachSensorSpreadsToOneToFourNeighboursAndTheFireBranches() {
        Mesh mesh = mesh(1300, 5);
        FireSpread spread = fire(mesh, 1000, 5);
        int[] children = new int[mesh.size()];
        for (int s : spread.order()) {
            if (spread.infectedBy(s) >= 0) {
                children[spread.infectedBy(s)]++;
            }
        }
        int branching = 0;
        for (int s : spread.order()) {
            // A flare-up adds one spread to a sensor that already spread: at most one more than four.
            assertThat(children[s]).isLessThanOrEqualTo(5);
            if (children[s] >= 2) {
                branching++;
            }
        }
        assertThat(branching).as("sensors that spread to two or more").isGreaterThan(100);
    }

    @Test
    void sensorsReportingEveryMinuteShareRoundsWithTheirInfector() {
        Mesh mesh = mesh(1300, 7);
        FireSpread spread = fire(mesh, 1000, 7);
        int sameInstant = 0;
        for (int s : spread.order()) {
            int by = spread.infectedBy(s);
            // Onset: the first round at or after the fire arrives.
            if (by >= 0 && ceilDiv(spread.infectionTime(s), INTERVAL) == ceilDiv(spread.infectionTime(by), INTERVAL)) {
                sameInstant++;
            }
        }
        assertThat(sameInstant).as("same-instant hops of 999").isGreaterThan(20);
    }

    @Test
    void theSameSeedGivesTheSameFireAndAnotherSeedAnother() {
        Mesh mesh = mesh(600, 3);
        FireSpread a = fire(mesh, 300, 3);
        FireSpread b = fire(mesh, 300, 3);
        FireSpread c = fire(mesh, 300, 4);
        assertThat(b.order()).isEqualTo(a.order());
        for (int s : a.order()) {
            assertThat(b.infectionTime(s)).isEqualTo(a.infectionTime(s));
            assertThat(b.infectedBy(s)).isEqualTo(a.infectedBy(s));
        }
        assertThat(c.order()).isNotEqualTo(a.order());
    }

    @Test
    void concurrentFiresInOneNetworkEachGetTheirSize() {
        Mesh mesh = mesh(2000, 9);
        List<FireSpread.Start> starts = List.of(new FireSpread.Start(0, 0), new FireSpread.Start(500, 60_000),
                new FireSpread.Start(1000, 120_000));
        FireSpread spread = FireSpread.branching(mesh, starts, FireSpread.Branching.of(200), BURN, Long.MAX_VALUE,
                SeededRandom.of(9, "spread"));
        int[] sizes = new int[3];
        for (int s : spread.order()) {
            sizes[spread.fire(s)]++;
        }
        assertThat(sizes).containsExactly(200, 200, 200);
    }

    @Test
    void aFireStopsAtTheHorizonAndDelaysLongerThanTheBurnAreRefused() {
        Mesh mesh = mesh(600, 3);
        FireSpread spread = FireSpread.branching(mesh, List.of(new FireSpread.Start(0, 0)), FireSpread.Branching.of(0),
                BURN, 10 * 60_000L, SeededRandom.of(3, "spread"));
        assertThat(spread.order()).isNotEmpty();
        for (int s : spread.order()) {
            assertThat(spread.infectionTime(s)).isLessThanOrEqualTo(10 * 60_000L);
        }
        assertThatThrownBy(() -> FireSpread.branching(mesh, List.of(new FireSpread.Start(0, 0)),
                FireSpread.Branching.of(10), 60_000, Long.MAX_VALUE, SeededRandom.of(3, "spread")))
                .hasMessageContaining("--burn-time");
        assertThatThrownBy(() -> new FireSpread.Branching(3, 2, 1, 2, 0)).hasMessageContaining("--branches");
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
