package io.relaymesh.node.sfu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.relaymesh.node.rtp.RtpHeaderWriter;
import io.relaymesh.node.rtp.RtpPacket;
import java.util.Map;

/** Publisher-side RTP packets for the forwarding tests and the benchmark. */
final class RtpFixtures {

    static final String MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    static final String ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";

    /** The publisher's one-byte extension ids. */
    static final int PUB_MID_ID = 4;
    static final int PUB_ABS_SEND_TIME_ID = 2;
    static final int PUB_TRANSPORT_CC_ID = 3;
    static final Map<String, Integer> PUBLISHER_EXTENSIONS = Map.of(MID, PUB_MID_ID, ABS_SEND_TIME,
            PUB_ABS_SEND_TIME_ID, DownTrack.TRANSPORT_CC, PUB_TRANSPORT_CC_ID);

    /** Bytes in front of every packet, so nothing may assume a packet starts at index 0. */
    static final int LEADING_JUNK = 7;
    /** Extension block: 0xBEDE header + mid (1+1) + abs-send-time (1+3) + transport-cc (1+2), padded to 3 words. */
    static final int EXTENSION_BLOCK = 4 + 12;
    /** Index of each element's header byte inside the packet (after the 12-byte fixed header). */
    static final int MID_ELEMENT = RtpPacket.FIXED_HEADER_LENGTH + 4;
    static final int ABS_SEND_TIME_ELEMENT = MID_ELEMENT + 2;
    static final int TRANSPORT_CC_ELEMENT = ABS_SEND_TIME_ELEMENT + 4;

    private RtpFixtures() {
    }

    /**
     * A VP8 packet with the three extensions, at reader index {@link #LEADING_JUNK} of a fresh buffer with room
     * for the SRTP trailer.
     *
     * @param frameStart first packet of a frame (S=1)
     * @param keyframe   the frame is a keyframe (P=0 in the VP8 payload header)
     */
    static ByteBuf vp8(ByteBufAllocator alloc, int payloadType, int seq, int ts, int ssrc, boolean frameStart,
                       boolean keyframe, int payloadLength) {
        ByteBuf b = alloc.directBuffer(LEADING_JUNK + RtpPacket.FIXED_HEADER_LENGTH + EXTENSION_BLOCK + payloadLength
                + 32);
        b.writeZero(LEADING_JUNK);
        b.readerIndex(LEADING_JUNK);
        int start = RtpHeaderWriter.writeHeader(b, payloadType, false, seq, ts, ssrc);
        b.setByte(start, b.getByte(start) | 0x10); // X: a header extension follows
        b.writeShort(RtpPacket.PROFILE_ONE_BYTE);
        b.writeShort(3); // words
        b.writeByte(PUB_MID_ID << 4).writeByte('v'); // L=0: one data byte
        b.writeByte(PUB_ABS_SEND_TIME_ID << 4 | 2).writeMedium(0x123456);
        b.writeByte(PUB_TRANSPORT_CC_ID << 4 | 1).writeShort(seq);
        b.writeZero(3); // padding to the word boundary
        // VP8 payload descriptor (RFC 7741): X=1, S, PID=0; I=1; 15-bit picture id; then the VP8 header.
        b.writeByte(frameStart ? 0x90 : 0x80);
        b.writeByte(0x80);
        b.writeShort(0x8000 | (seq & 0x7FFF));
        b.writeByte(keyframe ? 0x10 : 0x11); // P bit (lowest): 0 for keyframes
        for (int i = 5; i < payloadLength; i++) {
            b.writeByte(i * 31 + seq);
        }
        return b;
    }
}
