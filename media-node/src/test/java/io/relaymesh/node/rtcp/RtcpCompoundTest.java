package io.relaymesh.node.rtcp;

import static io.relaymesh.node.rtcp.RtcpGolden.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RtcpCompoundTest {

    private static final int PREFIX = 9;
    private final List<ByteBuf> buffers = new ArrayList<>();

    @AfterEach
    void releaseBuffers() {
        buffers.forEach(ByteBuf::release);
    }

    private ByteBuf atOffset(byte[]... packets) {
        ByteBuf buf = Unpooled.buffer();
        buffers.add(buf);
        buf.writeZero(PREFIX);
        for (byte[] packet : packets) {
            buf.writeBytes(packet);
        }
        buf.readerIndex(PREFIX);
        return buf;
    }

    @Test
    void walksTheSenderReportAndCnameChromiumSends() throws ProtocolException {
        ByteBuf buf = atOffset(RtcpGolden.SENDER_REPORT, RtcpGolden.CNAME_SDES);
        RtcpCompound walker = new RtcpCompound().reset(buf);

        assertThat(walker.next()).isTrue();
        assertThat(walker.version()).isEqualTo(2);
        assertThat(walker.padding()).isFalse();
        assertThat(walker.packetType()).isEqualTo(RtcpPacketType.SR);
        assertThat(walker.count()).isZero();
        assertThat(walker.lengthWords()).isEqualTo(6);
        assertThat(walker.length()).isEqualTo(28);
        assertThat(walker.offset()).isEqualTo(PREFIX);
        assertThat(walker.ssrc()).isEqualTo(0xaabbccdd);
        SenderReport sr = SenderReport.parse(buf, walker.offset());
        assertThat(sr.packetCount()).isEqualTo(300);
        assertThat(sr.octetCount()).isEqualTo(300000);
        assertThat(sr.rtpTimestamp()).isEqualTo(90000);

        assertThat(walker.next()).isTrue();
        assertThat(walker.packetType()).isEqualTo(RtcpPacketType.SDES);
        assertThat(walker.count()).isEqualTo(1);
        assertThat(walker.offset()).isEqualTo(PREFIX + 28);
        assertThat(SourceDescription.parse(buf, walker.offset()).cnameOf(sr.senderSsrc()))
                .isEqualTo(RtcpGolden.CNAME);

        assertThat(walker.next()).isFalse();
        assertThat(walker.offset()).isEqualTo(-1);
        assertThat(buf.readerIndex()).isEqualTo(PREFIX);
    }

    @Test
    void walksFeedbackByFmt() throws ProtocolException {
        ByteBuf buf = atOffset(RtcpGolden.RECEIVER_REPORT, RtcpGolden.NACK, RtcpGolden.PLI, RtcpGolden.FIR,
                RtcpGolden.REMB, RtcpGolden.BYE);
        RtcpCompound walker = new RtcpCompound().reset(buf);
        List<String> seen = new ArrayList<>();
        while (walker.next()) {
            seen.add(walker.packetType() + "/" + walker.fmt());
            if (walker.packetType() == RtcpPacketType.PSFB && walker.fmt() == RtcpPacketType.FMT_AFB) {
                assertThat(Remb.isRemb(buf, walker.offset())).isTrue();
                assertThat(Remb.parse(buf, walker.offset()).bitrate()).isEqualTo(1_000_000);
            }
        }
        assertThat(seen).containsExactly("201/1", "205/1", "206/1", "206/4", "206/15", "203/2");
    }

    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of("last packet overruns", new byte[][] {RtcpGolden.PLI, hex("81 ce 00 03 00 00 00 01")},
                        "overruns"),
                Arguments.of("second packet version 0", new byte[][] {RtcpGolden.PLI, hex("01 ce 00 00")}, "version 0"),
                Arguments.of("three stray bytes", new byte[][] {RtcpGolden.PLI, hex("81 ce 00")}, "truncated"),
                Arguments.of("padding count 0", new byte[][] {hex("a1 ce 00 02 00 00 00 01 00 00 00 00")},
                        "padding count 0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void brokenCompoundsStopTheWalkWithAReason(String name, byte[][] packets, String reason) throws ProtocolException {
        RtcpCompound walker = new RtcpCompound().reset(atOffset(packets));
        int walked = 0;
        ProtocolException failure = null;
        try {
            while (walker.next()) {
                walked++;
            }
        } catch (ProtocolException e) {
            failure = e;
        }
        assertThat(failure).isNotNull().hasMessageContaining(reason);
        assertThat(walked).isEqualTo(packets.length - 1);
        assertThat(walker.next()).isFalse();
    }

    @Test
    void anEmptyBufferHasNoPackets() throws ProtocolException {
        assertThat(new RtcpCompound().reset(atOffset()).next()).isFalse();
    }

    @Test
    void walkingAllocatesNothing() throws ProtocolException {
        byte[] compound = new byte[RtcpGolden.SENDER_REPORT.length + RtcpGolden.CNAME_SDES.length + RtcpGolden.REMB.length];
        System.arraycopy(RtcpGolden.SENDER_REPORT, 0, compound, 0, 28);
        System.arraycopy(RtcpGolden.CNAME_SDES, 0, compound, 28, 28);
        System.arraycopy(RtcpGolden.REMB, 0, compound, 56, 24);
        ByteBuf buf = Unpooled.wrappedBuffer(compound); // not leak-tracked: tracking records allocate
        RtcpCompound walker = new RtcpCompound();
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int round = 0; round < 2; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20_000; i++) {
                walker.reset(buf);
                while (walker.next()) {
                    sink += walker.packetType() + walker.fmt() + walker.length() + walker.ssrc();
                }
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round == 1) {
                assertThat(allocated).isLessThan(1024);
            }
        }
        assertThat(sink).isNotZero();
    }

    @Test
    void isRtcpTellsRtcpFromRtpOnAMuxedPort() {
        assertThat(RtcpCompound.isRtcp(atOffset(RtcpGolden.SENDER_REPORT))).isTrue();
        assertThat(RtcpCompound.isRtcp(atOffset(RtcpGolden.REMB))).isTrue();
        assertThat(RtcpCompound.isRtcp(atOffset(hex("80 60 00 01")))).isFalse(); // RTP PT 96
        assertThat(RtcpCompound.isRtcp(atOffset(hex("80 ef 00 01")))).isFalse(); // RTP marker + PT 111
        assertThat(RtcpCompound.isRtcp(atOffset(hex("80 e0 00 01")))).isFalse(); // 224: outside 192..223
        assertThat(RtcpCompound.isRtcp(atOffset(hex("80 c0 00 01")))).isTrue(); // 192: lowest RTCP
        assertThat(RtcpCompound.isRtcp(atOffset(hex("00 01 00 00")))).isFalse(); // STUN
        assertThat(RtcpCompound.isRtcp(atOffset(hex("c1 c8 00 00")))).isFalse(); // version 3
        assertThat(RtcpCompound.isRtcp(atOffset(hex("80")))).isFalse();
    }
}
