package io.relaymesh.node.cluster.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What a node publishes of its RTTs to other zones: figures that move only when the path really changed. */
class ZoneRttsTest {

    @Test
    void aFirstMeasurementIsPublishedAsItIs() {
        ZoneRtts rtts = ZoneRtts.settle(ZoneRtts.NONE, Map.of("us-east", 81_000L, "eu-central", 9_000L));
        assertThat(rtts.micros()).containsExactly(Map.entry("eu-central", 9_000), Map.entry("us-east", 81_000));
        assertThat(rtts.to("eu-central")).hasValue(9_000);
        assertThat(rtts.to("ap-south")).isEqualTo(OptionalInt.empty());
    }

    @Test
    void jitterWithinAQuarterOrHalfAMillisecondKeepsThePublishedFigure() {
        ZoneRtts published = ZoneRtts.settle(ZoneRtts.NONE, Map.of("far", 80_000L, "near", 300L));
        ZoneRtts jittered = ZoneRtts.settle(published, Map.of("far", 99_000L, "near", 790L));
        assertThat(jittered).as("the same object: nothing to gossip").isSameAs(published);

        ZoneRtts moved = ZoneRtts.settle(published, Map.of("far", 101_000L, "near", 810L));
        assertThat(moved.micros()).containsExactly(Map.entry("far", 101_000), Map.entry("near", 810));
        ZoneRtts faster = ZoneRtts.settle(moved, Map.of("far", 60_000L, "near", 810L));
        assertThat(faster.to("far")).hasValue(60_000);
    }

    @Test
    void aZoneNoLongerMeasuredIsDroppedAndOnlyTheNearestEightAreKept() {
        ZoneRtts published = ZoneRtts.settle(ZoneRtts.NONE, Map.of("gone", 5_000L, "kept", 7_000L));
        assertThat(ZoneRtts.settle(published, Map.of("kept", 7_000L)).micros()).containsOnlyKeys("kept");

        Map<String, Long> many = new HashMap<>();
        for (int i = 0; i < 12; i++) {
            many.put("z" + i, 1_000L * (12 - i));
        }
        ZoneRtts nearest = ZoneRtts.settle(ZoneRtts.NONE, many);
        assertThat(nearest.micros()).hasSize(ZoneRtts.MAX_ZONES).containsOnlyKeys("z4", "z5", "z6", "z7", "z8", "z9",
                "z10", "z11");
    }

    @Test
    void whatAReaderWouldRejectCannotBeMade() {
        assertThatThrownBy(() -> new ZoneRtts(new TreeMap<>(Map.of("EU", 1)))).hasMessageContaining("DNS label");
        assertThatThrownBy(() -> new ZoneRtts(new TreeMap<>(Map.of("eu", -1)))).hasMessageContaining("negative");
        TreeMap<String, Integer> nine = new TreeMap<>();
        for (int i = 0; i < 9; i++) {
            nine.put("z" + i, i);
        }
        assertThatThrownBy(() -> new ZoneRtts(nine)).hasMessageContaining("at most 8");
    }
}
