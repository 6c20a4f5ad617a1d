package org.bushfire.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class InfectionOrderTest {
    static final long T = 1_732_147_260_000L;

    /** "5<4" is node 5 infected by 4; a bare id has no infector. */
    static Onset onset(String spec) {
        String[] parts = spec.split("<", 2);
        String infector = parts.length == 2 ? parts[1] : null;
        return new Onset(new Reading("default", parts[0], T, 55.0, infector));
    }

    static List<Onset> onsets(String... specs) {
        return Stream.of(specs).map(InfectionOrderTest::onset).collect(Collectors.toList());
    }

    static List<String> sortedNodes(String... specs) {
        return InfectionOrder.sort(onsets(specs)).stream().map(Onset::node).collect(Collectors.toList());
    }

    @Test
    void infectorsComeBeforeTheNodesTheyInfectedWhenGivenReversed() {
        assertThat(sortedNodes("5<4", "4<3", "3")).containsExactly("3", "4", "5");
    }

    @Test
    void infectorOrderHoldsEvenWhenTheInfectorHasTheLargerId() {
        assertThat(sortedNodes("2<9", "9")).containsExactly("9", "2");
        assertThat(sortedNodes("1<3", "3<5", "5")).containsExactly("5", "3", "1");
    }

    static Stream<List<String>> permutationsOfAChain() {
        List<List<String>> all = new ArrayList<>();
        permute(new ArrayList<>(List.of("3", "4<3", "5<4", "6<5")), 0, all);
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("permutationsOfAChain")
    void orderDoesNotDependOnInputOrder(List<String> specs) {
        assertThat(sortedNodes(specs.toArray(new String[0]))).containsExactly("3", "4", "5", "6");
    }

    @Test
    void unrelatedNodesAreOrderedById() {
        assertThat(sortedNodes("c", "a", "b")).containsExactly("a", "b", "c");
    }

    @Test
    void siblingsAreOrderedById() {
        assertThat(sortedNodes("3<1", "2<1", "1")).containsExactly("1", "2", "3");
        assertThat(sortedNodes("c<x", "a<x", "b<x", "x")).containsExactly("x", "a", "b", "c");
    }

    @Test
    void nodeBecomesReadyWhenItsInfectorIsPlacedAndThenCompetesById() {
        // 1 and 4 are ready; 2 waits for 4, then goes before 5 by id
        assertThat(sortedNodes("5", "2<4", "4", "1")).containsExactly("1", "4", "2", "5");
    }

    @Test
    void infectorFromAnotherInstantDoesNotHoldANodeBack() {
        // 7's infector 6 is not among these onsets (its onset was earlier)
        assertThat(sortedNodes("7<6", "8<7", "2")).containsExactly("2", "7", "8");
    }

    @Test
    void treeIsOrderedInfectorsFirst() {
        List<String> order = sortedNodes("e<c", "d<b", "c<a", "b<a", "a");

        assertThat(order).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void cyclesAreAppendedInIdOrder() {
        assertThat(sortedNodes("2<1", "1<2", "3")).containsExactly("3", "1", "2");
        assertThat(sortedNodes("9<8", "8<7", "7<9", "5<4", "4")).containsExactly("4", "5", "7", "8", "9");
    }

    @Test
    void nodesHangingOffACycleAreAppendedWithIt() {
        // 1 and 2 are a cycle, 4 is infected by 2; nothing of that ever becomes ready
        List<String> order = sortedNodes("4<2", "2<1", "1<2", "3");

        assertThat(order).containsExactly("3", "1", "2", "4");
    }

    @Test
    void everyInputNodeAppearsExactlyOnce() {
        List<String> order = sortedNodes("2<1", "1<2", "3", "6<3", "5<6", "4<2");

        assertThat(order).containsExactlyInAnyOrder("1", "2", "3", "4", "5", "6");
        assertThat(order.indexOf("3")).isLessThan(order.indexOf("6"));
        assertThat(order.indexOf("6")).isLessThan(order.indexOf("5"));
    }

    @Test
    void duplicateOnsetsOfOneNodeCountOnce() {
        assertThat(sortedNodes("2<1", "1", "2<1")).containsExactly("1", "2");
    }

    @Test
    void singleElementIsReturnedAsIs() {
        List<Onset> one = onsets("5<4");

        assertThat(InfectionOrder.sort(one)).containsExactlyElementsOf(one);
    }

    @Test
    void emptyListIsEmpty() {
        assertThat(InfectionOrder.sort(Collections.emptyList())).isEmpty();
        assertThat(InfectionOrder.sort(new ArrayList<>())).isEmpty();
    }

    @Test
    void sortedOnsetsAreTheSameObjects() {
        List<Onset> input = onsets("5<4", "4");

        List<Onset> sorted = InfectionOrder.sort(input);

        assertThat(sorted).hasSize(2);
        assertThat(sorted.get(0)).isSameAs(input.get(1));
        assertThat(sorted.get(1)).isSameAs(input.get(0));
    }

    private static void permute(List<String> items, int from, List<List<String>> out) {
        if (from == items.size()) {
            out.add(new ArrayList<>(items));
            return;
        }
        for (int i = from; i < items.size(); i++) {
            Collections.swap(items, from, i);
            permute(items, from + 1, out);
            Collections.swap(items, from, i);
        }
    }
}
