package io.relaymesh.node.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtp.RtpPacket;
import io.relaymesh.node.srtp.SrtpProfile;
import io.relaymesh.node.srtp.SrtpSession;
import io.relaymesh.node.srtp.SrtpStatus;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Transport-wide sequence numbers written in place: overwrite, fill padding, grow the block, add a block. */
class TransportSequenceStamperTest {

    /** Bytes before the packet in every buffer: nothing may assume a packet starts at index 0. */
    private static final int OFFSET = 5;
    private static final int TCC_ID = 3;
    private static final int SEQ = 0xBEEF;
    private static final byte[] PAYLOAD = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};

    private final TransportSequenceStamper stamper = new TransportSequenceStamper();

    /** An RTP packet at {@link #OFFSET}: header (cc CSRCs), {@code extension} bytes verbatim, the payload. */
    private static ByteBuf packet(int csrcs, byte[] extension, int padding) {
        ByteBuf b = Unpooled.directBuffer(256);
        b.writeZero(OFFSET);
        b.readerIndex(OFFSET);
        int flags = 0x80 | csrcs | (extension == null ? 0 : 0x10) | (padding > 0 ? 0x20 : 0);
        b.writeByte(flags).writeByte(96).writeShort(1000).writeInt(90_000).writeInt(0x11223344);
        for (int i = 0; i < csrcs; i++) {
            b.writeInt(0x55000000 + i);
        }
        if (extension != null) {
            b.writeBytes(extension);
        }
        b.writeBytes(PAYLOAD);
        if (padding > 0) {
            b.writeZero(padding - 1).writeByte(padding);
        }
        return b;
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static void withPacket(ByteBuf b, Consumer<RtpPacket> check) {
        try {
            check.accept(RtpPacket.parse(b));
        } catch (ProtocolException e) {
            throw new AssertionError("stamped packet no longer parses: " + e.getMessage(), e);
        } finally {
            b.release();
        }
    }

    private static void assertStamped(RtpPacket p, int id) {
        assertThat(p.findExtension(id)).isNotNegative();
        assertThat(p.extensionLength(id)).isEqualTo(2);
        assertThat(p.buffer().getUnsignedShort(p.findExtension(id))).isEqualTo(SEQ);
        assertThat(ByteBufUtil.getBytes(p.buffer(), p.payloadOffset(), p.payloadLength())).containsExactly(PAYLOAD);
        assertThat(p.offset()).isEqualTo(OFFSET);
        assertThat(p.ssrc()).isEqualTo(0x11223344);
    }

    @Test
    void overwritesThePresentElementWithoutChangingTheSize() {
        // 0xBEDE, 1 word: tcc id 3 L=1 with 0x0000, one padding byte
        ByteBuf b = packet(0, bytes(0xBE, 0xDE, 0, 1, TCC_ID << 4 | 1, 0, 0, 0), 0);
        int length = b.readableBytes();
        assertThat(stamper.stamp(b, TCC_ID, SEQ)).isTrue();
        assertThat(b.readableBytes()).isEqualTo(length);
        withPacket(b, p -> assertStamped(p, TCC_ID));
    }

    @Test
    void fillsThePaddingLeftWhereThePublishersElementWasDropped() {
        // mid (id 1, "v"), then the 3 zero bytes of the dropped element, then one more padding byte: 2 words
        ByteBuf b = packet(0, bytes(0xBE, 0xDE, 0, 2, 0x10, 'v', 0, 0, 0, 0, 0, 0), 0);
        int length = b.readableBytes();
        assertThat(stamper.stamp(b, TCC_ID, SEQ)).isTrue();
        assertThat(b.readableBytes()).isEqualTo(length);
        withPacket(b, p -> {
            assertStamped(p, TCC_ID);
            assertThat(p.buffer().getByte(p.findExtension(1))).isEqualTo((byte) 'v');
        });
    }

    @Test
    void growsAOneByteBlockByAWordWhenThereIsNoRoom() {
        // mid (id 1) with 3 data bytes: a full word, no padding; 2 CSRCs before it
        ByteBuf b = packet(2, bytes(0xBE, 0xDE, 0, 1, 0x12, 'a', 'b', 'c'), 0);
        int length = b.readableBytes();
        assertThat(stamper.stamp(b, TCC_ID, SEQ)).isTrue();
        assertThat(b.readableBytes()).isEqualTo(length + 4);
        withPacket(b, p -> {
            assertStamped(p, TCC_ID);
            assertThat(p.csrcCount()).isEqualTo(2);
            assertThat(p.csrc(1)).isEqualTo(0x55000001);
            assertThat(p.extensionLength(1)).isEqualTo(3);
            assertThat(p.buffer().getByte(p.findExtension(1) + 2)).isEqualTo((byte) 'c');
        });
    }

    @Test
    void growsATwoByteBlockWithATwoByteElement() {
        // profile 0x1000, 1 word: id 200, length 2, data
        ByteBuf b = packet(0, bytes(0x10, 0x00, 0, 1, 200, 2, 7, 7), 0);
        int length = b.readableBytes();
        assertThat(stamper.stamp(b, 20, SEQ)).isTrue();
        assertThat(b.readableBytes()).isEqualTo(length + 4);
        withPacket(b, p -> {
            assertStamped(p, 20);
            assertThat(p.extensionLength(200)).isEqualTo(2);
        });
    }

    @ParameterizedTest(name = "id {0}")
    @ValueSource(ints = {1, 14, 15, 255})
    void addsABlockToAPacketWithoutExtensions(int id) {
        ByteBuf b = packet(1, null, 4); // and RTP padding, which must stay at the end
        int length = b.readableBytes();
        assertThat(stamper.stamp(b, id, SEQ)).isTrue();
        assertThat(b.readableBytes()).isEqualTo(length + TransportSequenceStamper.MAX_GROWTH);
        withPacket(b, p -> {
            assertThat(p.extension()).isTrue();
            assertThat(p.extensionProfile()).isEqualTo(id <= 14 ? RtpPacket.PROFILE_ONE_BYTE : RtpPacket.PROFILE_TWO_BYTE);
            assertStamped(p, id);
            assertThat(p.paddingLength()).isEqualTo(4);
        });
    }

    @Test
    void stopsAtTheOneByteStopIdAndGrowsInstead() {
        // stop id 15 first: zero bytes after it are not padding a receiver reads
        ByteBuf b = packet(0, bytes(0xBE, 0xDE, 0, 1, 0xF0, 0, 0, 0), 0);
        int length = b.readableBytes();
        assertThat(stamper.stamp(b, TCC_ID, SEQ)).isTrue();
        assertThat(b.readableBytes()).isEqualTo(length + 4);
        withPacket(b, p -> assertStamped(p, TCC_ID));
    }

    @Test
    void leavesPacketsItCannotStampUntouched() {
        ByteBuf otherProfile = packet(0, bytes(0x12, 0x34, 0, 1, 1, 2, 3, 4), 0);
        ByteBuf wrongLength = packet(0, bytes(0xBE, 0xDE, 0, 1, TCC_ID << 4 | 2, 0, 0, 0), 0);
        ByteBuf twoByteIdInOneByteBlock = packet(0, bytes(0xBE, 0xDE, 0, 1, 0x12, 'a', 'b', 'c'), 0);
        ByteBuf truncated = packet(0, null, 0).writerIndex(OFFSET + 11);
        try {
            for (ByteBuf b : new ByteBuf[] {otherProfile, wrongLength, truncated}) {
                byte[] before = ByteBufUtil.getBytes(b);
                assertThat(stamper.stamp(b, TCC_ID, SEQ)).isFalse();
                assertThat(ByteBufUtil.getBytes(b)).containsExactly(before);
            }
            byte[] before = ByteBufUtil.getBytes(twoByteIdInOneByteBlock);
            assertThat(stamper.stamp(twoByteIdInOneByteBlock, 20, SEQ)).isFalse();
            assertThat(ByteBufUtil.getBytes(twoByteIdInOneByteBlock)).containsExactly(before);
            assertThat(stamper.stamp(otherProfile, 0, SEQ)).isFalse();
            assertThat(stamper.stamp(otherProfile, 256, SEQ)).isFalse();
        } finally {
            otherProfile.release();
            wrongLength.release();
            twoByteIdInOneByteBlock.release();
            truncated.release();
        }
    }

    @Test
    void refusesToGrowABufferThatCannotGrow() {
        ByteBuf source = packet(0, null, 0);
        ByteBuf fixed = Unpooled.wrappedBuffer(ByteBufUtil.getBytes(source));
        source.release();
        assertThat(stamper.stamp(fixed, TCC_ID, SEQ)).isFalse();
        assertThat(fixed.getByte(0) & 0x10).isZero();
        fixed.release();
    }

    @ParameterizedTest
    @EnumSource(value = SrtpProfile.class, names = {"AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM"})
    void aStampedPacketSurvivesAnSrtpRoundTrip(SrtpProfile profile) {
        byte[] key = new byte[profile.keyLength()];
        byte[] salt = new byte[profile.saltLength()];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 7);
        }
        SrtpSession sender = new SrtpSession(profile, key, salt);
        SrtpSession receiver = new SrtpSession(profile, key, salt);
        // allocated the way callers do: the packet plus PeerConnection.SRTP_TAIL_ROOM, nothing more
        ByteBuf source = packet(0, bytes(0xBE, 0xDE, 0, 1, 0x12, 'a', 'b', 'c'), 0);
        ByteBuf b = Unpooled.directBuffer(OFFSET + source.readableBytes() + PeerConnection.SRTP_TAIL_ROOM,
                OFFSET + source.readableBytes() + PeerConnection.SRTP_TAIL_ROOM);
        b.writeZero(OFFSET).readerIndex(OFFSET);
        b.writeBytes(source, source.readerIndex(), source.readableBytes());
        source.release();
        assertThat(stamper.stamp(b, TCC_ID, SEQ)).isTrue();
        assertThat(sender.protectRtp(b)).isEqualTo(SrtpStatus.OK);
        assertThat(receiver.unprotectRtp(b)).isEqualTo(SrtpStatus.OK);
        withPacket(b, p -> assertStamped(p, TCC_ID));
    }
}
