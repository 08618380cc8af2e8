package io.relaymesh.node.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The zone entry choice ({@link RelayTree#entry}): deterministic, order-free, stable, spread; and among the nodes
 * nearest to the publisher's zone by their published RTTs ({@link RelayTree#nearest}).
 */
class RendezvousEntryTest {

    private static final List<String> ZONE = List.of("east-1", "east-2", "east-3");

    private static String key(int i) {
        return "west-0/1f2e3d4c5b6a7988/stage/rtmp-" + i + ":0";
    }

    @Test
    void theWeightIsFixedSoNodesOfDifferentBuildsAgree() {
        // Pinned: every node of a cluster must compute the same entry, whatever JVM or release it runs.
        assertThat(Long.toHexString(RelayTree.weight("west-0/1/stage/rtmp-1:0", "east-1")))
                .isEqualTo("528e1416122d2cd7");
        assertThat(Long.toHexString(RelayTree.weight("a", "b"))).isEqualTo("7afd4e29979e4afe");
        assertThat(RelayTree.weight("ab", "c")).as("the separator keeps (ab, c) and (a, bc) apart")
                .isNotEqualTo(RelayTree.weight("a", "bc"));
    }

    @Test
    void theEntryDoesNotDependOnTheOrderNodesAreListedIn() {
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            List<String> shuffled = new ArrayList<>(ZONE);
            Collections.shuffle(shuffled, random);
            assertThat(RelayTree.entry(key(i), shuffled)).isEqualTo(RelayTree.entry(key(i), ZONE));
        }
    }

    @Test
    void losingANodeMovesOnlyTheTracksItWasTheEntryFor() {
        List<String> without = List.of("east-1", "east-3");
        int moved = 0;
        for (int i = 0; i < 1000; i++) {
            String before = RelayTree.entry(key(i), ZONE);
            String after = RelayTree.entry(key(i), without);
            if (!before.equals("east-2")) {
                assertThat(after).as("track %d", i).isEqualTo(before);
            } else {
                moved++;
                assertThat(after).isIn(without);
            }
        }
        assertThat(moved).isBetween(250, 420);
    }

    @Test
    void tracksSpreadOverTheZonesNodes() {
        Map<String, Integer> count = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            count.merge(RelayTree.entry(key(i), ZONE), 1, Integer::sum);
        }
        assertThat(count.keySet()).containsExactlyInAnyOrderElementsOf(ZONE);
        assertThat(count.values()).allSatisfy(n -> assertThat(n).isBetween(850, 1150));
    }

    @Test
    void noNodesMeansNoEntry() {
        assertThat(RelayTree.entry(key(1), List.of())).isNull();
        assertThat(RelayTree.entry(key(1), List.of("east-9"))).isEqualTo("east-9");
    }

    @Test
    void onlyNodesNearTheirZonesNearestToThePublishersZoneMayBeTheEntry() {
        Map<String, OptionalInt> rtts = new HashMap<>();
        rtts.put("east-1", OptionalInt.of(40_000));
        rtts.put("east-2", OptionalInt.of(48_000)); // within a quarter of the nearest
        rtts.put("east-3", OptionalInt.of(51_000)); // not
        rtts.put("east-4", OptionalInt.empty()); // measured nothing yet
        assertThat(RelayTree.nearest(rtts)).containsExactlyInAnyOrder("east-1", "east-2");
        Map<String, Integer> entries = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            entries.merge(RelayTree.entry(key(i), RelayTree.nearest(rtts)), 1, Integer::sum);
        }
        assertThat(entries).as("spread over the near nodes only").containsOnlyKeys("east-1", "east-2");
        assertThat(entries.values()).allSatisfy(n -> assertThat(n).isGreaterThan(60));
    }

    @Test
    void onLowRttsAMillisecondOfSlackKeepsTheWholeZoneAndWithoutFiguresEveryNodeQualifies() {
        Map<String, OptionalInt> loopback = Map.of("east-1", OptionalInt.of(120), "east-2", OptionalInt.of(900),
                "east-3", OptionalInt.of(1_100));
        assertThat(RelayTree.nearest(loopback)).containsExactlyInAnyOrder("east-1", "east-2", "east-3");
        Map<String, OptionalInt> unmeasured = Map.of("east-1", OptionalInt.empty(), "east-2", OptionalInt.empty());
        assertThat(RelayTree.nearest(unmeasured)).containsExactlyInAnyOrder("east-1", "east-2");
        assertThat(RelayTree.nearest(Map.of())).isEmpty();
    }
}
