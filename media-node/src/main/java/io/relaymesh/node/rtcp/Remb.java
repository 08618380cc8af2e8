package io.relaymesh.node.rtcp;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.List;

/**
 * REMB: Receiver Estimated Maximum Bitrate, an application layer feedback message (PSFB FMT 15) identified by
 * the ASCII "REMB" (draft-alvestrand-rmcat-remb section 2.2).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P| FMT=15  |   PT=206      |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source (0)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Unique identifier 'R' 'E' 'M' 'B'                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Num SSRC     | BR Exp    |  BR Mantissa                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   SSRC feedback                                               |  x Num SSRC
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The bitrate is {@code mantissa << exp} bits per second with an 18-bit mantissa, so values above 2^18 lose
 * their low bits: {@link #writeTo} encodes the largest representable value not above {@link #bitrate}
 * (an estimate must never be rounded up) and a parsed REMB holds exactly the decoded value.
 *
 * @param bitrate bits per second, non-negative
 * @param ssrcs the media sources the estimate applies to (unsigned 32-bit values in ints)
 */
public record Remb(int senderSsrc, long bitrate, List<Integer> ssrcs) {

    /** "REMB" in ASCII. */
    public static final int IDENTIFIER = 0x52454D42;
    static final int FIXED_LENGTH = 20;
    static final int MANTISSA_BITS = 18;
    static final int MAX_MANTISSA = (1 << MANTISSA_BITS) - 1;
    static final int EXPONENT_MASK = 0x3F;
    static final int MAX_SSRCS = 255;
    private static final int OFFSET_IDENTIFIER = 12;
    private static final int OFFSET_BITRATE = 16;

    public Remb {
        if (bitrate < 0) {
            throw new IllegalArgumentException("REMB bitrate is negative: " + bitrate);
        }
        ssrcs = List.copyOf(ssrcs);
        if (ssrcs.size() > MAX_SSRCS) {
            throw new IllegalArgumentException("REMB carries at most 255 SSRCs, got " + ssrcs.size());
        }
    }

    /** True when the PSFB at {@code offset} carries the "REMB" identifier (it may be another AFB message). */
    public static boolean isRemb(ByteBuf buf, int offset) {
        return offset >= 0 && buf.writerIndex() - offset >= FIXED_LENGTH
                && buf.getUnsignedByte(offset + RtcpHeader.OFFSET_PACKET_TYPE) == RtcpPacketType.PSFB
                && RtcpHeader.count(buf, offset) == RtcpPacketType.FMT_AFB
                && buf.getInt(offset + OFFSET_IDENTIFIER) == IDENTIFIER;
    }

    /** Smallest exponent whose mantissa fits 18 bits; together {@code (exp << 18) | mantissa}. */
    static int encodeBitrate(long bitrate) {
        int exp = 0;
        while ((bitrate >>> exp) > MAX_MANTISSA) {
            exp++;
        }
        return (exp << MANTISSA_BITS) | (int) (bitrate >>> exp);
    }

    /** The bitrate a receiver of this REMB decodes: {@link #bitrate} rounded down to 18 significant bits. */
    public long encodedBitrate() {
        int encoded = encodeBitrate(bitrate);
        return (long) (encoded & MAX_MANTISSA) << (encoded >>> MANTISSA_BITS);
    }

    /** Parses the REMB at {@code buf}'s reader index. */
    public static Remb parse(ByteBuf buf) throws ProtocolException {
        return parse(buf, buf.readerIndex());
    }

    /**
     * Parses the REMB starting at absolute index {@code offset}; it must end within the written bytes. A
     * bitrate too large for a long (exponent 46 and above with a large mantissa) saturates at
     * {@link Long#MAX_VALUE}.
     */
    public static Remb parse(ByteBuf buf, int offset) throws ProtocolException {
        int end = RtcpHeader.feedbackContentEnd(buf, offset, RtcpPacketType.PSFB, RtcpPacketType.FMT_AFB, "REMB");
        RtcpHeader.requireContent(offset, end, FIXED_LENGTH, "REMB");
        if (buf.getInt(offset + OFFSET_IDENTIFIER) != IDENTIFIER) {
            throw new ProtocolException("application layer feedback is not REMB");
        }
        int count = buf.getUnsignedByte(offset + OFFSET_BITRATE);
        RtcpHeader.requireContent(offset, end, FIXED_LENGTH + count * 4, "REMB with " + count + " SSRCs");
        int exp = (buf.getUnsignedByte(offset + OFFSET_BITRATE + 1) >>> 2) & EXPONENT_MASK;
        long mantissa = buf.getUnsignedMedium(offset + OFFSET_BITRATE + 1) & MAX_MANTISSA;
        long bitrate = mantissa == 0 ? 0
                : Long.numberOfLeadingZeros(mantissa) - 1 < exp ? Long.MAX_VALUE : mantissa << exp;
        Integer[] ssrcs = new Integer[count];
        for (int i = 0; i < count; i++) {
            ssrcs[i] = buf.getInt(offset + FIXED_LENGTH + i * 4);
        }
        return new Remb(buf.getInt(offset + 4), bitrate, List.of(ssrcs));
    }

    public int encodedLength() {
        return FIXED_LENGTH + ssrcs.size() * 4;
    }

    public void writeTo(ByteBuf out) {
        RtcpHeader.write(out, RtcpPacketType.FMT_AFB, RtcpPacketType.PSFB, encodedLength());
        out.writeInt(senderSsrc);
        out.writeInt(0);
        out.writeInt(IDENTIFIER);
        out.writeByte(ssrcs.size());
        out.writeMedium(encodeBitrate(bitrate));
        for (int ssrc : ssrcs) {
            out.writeInt(ssrc);
        }
    }
}
