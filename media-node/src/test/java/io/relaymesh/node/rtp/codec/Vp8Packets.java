package io.relaymesh.node.rtp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.relaymesh.node.rtp.RtpHeaderWriter;
import io.relaymesh.node.rtp.RtpPacket;

/** VP8 RTP packets with a full payload descriptor (RFC 7741) for the layer tests, at a non-zero reader index. */
public final class Vp8Packets {

    /** Bytes in front of every packet, so nothing may assume a packet starts at index 0. */
    public static final int LEADING_JUNK = 5;

    private Vp8Packets() {
    }

    /**
     * One packet: X=1 with I (15-bit picture id), L (TL0PICIDX) and T (TID, Y); a keyframe's first packet carries
     * the VP8 key frame header with {@code width} x {@code height}; the rest of the payload is {@code fill}.
     */
    public static ByteBuf packet(int payloadType, int seq, int ts, int ssrc, boolean frameStart, boolean keyframe,
                                 int pictureId, int tl0PicIdx, int tid, boolean sync, int width, int height,
                                 int fill, int payloadLength) {
        // A wrapped array: not leak-tracked, so thousands of these stay cheap under paranoid leak detection.
        ByteBuf b = Unpooled.wrappedBuffer(new byte[LEADING_JUNK + RtpPacket.FIXED_HEADER_LENGTH + payloadLength + 64])
                .clear();
        b.writeZero(LEADING_JUNK);
        b.readerIndex(LEADING_JUNK);
        RtpHeaderWriter.writeHeader(b, payloadType, false, seq, ts, ssrc);
        int start = b.writerIndex();
        b.writeByte(0x80 | (frameStart ? 0x10 : 0)); // X, S, PID 0
        b.writeByte(0xE0); // I, L, T
        b.writeShort(0x8000 | (pictureId & 0x7FFF));
        b.writeByte(tl0PicIdx);
        b.writeByte(tid << 6 | (sync ? 0x20 : 0));
        if (frameStart) {
            b.writeByte(keyframe ? 0x10 : 0x11).writeByte(0).writeByte(0); // frame tag, P = 0 for key frames
            if (keyframe) {
                b.writeByte(0x9d).writeByte(0x01).writeByte(0x2a).writeShortLE(width).writeShortLE(height);
            }
        }
        while (b.writerIndex() - start < payloadLength) {
            b.writeByte(fill);
        }
        return b;
    }

    /** The descriptor of {@code packet} (a reader index at the RTP header). */
    public static Vp8PayloadDescriptor descriptor(ByteBuf packet) throws io.relaymesh.node.protocol.ProtocolException {
        RtpPacket rtp = new RtpPacket().wrap(packet);
        return new Vp8PayloadDescriptor().wrap(packet, rtp.payloadOffset(), rtp.payloadOffset() + rtp.payloadLength());
    }
}
