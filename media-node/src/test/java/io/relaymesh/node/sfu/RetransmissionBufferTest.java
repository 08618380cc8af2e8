package io.relaymesh.node.sfu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RetransmissionBufferTest {

    private static final long MAX_AGE = 1_000_000_000L;

    private final TrackingAllocator alloc = new TrackingAllocator();
    private final RetransmissionBuffer cache = new RetransmissionBuffer(4, MAX_AGE);
    private final List<ByteBuf> received = new ArrayList<>();

    @AfterEach
    void everyPacketIsReleasedExactlyOnce() {
        cache.clear();
        cache.clear(); // a second clear releases nothing twice
        for (ByteBuf b : received) {
            assertThat(b.refCnt()).isZero();
        }
        assertThat(alloc.unreleased()).isZero();
    }

    /** A received packet: stored, then released by its receiver as the transport does. */
    private ByteBuf receive(int seq, long now) {
        ByteBuf b = alloc.directBuffer(16).writeShort(seq);
        received.add(b);
        cache.store(seq, b, now);
        assertThat(b.refCnt()).isEqualTo(2);
        b.release();
        return b;
    }

    @Test
    void aStoredPacketIsLentBackBySequenceNumber() {
        ByteBuf b = receive(65_535, 0);

        assertThat(cache.get(65_535, MAX_AGE)).isSameAs(b);
        assertThat(b.refCnt()).as("lent, not retained again").isEqualTo(1);
        assertThat(cache.get(65_534, 0)).isNull();
        assertThat(cache.get(3, 0)).as("same slot, other number").isNull();
    }

    @Test
    void packetsOlderThanTheMaxAgeAreNotReturned() {
        receive(10, 0);

        assertThat(cache.get(10, MAX_AGE + 1)).isNull();
    }

    @Test
    void overwritingASlotReleasesThePreviousPacket() {
        ByteBuf first = receive(1, 0);
        ByteBuf second = receive(5, 0); // 5 & 3 == 1 & 3

        assertThat(first.refCnt()).isZero();
        assertThat(cache.get(1, 0)).isNull();
        assertThat(cache.get(5, 0)).isSameAs(second);
    }

    @Test
    void storingTheSamePacketAgainKeepsOneReference() {
        ByteBuf b = receive(9, 0);
        cache.store(9, b, 1);

        assertThat(b.refCnt()).isEqualTo(1);
    }

    @Test
    void theCapacityMustBeAPowerOfTwo() {
        assertThatThrownBy(() -> new RetransmissionBuffer(100, MAX_AGE)).isInstanceOf(IllegalArgumentException.class);
        assertThat(cache.capacity()).isEqualTo(4);
    }

    @Test
    void pastTheByteBoundTheOldestPacketsAreReleased() {
        RetransmissionBuffer bounded = new RetransmissionBuffer(8, 5 * 100, MAX_AGE);
        List<ByteBuf> packets = new ArrayList<>();
        for (int seq = 0; seq < 7; seq++) {
            ByteBuf b = alloc.directBuffer(100).writeZero(100);
            packets.add(b);
            bounded.store(seq, b, 0);
            b.release();
        }

        assertThat(bounded.bytes()).isEqualTo(500);
        assertThat(bounded.get(0, 0)).as("released to stay within 500 bytes").isNull();
        assertThat(bounded.get(1, 0)).isNull();
        for (int seq = 2; seq < 7; seq++) {
            assertThat(bounded.get(seq, 0)).as("seq %d", seq).isNotNull();
        }
        assertThat(packets.get(0).refCnt()).isZero();
        bounded.clear();
        assertThat(bounded.bytes()).isZero();
        assertThat(packets).allSatisfy(b -> assertThat(b.refCnt()).isZero());
    }
}
