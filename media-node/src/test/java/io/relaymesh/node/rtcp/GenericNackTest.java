package io.relaymesh.node.rtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenericNackTest {

    private static final int[] SCATTERED = {100, 101, 103, 116, 117, 200, 65535, 0, 2};

    @Test
    void scatteredLossesPackIntoPidAndBitmaskItems() {
        GenericNack nack = GenericNack.forLost(1, 2, SCATTERED);
        assertThat(nack).isEqualTo(RtcpGolden.CASES.get(5).expected());
    }

    @Test
    void itemsEnumerateBackToTheLostSequenceNumbers() {
        GenericNack nack = GenericNack.forLost(1, 2, SCATTERED);
        assertThat(nack.lostSequenceNumbers()).containsExactly(SCATTERED);
        List<Integer> viaCallback = new ArrayList<>();
        nack.forEachLost(viaCallback::add);
        assertThat(viaCallback).containsExactly(100, 101, 103, 116, 117, 200, 65535, 0, 2);
    }

    @Test
    void aFullBitmaskCoversSeventeenNumbersPerItem() {
        int[] lost = new int[34];
        for (int i = 0; i < lost.length; i++) {
            lost[i] = (65530 + i) & 0xFFFF;
        }
        GenericNack nack = GenericNack.forLost(1, 2, lost);
        assertThat(nack.items()).containsExactly(new GenericNack.Item(65530, 0xFFFF), new GenericNack.Item(11, 0xFFFF));
        assertThat(nack.lostSequenceNumbers()).containsExactly(lost);
    }

    @Test
    void duplicatesAreReportedOnce() {
        GenericNack nack = GenericNack.forLost(1, 2, new int[] {5, 5, 6, 6});
        assertThat(nack.items()).containsExactly(new GenericNack.Item(5, 1));
    }

    @Test
    void aNackNeedsAtLeastOneLoss() {
        assertThatThrownBy(() -> GenericNack.forLost(1, 2, new int[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GenericNack.Item(65536, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
