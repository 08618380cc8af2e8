package io.relaymesh.node.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Writes fresh RTP headers (RFC 3550 section 5.1) for packets the SFU originates itself: RTX
 * retransmissions and padding-only probes. See {@link RtpPacket} for the field diagram.
 */
public final class RtpHeaderWriter {

    /** RFC 3550 section 5.1: the padding count is one byte and includes itself. */
    public static final int MAX_PADDING = 255;

    private RtpHeaderWriter() {
    }

    /**
     * Writes a 12-byte header (no CSRCs, no extension, no padding) at the writer index.
     *
     * @return the index the header starts at
     */
    public static int writeHeader(ByteBuf out, int payloadType, boolean marker, int sequenceNumber, int timestamp,
            int ssrc) {
        if ((payloadType & ~RtpPacket.PAYLOAD_TYPE_MASK) != 0) {
            throw new IllegalArgumentException("RTP payload type out of 0..127: " + payloadType);
        }
        int start = out.writerIndex();
        out.writeByte(RtpPacket.VERSION << RtpPacket.VERSION_SHIFT);
        out.writeByte((marker ? RtpPacket.MARKER_BIT : 0) | payloadType);
        out.writeShort(sequenceNumber);
        out.writeInt(timestamp);
        out.writeInt(ssrc);
        return start;
    }

    /**
     * Writes a padding-only packet (used to probe bandwidth): a header with P set followed by
     * {@code paddingLength} bytes, zeros except the last, which holds the count.
     *
     * @return bytes written
     */
    public static int writePaddingPacket(ByteBuf out, int payloadType, int sequenceNumber, int timestamp, int ssrc,
            int paddingLength) {
        if (paddingLength < 1 || paddingLength > MAX_PADDING) {
            throw new IllegalArgumentException("RTP padding length out of 1..255: " + paddingLength);
        }
        int start = writeHeader(out, payloadType, false, sequenceNumber, timestamp, ssrc);
        out.setByte(start, out.getByte(start) | RtpPacket.PADDING_BIT);
        out.writeZero(paddingLength - 1);
        out.writeByte(paddingLength);
        return out.writerIndex() - start;
    }
}
