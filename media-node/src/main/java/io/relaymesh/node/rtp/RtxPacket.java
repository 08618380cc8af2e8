package io.relaymesh.node.rtp;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;

/**
 * RTP retransmission payload format (RFC 4588 section 4): an RTX packet carries the original packet's
 * payload behind the original sequence number (OSN), on its own SSRC, payload type and sequence space.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         RTP Header                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            OSN                |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
 * |                  Original RTP Packet Payload                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The header (CSRCs and header extensions included) and the marker and timestamp are carried over
 * unchanged; the original's padding is dropped. Both directions copy into a caller-supplied buffer so the
 * original, which may still sit in a retransmission cache, stays untouched.
 */
public final class RtxPacket {

    /** Bytes of the original sequence number in front of the payload. */
    public static final int OSN_LENGTH = 2;

    private RtxPacket() {
    }

    /**
     * Writes the RTX form of {@code original} at {@code out}'s writer index.
     *
     * @return bytes written
     */
    public static int wrap(RtpPacket original, ByteBuf out, int rtxPayloadType, int rtxSsrc,
            int rtxSequenceNumber) {
        int start = copyHeader(original, out, rtxPayloadType, rtxSsrc, rtxSequenceNumber);
        out.writeShort(original.sequenceNumber());
        out.writeBytes(original.buffer(), original.payloadOffset(), original.payloadLength());
        return out.writerIndex() - start;
    }

    /** The OSN of an RTX packet. */
    public static int originalSequenceNumber(RtpPacket rtx) throws ProtocolException {
        requireOsn(rtx);
        return rtx.buffer().getUnsignedShort(rtx.payloadOffset());
    }

    /**
     * Writes the original packet recovered from {@code rtx} at {@code out}'s writer index.
     *
     * @return bytes written
     * @throws ProtocolException if the RTX payload is too short to hold an OSN (e.g. an RTX padding probe)
     */
    public static int unwrap(RtpPacket rtx, ByteBuf out, int originalPayloadType, int originalSsrc)
            throws ProtocolException {
        int osn = originalSequenceNumber(rtx);
        int start = copyHeader(rtx, out, originalPayloadType, originalSsrc, osn);
        out.writeBytes(rtx.buffer(), rtx.payloadOffset() + OSN_LENGTH, rtx.payloadLength() - OSN_LENGTH);
        return out.writerIndex() - start;
    }

    private static void requireOsn(RtpPacket rtx) throws ProtocolException {
        if (rtx.payloadLength() < OSN_LENGTH) {
            throw new ProtocolException("RTX payload of " + rtx.payloadLength() + " bytes has no OSN");
        }
    }

    private static int copyHeader(RtpPacket from, ByteBuf out, int payloadType, int ssrc, int sequenceNumber) {
        if ((payloadType & ~RtpPacket.PAYLOAD_TYPE_MASK) != 0) {
            throw new IllegalArgumentException("RTP payload type out of 0..127: " + payloadType);
        }
        int start = out.writerIndex();
        out.writeBytes(from.buffer(), from.offset(), from.headerLength());
        out.setByte(start, out.getByte(start) & ~RtpPacket.PADDING_BIT);
        out.setByte(start + RtpPacket.OFFSET_MARKER_PT,
                (out.getByte(start + RtpPacket.OFFSET_MARKER_PT) & RtpPacket.MARKER_BIT) | payloadType);
        out.setShort(start + RtpPacket.OFFSET_SEQUENCE, sequenceNumber);
        out.setInt(start + RtpPacket.OFFSET_SSRC, ssrc);
        return start;
    }
}
