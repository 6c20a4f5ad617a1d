package org.bushfire.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The soak's fires take their shapes from the simulator's model and still alert within the soak's schedule. */
class SoakFireShapesTest {
    @Test
    void everyBlockBurnsAsAChainOfSixWithinTheTicksTheSoakCountsOn() {
        SoakRun.FireShapes shapes = SoakRun.FireShapes.generate(10, 42, 50);
        int sameTick = 0;
        for (int n = 0; n < 10; n++) {
            for (int b = 0; b < SoakRun.BLOCKS; b++) {
                int root = b * SoakRun.FIRE_LENGTH;
                assertThat(shapes.infector[n][root]).as("the root of block %d", b).isEqualTo(-1);
                assertThat(shapes.reached[n][root]).isZero();
                for (int k = 1; k < SoakRun.FIRE_LENGTH; k++) {
                    int node = root + k;
                    int by = shapes.infector[n][node];
                    assertThat(by).as("infected from within its block").isBetween(root, node - 1);
                    assertThat(shapes.reached[n][node]).isGreaterThanOrEqualTo(shapes.reached[n][by]);
                    if (shapes.reached[n][node] == shapes.reached[n][by]) {
                        sameTick++;
                    }
                }
                int[] depth = new int[SoakRun.FIRE_LENGTH];
                int chainEnd = -1;
                for (int k = 1; k < SoakRun.FIRE_LENGTH; k++) {
                    depth[k] = depth[shapes.infector[n][root + k] - root] + 1;
                    if (depth[k] == SoakRun.HOPS_TO_ALERT && chainEnd < 0) {
                        chainEnd = root + k;
                    }
                }
                assertThat(chainEnd).as("a sensor four hops from the root of block %d: a chain of five", b)
                        .isNotNegative();
                assertThat(shapes.reached[n][chainEnd])
                        .as("the chain of five completes by the tick the verdict counts on")
                        .isLessThanOrEqualTo(SoakRun.HOPS_TO_ALERT);
                assertThat(shapes.reached[n][root + SoakRun.FIRE_LENGTH - 1]).isLessThan(SoakRun.FIRE_LENGTH);
            }
        }
        assertThat(sameTick).as("same-instant hops among %d", 10 * SoakRun.BLOCKS * 5).isPositive();
        SoakRun.FireShapes again = SoakRun.FireShapes.generate(10, 42, 50);
        assertThat(again.reached).isDeepEqualTo(shapes.reached);
        assertThat(again.infector).isDeepEqualTo(shapes.infector);
    }
}
