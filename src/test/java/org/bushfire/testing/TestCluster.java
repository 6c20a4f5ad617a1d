package org.bushfire.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * The MiniCluster the integration tests share: one task manager with two slots, so jobs run at parallelism 2.
 *
 * <pre>
 * &#64;RegisterExtension static final MiniClusterExtension MINI_CLUSTER = TestCluster.twoSlots();
 * </pre>
 */
public final class TestCluster {
    private TestCluster() {}

    public static MiniClusterExtension twoSlots() {
        return twoSlots(new Configuration());
    }

    /** The same, with the cluster configured further: an in-memory metrics reporter, say. */
    public static MiniClusterExtension twoSlots(Configuration configuration) {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setConfiguration(configuration)
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(2)
                .build());
    }
}
