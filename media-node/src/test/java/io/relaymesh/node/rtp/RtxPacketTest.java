package io.relaymesh.node.rtp;

import static io.relaymesh.node.rtp.RtpPacketTest.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RtxPacketTest {

    private final List<ByteBuf> buffers = new ArrayList<>();

    @AfterEach
    void releaseBuffers() {
        buffers.forEach(ByteBuf::release);
    }

    private ByteBuf buffer(int skip) {
        ByteBuf buf = Unpooled.buffer();
        buffers.add(buf);
        buf.writeZero(skip);
        buf.readerIndex(skip);
        return buf;
    }

    private ByteBuf atOffset(byte[] packet) {
        return buffer(3).writeBytes(packet);
    }

    @Test
    void wrapKeepsHeaderAndExtensionsAndPrependsTheOsn() throws ProtocolException {
        RtpPacket original = RtpPacket.parse(atOffset(RtpPacketTest.ONE_BYTE_PACKET));
        ByteBuf out = buffer(5);

        int written = RtxPacket.wrap(original, out, 97, 0xAABBCCDD, 1);

        byte[] expected = hex("""
                90 e1 00 01     V=2 X=1 | M=1 PT=97 | RTX sequence 1
                00 01 e2 40     original timestamp
                aa bb cc dd     RTX SSRC
                be de 00 02 10 ab 32 01 02 03 00 00     original extension block
                1f 40           OSN 8000
                ca fe ba be     original payload
                """);
        assertThat(written).isEqualTo(expected.length);
        assertThat(ByteBufUtil.getBytes(out)).isEqualTo(expected);
        RtpPacket rtx = RtpPacket.parse(out);
        assertThat(RtxPacket.originalSequenceNumber(rtx)).isEqualTo(8000);
    }

    @Test
    void unwrapRestoresTheOriginalWithoutItsPadding() throws ProtocolException {
        RtpPacket original = RtpPacket.parse(atOffset(RtpPacketTest.TWO_BYTE_PACKET));
        ByteBuf rtxBuf = buffer(1);
        RtxPacket.wrap(original, rtxBuf, 112, 0x01020304, 40000);
        RtpPacket rtx = RtpPacket.parse(rtxBuf);
        assertThat(rtx.padding()).isFalse();
        assertThat(rtx.payloadType()).isEqualTo(112);
        assertThat(rtx.sequenceNumber()).isEqualTo(40000);
        assertThat(rtx.csrc(0)).isEqualTo(42);
        assertThat(rtx.extensionLength(7)).isEqualTo(3);

        ByteBuf restored = buffer(11);
        RtxPacket.unwrap(rtx, restored, 111, 0x87654321);

        byte[] expected = Arrays.copyOf(RtpPacketTest.TWO_BYTE_PACKET, RtpPacketTest.TWO_BYTE_PACKET.length - 3);
        expected[0] = (byte) 0x91; // P cleared: the padding is gone
        assertThat(ByteBufUtil.getBytes(restored)).isEqualTo(expected);
    }

    @Test
    void anRtxPacketWithoutAnOsnIsRejected() throws ProtocolException {
        ByteBuf buf = atOffset(hex("80 61 00 01 00 00 00 00 00 00 00 01 1f"));
        RtpPacket rtx = RtpPacket.parse(buf);
        assertThatThrownBy(() -> RtxPacket.originalSequenceNumber(rtx))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("no OSN");
        ByteBuf out = buffer(0);
        assertThatThrownBy(() -> RtxPacket.unwrap(rtx, out, 96, 1)).isInstanceOf(ProtocolException.class);
        assertThat(out.readableBytes()).isZero();
    }

    @Test
    void headerWriterWritesTheGoldenHeader() {
        ByteBuf out = buffer(2);
        int start = RtpHeaderWriter.writeHeader(out, 96, true, 8000, 123456, 0x12345678);
        assertThat(start).isEqualTo(2);
        assertThat(ByteBufUtil.getBytes(out)).isEqualTo(hex("""
                80 e0 1f 40     V=2 | M=1 PT=96 | seq 8000
                00 01 e2 40     timestamp 123456
                12 34 56 78     SSRC
                """));
        assertThatThrownBy(() -> RtpHeaderWriter.writeHeader(out, 128, false, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void paddingPacketParsesAsPaddingOnly() throws ProtocolException {
        ByteBuf out = buffer(4);
        int written = RtpHeaderWriter.writePaddingPacket(out, 97, 7, 9000, 5, 224);
        assertThat(written).isEqualTo(12 + 224);
        RtpPacket p = RtpPacket.parse(out);
        assertThat(p.padding()).isTrue();
        assertThat(p.paddingLength()).isEqualTo(224);
        assertThat(p.payloadLength()).isZero();
        assertThat(p.sequenceNumber()).isEqualTo(7);
        assertThatThrownBy(() -> RtpHeaderWriter.writePaddingPacket(out, 97, 7, 9000, 5, 256))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
