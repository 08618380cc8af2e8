package io.relaymesh.node.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RtpPacketTest {

    /** Marker, one-byte extensions, no CSRC, no padding. */
    static final byte[] ONE_BYTE_PACKET = hex("""
            90 e0 1f 40     V=2 P=0 X=1 CC=0 | M=1 PT=96 | seq 8000
            00 01 e2 40     timestamp 123456
            12 34 56 78     SSRC
            be de 00 02     one-byte profile, 2 words of elements
            10 ab           id 1, L=0: 1 byte 0xab
            32 01 02 03     id 3, L=2: 3 bytes
            00 00           padding between elements
            ca fe ba be     payload
            """);

    /** CSRC, two-byte extensions, RTP padding, SSRC and timestamp above 2^31. */
    static final byte[] TWO_BYTE_PACKET = hex("""
            b1 6f 00 05     V=2 P=1 X=1 CC=1 | M=0 PT=111 | seq 5
            ff ff ff ff     timestamp 2^32-1
            87 65 43 21     SSRC 0x87654321
            00 00 00 2a     CSRC 42
            10 00 00 02     two-byte profile 0x1000, 2 words of elements
            05 00           id 5, length 0
            07 03 aa bb cc  id 7, length 3
            00              padding between elements
            01 02 03        payload
            00 00 03        RTP padding, count 3
            """);

    private static final int PREFIX = 7;
    private final List<ByteBuf> buffers = new ArrayList<>();

    @AfterEach
    void releaseBuffers() {
        buffers.forEach(ByteBuf::release);
    }

    static byte[] hex(String annotated) {
        StringBuilder digits = new StringBuilder();
        for (String line : annotated.split("\n")) {
            for (String token : line.trim().split("\\s+")) {
                if (!token.matches("[0-9a-fA-F]{2}")) {
                    break;
                }
                digits.append(token);
            }
        }
        return ByteBufUtil.decodeHexDump(digits);
    }

    /** The packet at reader index {@link #PREFIX}, with bytes before and after it that must stay unread. */
    ByteBuf atOffset(byte[] packet) {
        ByteBuf buf = Unpooled.buffer(PREFIX + packet.length + 5);
        buffers.add(buf);
        buf.writeBytes(new byte[PREFIX]).writeBytes(packet);
        buf.readerIndex(PREFIX);
        return buf;
    }

    @Test
    void oneBytePacketFieldsMatchTheGoldenBytes() throws ProtocolException {
        ByteBuf buf = atOffset(ONE_BYTE_PACKET);
        RtpPacket p = RtpPacket.parse(buf);

        assertThat(p.version()).isEqualTo(2);
        assertThat(p.padding()).isFalse();
        assertThat(p.extension()).isTrue();
        assertThat(p.csrcCount()).isZero();
        assertThat(p.marker()).isTrue();
        assertThat(p.payloadType()).isEqualTo(96);
        assertThat(p.sequenceNumber()).isEqualTo(8000);
        assertThat(p.timestamp()).isEqualTo(123456);
        assertThat(p.ssrc()).isEqualTo(0x12345678);
        assertThat(p.extensionProfile()).isEqualTo(RtpPacket.PROFILE_ONE_BYTE);
        assertThat(p.headerLength()).isEqualTo(24);
        assertThat(p.offset()).isEqualTo(PREFIX);
        assertThat(p.payloadOffset()).isEqualTo(PREFIX + 24);
        assertThat(p.payloadLength()).isEqualTo(4);
        assertThat(p.paddingLength()).isZero();
        assertThat(p.length()).isEqualTo(ONE_BYTE_PACKET.length);
        assertThat(p.findExtension(1)).isEqualTo(PREFIX + 17);
        assertThat(p.extensionLength(1)).isEqualTo(1);
        assertThat((int) buf.getUnsignedByte(p.findExtension(1))).isEqualTo(0xab);
        assertThat(p.findExtension(3)).isEqualTo(PREFIX + 19);
        assertThat(p.extensionLength(3)).isEqualTo(3);
        assertThat(p.findExtension(2)).isEqualTo(-1);
        assertThat(p.extensionLength(2)).isEqualTo(-1);
        assertThat(buf.readerIndex()).isEqualTo(PREFIX);
    }

    @Test
    void twoBytePacketFieldsMatchTheGoldenBytes() throws ProtocolException {
        ByteBuf buf = atOffset(TWO_BYTE_PACKET);
        RtpPacket p = RtpPacket.parse(buf);

        assertThat(p.padding()).isTrue();
        assertThat(p.csrcCount()).isEqualTo(1);
        assertThat(p.csrc(0)).isEqualTo(42);
        assertThat(p.marker()).isFalse();
        assertThat(p.payloadType()).isEqualTo(111);
        assertThat(p.sequenceNumber()).isEqualTo(5);
        assertThat(Integer.toUnsignedLong(p.timestamp())).isEqualTo(0xFFFF_FFFFL);
        assertThat(Integer.toUnsignedLong(p.ssrc())).isEqualTo(0x8765_4321L);
        assertThat(p.extensionProfile()).isEqualTo(0x1000);
        assertThat(p.headerLength()).isEqualTo(28);
        assertThat(p.payloadOffset()).isEqualTo(PREFIX + 28);
        assertThat(p.payloadLength()).isEqualTo(3);
        assertThat(p.paddingLength()).isEqualTo(3);
        assertThat(p.findExtension(5)).isEqualTo(PREFIX + 22);
        assertThat(p.extensionLength(5)).isZero();
        assertThat(p.findExtension(7)).isEqualTo(PREFIX + 24);
        assertThat(p.extensionLength(7)).isEqualTo(3);
        assertThat(p.findExtension(6)).isEqualTo(-1);
        assertThatThrownBy(() -> p.csrc(1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void settersRewriteOnlyTheirFieldsInPlace() throws ProtocolException {
        ByteBuf buf = atOffset(ONE_BYTE_PACKET);
        RtpPacket p = RtpPacket.parse(buf);
        p.setSequenceNumber(0xFFFF);
        p.setTimestamp(0xDEADBEEF);
        p.setSsrc(0x0BADF00D);
        p.setPayloadType(100);
        p.setMarker(false);

        byte[] expected = ONE_BYTE_PACKET.clone();
        System.arraycopy(hex("90 64 ff ff de ad be ef 0b ad f0 0d"), 0, expected, 0, 12);
        assertThat(ByteBufUtil.getBytes(buf)).isEqualTo(expected);
        assertThat(p.payloadType()).isEqualTo(100);
        assertThat(p.marker()).isFalse();
        p.setMarker(true);
        assertThat((int) buf.getUnsignedByte(PREFIX + 1)).isEqualTo(0x80 | 100);
        assertThatThrownBy(() -> p.setPayloadType(128)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void oneByteIdsAreRemappedAndDroppedInPlace() throws ProtocolException {
        ByteBuf buf = atOffset(ONE_BYTE_PACKET);
        RtpPacket p = RtpPacket.parse(buf);
        byte[] map = identity(16);
        map[1] = 5;
        map[3] = 0;

        assertThat(p.rewriteExtensionIds(map)).isTrue();

        byte[] expected = ONE_BYTE_PACKET.clone();
        System.arraycopy(hex("50 ab 00 00 00 00 00 00"), 0, expected, 16, 8);
        assertThat(ByteBufUtil.getBytes(buf)).isEqualTo(expected);
        assertThat(p.findExtension(5)).isEqualTo(PREFIX + 17);
        assertThat(p.findExtension(1)).isEqualTo(-1);
        assertThat(p.findExtension(3)).isEqualTo(-1);
        assertThat(p.rewriteExtensionIds(identity(16))).isFalse();
        assertThat(RtpPacket.parse(buf).payloadLength()).isEqualTo(4);
    }

    @Test
    void twoByteIdsAreRemappedAndDroppedInPlace() throws ProtocolException {
        ByteBuf buf = atOffset(TWO_BYTE_PACKET);
        RtpPacket p = RtpPacket.parse(buf);
        byte[] map = identity(256);
        map[5] = (byte) 200;
        map[7] = 0;

        assertThat(p.rewriteExtensionIds(map)).isTrue();

        byte[] expected = TWO_BYTE_PACKET.clone();
        System.arraycopy(hex("c8 00 00 00 00 00 00 00"), 0, expected, 20, 8);
        assertThat(ByteBufUtil.getBytes(buf)).isEqualTo(expected);
        assertThat(p.findExtension(200)).isEqualTo(PREFIX + 22);
        assertThat(p.findExtension(7)).isEqualTo(-1);
    }

    @Test
    void rewritingRejectsMapsThatDoNotFitTheProfileWithoutTouchingThePacket() throws ProtocolException {
        ByteBuf buf = atOffset(ONE_BYTE_PACKET);
        RtpPacket p = RtpPacket.parse(buf);
        byte[] tooBig = identity(16);
        tooBig[1] = 9;
        tooBig[3] = 15;
        assertThatThrownBy(() -> p.rewriteExtensionIds(tooBig)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> p.rewriteExtensionIds(new byte[8])).isInstanceOf(IllegalArgumentException.class);
        assertThat(ByteBufUtil.getBytes(buf)).isEqualTo(ONE_BYTE_PACKET);
    }

    @Test
    void oneByteIdFifteenEndsTheElementList() throws ProtocolException {
        byte[] packet = ONE_BYTE_PACKET.clone();
        packet[16] = (byte) 0xF0; // id 15 replaces id 1: the id 3 element behind it is no longer visible
        RtpPacket p = RtpPacket.parse(atOffset(packet));
        assertThat(p.findExtension(3)).isEqualTo(-1);
        assertThat(p.rewriteExtensionIds(identity(16))).isFalse();
    }

    @Test
    void oneViewIsReusedAcrossPackets() throws ProtocolException {
        RtpPacket view = new RtpPacket();
        assertThat(view.wrap(atOffset(ONE_BYTE_PACKET)).sequenceNumber()).isEqualTo(8000);
        assertThat(view.wrap(atOffset(TWO_BYTE_PACKET)).sequenceNumber()).isEqualTo(5);
        assertThat(view.findExtension(7)).isEqualTo(PREFIX + 24);
    }

    @Test
    void parsingFindingAndRewritingAllocateNothing() throws ProtocolException {
        // A plain heap buffer: the leak detector's access records would themselves allocate.
        ByteBuf buf = Unpooled.wrappedBuffer(ONE_BYTE_PACKET.clone());
        RtpPacket view = new RtpPacket();
        byte[] map = identity(16);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int round = 0; round < 2; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20_000; i++) {
                view.wrap(buf);
                view.setSequenceNumber(i);
                sink += view.findExtension(3) + view.extensionLength(1) + view.payloadLength();
                view.rewriteExtensionIds(map);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round == 1) {
                // Far below one byte per packet: the loop itself allocates nothing.
                assertThat(allocated).isLessThan(1024);
            }
        }
        assertThat(sink).isPositive();
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("version 1", hex("50 60 00 01 00 00 00 00 00 00 00 01"), "version 1"),
                Arguments.of("11 bytes", hex("80 60 00 01 00 00 00 00 00 00 00"), "shorter"),
                Arguments.of("CSRC count 15 with one CSRC", hex("8f 60 00 01 00 00 00 00 00 00 00 01 00 00 00 02"),
                        "CSRC"),
                Arguments.of("extension header missing", hex("90 60 00 01 00 00 00 00 00 00 00 01 be de"),
                        "extension header"),
                Arguments.of("extension words overrun",
                        hex("90 60 00 01 00 00 00 00 00 00 00 01 be de 00 02 10 ab 00 00"), "overruns the packet"),
                Arguments.of("one-byte element overruns the block",
                        hex("90 60 00 01 00 00 00 00 00 00 00 01 be de 00 01 10 ab 32 01 ff"), "overruns the extension"),
                Arguments.of("two-byte element overruns the block",
                        hex("90 60 00 01 00 00 00 00 00 00 00 01 10 00 00 01 07 05 01 02 ff"), "overruns the extension"),
                Arguments.of("two-byte element header cut by the block end",
                        hex("90 60 00 01 00 00 00 00 00 00 00 01 10 00 00 01 00 00 00 07 ff"), "truncated"),
                Arguments.of("padding bit without a count byte", hex("a0 60 00 01 00 00 00 00 00 00 00 01"),
                        "no padding count"),
                Arguments.of("padding count 0", hex("a0 60 00 01 00 00 00 00 00 00 00 01 01 00"), "padding count 0"),
                Arguments.of("padding count beyond the payload", hex("a0 60 00 01 00 00 00 00 00 00 00 01 01 03"),
                        "padding count 3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedPacketsAreRejectedWithAReason(String name, byte[] packet, String reason) {
        ByteBuf buf = atOffset(packet);
        RtpPacket view = new RtpPacket();
        assertThatThrownBy(() -> view.wrap(buf)).isInstanceOf(ProtocolException.class).hasMessageContaining(reason);
    }

    static Stream<Arguments> headerTruncations() {
        return Stream.of(Arguments.of("one-byte", ONE_BYTE_PACKET, 24), Arguments.of("two-byte", TWO_BYTE_PACKET, 28))
                .flatMap(a -> IntStream.range(0, (int) a.get()[2])
                        .mapToObj(n -> Arguments.of(a.get()[0], n, a.get()[1])));
    }

    @ParameterizedTest(name = "{0} cut to {1} bytes")
    @MethodSource("headerTruncations")
    void everyCutInsideTheHeaderIsRejected(String name, int kept, byte[] packet) {
        ByteBuf buf = atOffset(java.util.Arrays.copyOf(packet, kept));
        assertThatThrownBy(() -> RtpPacket.parse(buf)).isInstanceOf(ProtocolException.class);
    }

    static byte[] identity(int size) {
        byte[] map = new byte[size];
        for (int i = 0; i < size; i++) {
            map[i] = (byte) i;
        }
        return map;
    }
}
