package io.relaymesh.node.dtls;

import org.junit.jupiter.api.Test;

import java.io.InterruptedIOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InboundDatagramsTest {

    private static byte[] datagram(int id) {
        return new byte[] {(byte) id};
    }

    @Test
    void aFullQueueDropsTheOldestSoTheNewestDatagramIsAlwaysKept() throws InterruptedIOException {
        InboundDatagrams queue = new InboundDatagrams(3);
        int dropped = 0;
        for (int id = 1; id <= 10; id++) {
            dropped += queue.offer(datagram(id));
        }

        assertThat(dropped).isEqualTo(7);
        assertThat(queue.poll(1)).containsExactly(8);
        assertThat(queue.poll(1)).containsExactly(9);
        assertThat(queue.poll(1)).containsExactly(10);
        assertThat(queue.poll(1)).as("empty after the wait runs out").isNull();
    }

    @Test
    void aClosedQueueRefusesAndCountsTheOfferAndWakesTheConsumer() {
        InboundDatagrams queue = new InboundDatagrams(3);
        assertThat(queue.offer(datagram(1))).isZero();

        queue.close();

        assertThat(queue.isClosed()).isTrue();
        assertThat(queue.offer(datagram(2))).isEqualTo(1);
        assertThatThrownBy(() -> queue.poll(0)).isInstanceOf(InterruptedIOException.class)
                .hasMessageContaining("closed");
    }
}
