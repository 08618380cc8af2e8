package io.relaymesh.node.rtcp;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;

/**
 * An allocation-free walk over the packets of a compound RTCP packet (RFC 3550 section 6.1), e.g. an SR
 * followed by an SDES as browsers send them, or a single feedback packet under reduced-size RTCP
 * (RFC 5506).
 *
 * <pre>
 * |V=2|P| RC/FMT  |      PT       |             length            |  packet 1 ...
 * |V=2|P| RC/FMT  |      PT       |             length            |  packet 2 ...
 * </pre>
 *
 * Usage: {@code walker.reset(buf); while (walker.next()) { switch (walker.packetType()) ... }} and hand
 * {@link #offset()} to the matching type's {@code parse(buf, offset)}. The walker covers the buffer's readable
 * bytes, never moves its indexes and never retains it. Each {@link #next} checks the version, that the length
 * stays inside the compound and that a padding count fits; the type-specific checks belong to the types.
 */
public final class RtcpCompound {

    /** RFC 5761 section 4: RTCP packet types on a muxed port occupy the second byte range 192..223. */
    static final int MUX_MIN_TYPE = 192;
    static final int MUX_MAX_TYPE = 223;
    static final int RTP_RTCP_MIN_FIRST_BYTE = 128;
    static final int RTP_RTCP_MAX_FIRST_BYTE = 191;

    private ByteBuf buf;
    private int end;
    private int next;
    private int offset = -1;
    private int length;

    /**
     * True when the readable bytes start like RTCP rather than RTP on a port that carries both: first byte
     * 128..191 (version 2) and second byte, the RTCP packet type, 192..223 (RFC 5761 section 4).
     */
    public static boolean isRtcp(ByteBuf buf) {
        if (buf.readableBytes() < 2) {
            return false;
        }
        int first = buf.getUnsignedByte(buf.readerIndex());
        int second = buf.getUnsignedByte(buf.readerIndex() + 1);
        return first >= RTP_RTCP_MIN_FIRST_BYTE && first <= RTP_RTCP_MAX_FIRST_BYTE
                && second >= MUX_MIN_TYPE && second <= MUX_MAX_TYPE;
    }

    /** Starts a walk over {@code buf}'s readable bytes. @return this */
    public RtcpCompound reset(ByteBuf buf) {
        this.buf = buf;
        this.next = buf.readerIndex();
        this.end = buf.writerIndex();
        this.offset = -1;
        this.length = 0;
        return this;
    }

    /**
     * Moves to the next packet.
     *
     * @return false when the compound is exhausted
     * @throws ProtocolException if the next header is truncated, not version 2, overruns the compound or has
     *     an impossible padding count; the walk cannot continue after that
     */
    public boolean next() throws ProtocolException {
        if (next == end) {
            offset = -1;
            return false;
        }
        if (end - next < RtcpHeader.LENGTH) {
            throw fail("RTCP header truncated: " + (end - next) + " bytes left in the compound");
        }
        int first = buf.getUnsignedByte(next);
        if (first >>> RtcpHeader.VERSION_SHIFT != RtcpHeader.VERSION) {
            throw fail("RTCP version " + (first >>> RtcpHeader.VERSION_SHIFT) + ", expected 2");
        }
        int len = (buf.getUnsignedShort(next + RtcpHeader.OFFSET_LENGTH) + 1) * 4;
        if (len > end - next) {
            throw fail("RTCP packet length " + len + " overruns the " + (end - next) + " bytes left in the compound");
        }
        if ((first & RtcpHeader.PADDING_BIT) != 0) {
            int padding = buf.getUnsignedByte(next + len - 1);
            if (padding == 0 || padding > len - RtcpHeader.LENGTH) {
                throw fail("RTCP padding count " + padding + " invalid");
            }
        }
        offset = next;
        length = len;
        next += len;
        return true;
    }

    private ProtocolException fail(String reason) {
        next = end;
        offset = -1;
        return new ProtocolException(reason);
    }

    /** Absolute index of the current packet's first byte. */
    public int offset() {
        return offset;
    }

    public int version() {
        return buf.getUnsignedByte(offset) >>> RtcpHeader.VERSION_SHIFT;
    }

    public boolean padding() {
        return (buf.getByte(offset) & RtcpHeader.PADDING_BIT) != 0;
    }

    /** The 5-bit RC / SC field; for feedback packets the same bits are the FMT. */
    public int count() {
        return RtcpHeader.count(buf, offset);
    }

    /** Alias of {@link #count()} for RTPFB and PSFB packets. */
    public int fmt() {
        return count();
    }

    public int packetType() {
        return buf.getUnsignedByte(offset + RtcpHeader.OFFSET_PACKET_TYPE);
    }

    /** The raw length field: 32-bit words minus one. */
    public int lengthWords() {
        return buf.getUnsignedShort(offset + RtcpHeader.OFFSET_LENGTH);
    }

    /** The current packet's size in bytes, header and padding included. */
    public int length() {
        return length;
    }

    /**
     * The first SSRC of the current packet (the sender's for SR, RR, RTPFB and PSFB, the first chunk's or
     * source's for SDES and BYE), or 0 when the packet is only a header.
     */
    public int ssrc() {
        return length >= RtcpHeader.LENGTH + 4 ? buf.getInt(offset + RtcpHeader.LENGTH) : 0;
    }
}
