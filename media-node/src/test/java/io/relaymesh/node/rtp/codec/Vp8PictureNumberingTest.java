package io.relaymesh.node.rtp.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtp.RtpPacket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Vp8PictureNumberingTest {

    private final Vp8PictureNumbering numbering = new Vp8PictureNumbering();
    private final RtpPacket view = new RtpPacket();

    /** Rewrites a one-packet frame and returns {picture id, TL0PICIDX} as sent. */
    private int[] send(int pictureId, int tl0) throws ProtocolException {
        ByteBuf b = Vp8Packets.packet(96, 1, 0, 1, true, false, pictureId, tl0, 0, false, 0, 0, 0, 30);
        try {
            view.wrap(b);
            assertThat(numbering.rewrite(b, view.payloadOffset(), view.payloadOffset() + view.payloadLength())).isTrue();
            Vp8PayloadDescriptor d = Vp8Packets.descriptor(b);
            assertThat(d.pictureId()).isEqualTo(numbering.pictureId());
            assertThat(d.tl0PicIdx()).isEqualTo(numbering.tl0PicIdx());
            return new int[] {d.pictureId(), d.tl0PicIdx()};
        } finally {
            b.release();
        }
    }

    @Test
    void theFirstStreamKeepsItsNumbers() throws ProtocolException {
        assertThat(send(1234, 77)).containsExactly(1234, 77);
        assertThat(send(1236, 78)).containsExactly(1236, 78);
    }

    @ParameterizedTest(name = "from {0}/{1} to {2}/{3}")
    @CsvSource({"100, 5, 30000, 200", "32767, 255, 7, 3", "5, 0, 32760, 254"})
    void aSwitchContinuesFromTheLastNumbersAcrossWraps(int pid, int tl0, int otherPid, int otherTl0)
            throws ProtocolException {
        send(pid, tl0);
        numbering.streamSwitched();

        assertThat(send(otherPid, otherTl0)).containsExactly((pid + 1) & 0x7FFF, (tl0 + 1) & 0xFF);
        assertThat(send(otherPid + 3, otherTl0 + 1)).containsExactly((pid + 4) & 0x7FFF, (tl0 + 2) & 0xFF);
    }

    @Test
    void aLatePacketOfAnOlderPictureDoesNotMoveTheContinuationPoint() throws ProtocolException {
        send(500, 10);
        send(499, 10); // reordered
        numbering.streamSwitched();

        assertThat(send(9, 1)).containsExactly(501, 11);
    }

    @Test
    void restoreWritesTheNumbersARetransmissionWasSentWith() throws ProtocolException {
        ByteBuf b = Vp8Packets.packet(96, 1, 0, 1, true, false, 42, 9, 1, false, 0, 0, 0, 30);
        try {
            view.wrap(b);
            assertThat(numbering.restore(b, view.payloadOffset(), view.payloadOffset() + view.payloadLength(), 7000, 200))
                    .isTrue();
            Vp8PayloadDescriptor d = Vp8Packets.descriptor(b);
            assertThat(d.pictureId()).isEqualTo(7000);
            assertThat(d.tl0PicIdx()).isEqualTo(200);
        } finally {
            b.release();
        }
    }

    @Test
    void aTruncatedDescriptorIsLeftAloneAndReported() {
        ByteBuf b = Unpooled.directBuffer(8);
        b.writeZero(2).writeByte(0x90).writeByte(0x80); // X and I announced, picture id missing
        try {
            assertThat(numbering.rewrite(b, 2, 4)).isFalse();
            assertThat(numbering.pictureId()).isEqualTo(-1);
            assertThat(numbering.restore(b, 2, 4, 1, 1)).isFalse();
            assertThat(b.getByte(3)).isEqualTo((byte) 0x80);
        } finally {
            b.release();
        }
    }
}
