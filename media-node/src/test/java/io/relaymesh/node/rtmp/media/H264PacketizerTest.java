package io.relaymesh.node.rtmp.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtp.RtpPacket;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class H264PacketizerTest {

    private static final byte[] SPS = HexFormat.of().parseHex("6742c01fd9005005b2");
    private static final byte[] PPS = HexFormat.of().parseHex("68cb83cb");
    private static final int SSRC = 0x1234_5678;

    private final H264Packetizer packetizer = new H264Packetizer(ByteBufAllocator.DEFAULT, 96, SSRC, 65534, 100);
    private final List<ByteBuf> packets = new ArrayList<>();
    private final List<ByteBuf> inputs = new ArrayList<>();

    @AfterEach
    void release() {
        packets.forEach(ByteBuf::release);
        inputs.forEach(ByteBuf::release);
    }

    private ByteBuf nal(int header, int length) {
        ByteBuf b = Unpooled.buffer();
        b.writeZero(3);
        b.readerIndex(3); // NAL units are slices inside a larger message
        b.writeByte(header);
        for (int i = 1; i < length; i++) {
            b.writeByte(i);
        }
        inputs.add(b);
        return b;
    }

    private RtpPacket rtp(int index) throws ProtocolException {
        return new RtpPacket().wrap(packets.get(index));
    }

    private String payloadHex(int index) throws ProtocolException {
        RtpPacket p = rtp(index);
        return ByteBufUtil.hexDump(packets.get(index), p.payloadOffset(), p.payloadLength());
    }

    @Test
    void aSmallNalUnitTravelsAloneWithTheMarkerBit() throws ProtocolException {
        ByteBuf slice = nal(0x41, 20);
        packetizer.packetize(List.of(slice), 90_000, packets::add);
        assertThat(packets).hasSize(1);
        RtpPacket p = rtp(0);
        assertThat(p.payloadType()).isEqualTo(96);
        assertThat(p.ssrc()).isEqualTo(SSRC);
        assertThat(p.timestamp()).isEqualTo(90_000);
        assertThat(p.sequenceNumber()).isEqualTo(65534);
        assertThat(p.marker()).isTrue();
        assertThat(payloadHex(0)).isEqualTo(ByteBufUtil.hexDump(slice));
    }

    @Test
    void everyIdrPictureIsPrecededBySpsAndPpsInOneStapA() throws ProtocolException {
        packetizer.parameterSets(List.of(SPS), List.of(PPS));
        packetizer.packetize(List.of(nal(0x09, 2), nal(0x65, 30)), 3000, packets::add); // AUD dropped
        packetizer.packetize(List.of(nal(0x41, 10)), 6000, packets::add);
        packetizer.packetize(List.of(nal(0x65, 30)), 9000, packets::add);
        assertThat(packets).hasSize(5);
        // STAP-A: F=0, NRI=3 (max of the units), type 24 | size | SPS | size | PPS
        assertThat(payloadHex(0)).isEqualTo("78" + "0009" + "6742c01fd9005005b2" + "0004" + "68cb83cb");
        assertThat(rtp(0).marker()).isFalse();
        assertThat(rtp(0).timestamp()).isEqualTo(3000);
        assertThat(rtp(1).marker()).isTrue();
        assertThat(payloadHex(2)).startsWith("41");
        assertThat(payloadHex(3)).startsWith("78");
        assertThat(rtp(3).timestamp()).isEqualTo(9000);
        // sequence numbers run on across the wrap
        assertThat(List.of(rtp(0).sequenceNumber(), rtp(1).sequenceNumber(), rtp(2).sequenceNumber(),
                rtp(3).sequenceNumber(), rtp(4).sequenceNumber())).containsExactly(65534, 65535, 0, 1, 2);
    }

    @Test
    void inBandParameterSetsReplaceTheCachedOnesAndAreNotSentTwice() throws ProtocolException {
        packetizer.parameterSets(List.of(SPS), List.of(PPS));
        packetizer.packetize(List.of(nal(0x67, 5), nal(0x68, 3), nal(0x65, 10)), 0, packets::add);
        assertThat(packets).hasSize(2);
        assertThat(payloadHex(0)).isEqualTo("78" + "0005" + "6701020304" + "0003" + "680102");
    }

    @Test
    void aLargeNalUnitIsSplitIntoFuAFragmentsThatReassemble() throws ProtocolException {
        ByteBuf idr = nal(0x65, 350); // 349 bytes after the header; 98 per fragment -> 4 fragments
        packetizer.packetize(List.of(idr), 1234, packets::add);
        assertThat(packets).hasSize(4);
        ByteArrayOutputStream reassembled = new ByteArrayOutputStream();
        for (int i = 0; i < packets.size(); i++) {
            RtpPacket p = rtp(i);
            ByteBuf b = packets.get(i);
            int indicator = b.getUnsignedByte(p.payloadOffset());
            int header = b.getUnsignedByte(p.payloadOffset() + 1);
            assertThat(indicator).as("FU indicator: NRI of the NAL, type 28").isEqualTo(0x60 | 28);
            assertThat(header & 0x80).as("S bit").isEqualTo(i == 0 ? 0x80 : 0);
            assertThat(header & 0x40).as("E bit").isEqualTo(i == packets.size() - 1 ? 0x40 : 0);
            assertThat(header & 0x1F).as("original type").isEqualTo(5);
            assertThat(p.payloadLength()).isLessThanOrEqualTo(100);
            assertThat(p.marker()).isEqualTo(i == packets.size() - 1);
            assertThat(p.timestamp()).isEqualTo(1234);
            if (i == 0) {
                reassembled.write((indicator & 0xE0) | (header & 0x1F));
            }
            byte[] fragment = new byte[p.payloadLength() - 2];
            b.getBytes(p.payloadOffset() + 2, fragment);
            reassembled.writeBytes(fragment);
        }
        assertThat(HexFormat.of().formatHex(reassembled.toByteArray())).isEqualTo(ByteBufUtil.hexDump(idr));
    }

    @Test
    void onlyDelimitersMeansNothingToSend() {
        packetizer.packetize(List.of(nal(0x09, 2), nal(0x0c, 4)), 0, packets::add);
        assertThat(packets).isEmpty();
    }

    @Test
    void theInputIsNeitherConsumedNorReleased() {
        ByteBuf slice = nal(0x41, 300);
        int reader = slice.readerIndex();
        packetizer.packetize(List.of(slice), 0, packets::add);
        assertThat(slice.readerIndex()).isEqualTo(reader);
        assertThat(slice.refCnt()).isEqualTo(1);
    }
}
