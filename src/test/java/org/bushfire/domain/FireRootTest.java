package org.bushfire.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FireRootTest {
    /** Nodes with an onset, each mapped to the infector its onset names (null for none). */
    static final class Links implements InfectionLinks {
        final Map<String, String> infectorByNode = new HashMap<>();

        /** Adds an onset of {@code node} naming {@code infector} (null: no infector). */
        Links onset(String node, String infector) {
            infectorByNode.put(node, infector);
            return this;
        }

        @Override
        public boolean hasOnset(String node) {
            return infectorByNode.containsKey(node);
        }

        @Override
        public String infectorOf(String node) {
            return infectorByNode.get(node);
        }
    }

    /** Guards against a walk that never ends on cyclic links. */
    static String root(String node, Links links) {
        return assertTimeoutPreemptively(Duration.ofSeconds(5), () -> FireRoot.find(node, links));
    }

    /** 1 → 2 → 3 → 4 → 5: 1 ignited, each next node infected by the one before. */
    static Links linearChain() {
        return new Links().onset("1", null).onset("2", "1").onset("3", "2").onset("4", "3").onset("5", "4");
    }

    @Test
    void linearChainLeadsBackToTheIgnition() {
        assertThat(root("5", linearChain())).isEqualTo("1");
    }

    @Test
    void everyNodeOfTheChainHasTheSameRoot() {
        Links links = linearChain();

        for (String node : new String[] {"1", "2", "3", "4", "5"}) {
            assertThat(root(node, links)).as("root of %s", node).isEqualTo("1");
        }
    }

    @Test
    void startingInTheMiddleWalksOnlyUpwards() {
        assertThat(root("3", linearChain())).isEqualTo("1");
    }

    @Test
    void nodeWithoutInfectorIsItsOwnRoot() {
        Links links = linearChain().onset("9", null);

        assertThat(root("9", links)).isEqualTo("9");
        assertThat(root("1", links)).isEqualTo("1");
    }

    @Test
    void walkStopsAtTheNodeWhoseInfectorHasNoKnownOnset() {
        // 2 is named as 3's infector but has no onset (not hot yet, or forgotten)
        Links links = new Links().onset("3", "2").onset("4", "3").onset("5", "4");

        assertThat(root("5", links)).isEqualTo("3");
        assertThat(root("4", links)).isEqualTo("3");
        assertThat(root("3", links)).isEqualTo("3");
    }

    @Test
    void unknownInfectorInTheMiddleSplitsTheTree() {
        // 1 → 2, then 3 names 7 (unknown) and 4 → 5 follow 3
        Links links = new Links().onset("1", null).onset("2", "1").onset("3", "7").onset("4", "3").onset("5", "4");

        assertThat(root("2", links)).isEqualTo("1");
        assertThat(root("5", links)).isEqualTo("3");
    }

    @Test
    void stringIdsWork() {
        Links links = new Links().onset("gully-a", null).onset("gully-b", "gully-a").onset("ridge-c", "gully-b");

        assertThat(root("ridge-c", links)).isEqualTo("gully-a");
    }

    @Test
    void twoCycleTerminatesAndBothNodesNameTheSmallestId() {
        Links links = new Links().onset("7", "3").onset("3", "7");

        assertThat(root("7", links)).isEqualTo("3");
        assertThat(root("3", links)).isEqualTo("3");
    }

    @Test
    void threeCycleTerminatesAndAllNodesNameTheSmallestId() {
        Links links = new Links().onset("5", "3").onset("3", "8").onset("8", "5");

        assertThat(root("5", links)).isEqualTo("3");
        assertThat(root("3", links)).isEqualTo("3");
        assertThat(root("8", links)).isEqualTo("3");
    }

    @Test
    void cycleMembersAgreeWhateverTheIdOrder() {
        Links links = new Links().onset("10", "9").onset("9", "12").onset("12", "10");

        String root = root("10", links);

        assertThat(root).isIn("9", "10", "12");
        assertThat(root("9", links)).isEqualTo(root);
        assertThat(root("12", links)).isEqualTo(root);
    }

    @Test
    void tailLeadingIntoACycleGetsTheCyclesRoot() {
        // 9 → 8 → 5 → 3 → 8 → …: 9 is a tail, 8 5 3 the cycle
        Links links = new Links().onset("9", "8").onset("8", "5").onset("5", "3").onset("3", "8");

        assertThat(root("9", links)).isEqualTo("3");
        assertThat(root("8", links)).isEqualTo("3");
        assertThat(root("5", links)).isEqualTo("3");
        assertThat(root("3", links)).isEqualTo("3");
    }

    @Test
    void tailNodesAreNotCandidatesForTheCycleRoot() {
        // the tail's 1 is smaller than every cycle node, but is not in the cycle
        Links links = new Links().onset("1", "7").onset("7", "5").onset("5", "6").onset("6", "7");

        assertThat(root("1", links)).isEqualTo("5");
        assertThat(root("7", links)).isEqualTo("5");
    }

    @Test
    void selfLinkTerminates() {
        // the parser strips infectedBy == node, but a map holding it must still not loop
        Links links = new Links().onset("4", "4").onset("5", "4");

        assertThat(root("4", links)).isEqualTo("4");
        assertThat(root("5", links)).isEqualTo("4");
    }

    @Test
    void longChainIsWalkedWithoutLimit() {
        Links links = new Links().onset("s0", null);
        for (int i = 1; i <= 10_000; i++) {
            links.onset("s" + i, "s" + (i - 1));
        }

        assertThat(root("s10000", links)).isEqualTo("s0");
    }
}
