package io.relaymesh.node.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.rtp.RtpHeaderWriter;
import org.junit.jupiter.api.Test;

/** {@link SeqSplice}: a relayed stream stays continuous when its parent (and so its numbering) changes. */
class SeqSpliceTest {

    private static final int OFFSET = 7;
    private static final long MS = 1_000_000L;

    /** An RTP packet at reader index {@link #OFFSET} (not at 0), as the relay receive path holds it. */
    private static ByteBuf packet(int seq, int ts) {
        ByteBuf b = Unpooled.buffer(64).writeZero(OFFSET).readerIndex(OFFSET);
        RtpHeaderWriter.writeHeader(b, 96, true, seq, ts, 0xCAFE);
        return b.writeZero(20);
    }

    private static int seq(ByteBuf b) {
        return b.getUnsignedShort(OFFSET + 2);
    }

    private static int ts(ByteBuf b) {
        return b.getInt(OFFSET + 4);
    }

    @Test
    void theFirstParentsNumberingPassesUnchanged() {
        SeqSplice splice = new SeqSplice(90_000);
        for (int i = 0; i < 3; i++) {
            ByteBuf p = packet(500 + i, 9000 + i * 3000);
            splice.apply(p, 1, i * 33 * MS);
            assertThat(seq(p)).isEqualTo(500 + i);
            assertThat(ts(p)).isEqualTo(9000 + i * 3000);
            assertThat(p.readerIndex()).isEqualTo(OFFSET);
        }
    }

    @Test
    void aNewParentContinuesFromTheLastSequenceNumberAndTheWallClock() {
        SeqSplice splice = new SeqSplice(90_000);
        splice.apply(packet(0xFFFE, 1000), 1, 0);
        splice.apply(packet(0xFFFF, 4000), 1, 33 * MS); // last before the switch
        ByteBuf first = packet(17, 777_000);
        splice.apply(first, 2, 1033 * MS); // a second later, from a new parent
        assertThat(seq(first)).as("wraps to 0 after 0xFFFF").isZero();
        assertThat(ts(first)).as("one second of 90 kHz after the last timestamp").isEqualTo(4000 + 90_000);
        ByteBuf next = packet(18, 780_000);
        splice.apply(next, 2, 1066 * MS);
        assertThat(seq(next)).isEqualTo(1);
        assertThat(ts(next)).isEqualTo(4000 + 90_000 + 3000);
    }

    @Test
    void lateReorderedPacketsKeepTheirPlaceAndDoNotMoveTheEnd() {
        SeqSplice splice = new SeqSplice(48_000);
        splice.apply(packet(10, 0), 1, 0);
        splice.apply(packet(12, 1920), 1, 40 * MS);
        ByteBuf late = packet(11, 960);
        splice.apply(late, 1, 41 * MS);
        assertThat(seq(late)).isEqualTo(11);
        ByteBuf switched = packet(300, 50);
        splice.apply(switched, 2, 60 * MS);
        assertThat(seq(switched)).as("continues after 12, not after the late 11").isEqualTo(13);
    }

    @Test
    void nacksMapBackToTheCurrentParentsNumberingButNotAcrossTheSwitch() {
        SeqSplice splice = new SeqSplice(90_000);
        assertThat(splice.upstreamSeq(5)).as("nothing received yet").isEqualTo(-1);
        splice.apply(packet(100, 0), 1, 0);
        splice.apply(packet(101, 3000), 1, 33 * MS);
        assertThat(splice.upstreamSeq(101)).isEqualTo(101);
        splice.apply(packet(9000, 0), 2, 66 * MS); // becomes 102
        assertThat(splice.upstreamSeq(103)).isEqualTo(9001);
        assertThat(splice.upstreamSeq(101)).as("lost before the switch: the new parent never had it").isEqualTo(-1);
    }
}
