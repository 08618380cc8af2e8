package io.relaymesh.node.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StreamTableTest {

    @Test
    void behavesLikeABoundedMapUnderRandomAddsAndRemoves() {
        StreamTable table = new StreamTable(64);
        Map<Integer, StreamState> model = new HashMap<>();
        SplittableRandom random = new SplittableRandom(42);
        for (int step = 0; step < 200_000; step++) {
            // A small key space forces collisions, long probe runs and deletions inside them.
            int ssrc = random.nextInt(100) * 0x10000;
            if (random.nextInt(3) == 0) {
                assertThat(table.remove(ssrc)).isEqualTo(model.remove(ssrc) != null);
            } else {
                StreamState state = table.getOrAdd(ssrc);
                if (model.containsKey(ssrc)) {
                    assertThat(state).isSameAs(model.get(ssrc));
                } else if (model.size() == 64) {
                    assertThat(state).isNull();
                } else {
                    assertThat(state).isNotNull();
                    model.put(ssrc, state);
                }
            }
            assertThat(table.size()).isEqualTo(model.size());
        }
        for (int k = 0; k < 100; k++) {
            assertThat(table.get(k * 0x10000)).isSameAs(model.get(k * 0x10000));
        }
    }

    @Test
    void aRecycledStateStartsFresh() {
        StreamTable table = new StreamTable(1);
        StreamState state = table.getOrAdd(7);
        state.rtpReceived.accept(1000);
        state.rtcpSendIndex = 99;
        assertThat(table.getOrAdd(8)).isNull();
        assertThat(table.remove(7)).isTrue();
        StreamState recycled = table.getOrAdd(8);
        assertThat(recycled.rtpReceived.started()).isFalse();
        assertThat(recycled.rtcpSendIndex).isEqualTo(1);
    }

    @Test
    void ssrcZeroIsAnOrdinaryKey() {
        StreamTable table = new StreamTable(4);
        assertThat(table.get(0)).isNull();
        StreamState zero = table.getOrAdd(0);
        assertThat(table.get(0)).isSameAs(zero);
    }

    @Test
    void indexEstimationFollowsRfc3711AppendixA() {
        long roc5 = 5L << 16;
        assertThat(StreamState.estimateIndex(roc5 | 100, 101)).isEqualTo(roc5 | 101);
        assertThat(StreamState.estimateIndex(roc5 | 100, 65000)).isEqualTo((4L << 16) | 65000); // from before wrap
        assertThat(StreamState.estimateIndex(roc5 | 65000, 10)).isEqualTo((6L << 16) | 10); // after wrap
        assertThat(StreamState.estimateIndex(roc5 | 65000, 40000)).isEqualTo(roc5 | 40000);
        assertThat(StreamState.estimateIndex(100, 65000)).isEqualTo(-1); // would need ROC -1
    }
}
