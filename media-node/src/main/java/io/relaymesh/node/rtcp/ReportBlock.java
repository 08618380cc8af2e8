package io.relaymesh.node.rtcp;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;

/**
 * A reception report block of SR and RR packets (RFC 3550 section 6.4.1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 SSRC_1 (SSRC of first source)                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | fraction lost |       cumulative number of packets lost       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           extended highest sequence number received           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      interarrival jitter                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         last SR (LSR)                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   delay since last SR (DLSR)                  |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 *
 * @param ssrc source reported on (unsigned 32-bit in an int)
 * @param fractionLost lost fraction since the last report, as a fixed-point number over 256 (0..255)
 * @param cumulativeLost packets lost since the start, a signed 24-bit value (duplicates can make it negative)
 * @param extendedHighestSequence cycles in the high 16 bits, highest sequence number in the low 16 (unsigned)
 * @param jitter interarrival jitter in timestamp units (unsigned)
 * @param lastSr middle 32 bits of the NTP timestamp of the last SR received, 0 if none
 * @param delaySinceLastSr in units of 1/65536 seconds
 */
public record ReportBlock(int ssrc, int fractionLost, int cumulativeLost, int extendedHighestSequence, int jitter,
        int lastSr, int delaySinceLastSr) {

    public static final int LENGTH = 24;
    /** RFC 3550 section 6.4.1: cumulative lost is clamped to the 24-bit signed range. */
    public static final int MAX_CUMULATIVE_LOST = (1 << 23) - 1;
    public static final int MIN_CUMULATIVE_LOST = -(1 << 23);

    private static final int OFFSET_LOSS = 4;
    private static final int OFFSET_HIGHEST = 8;
    private static final int OFFSET_JITTER = 12;
    private static final int OFFSET_LSR = 16;
    private static final int OFFSET_DLSR = 20;
    private static final int CUMULATIVE_MASK = 0x00FF_FFFF;

    public ReportBlock {
        if (fractionLost < 0 || fractionLost > 255) {
            throw new IllegalArgumentException("fraction lost out of 0..255: " + fractionLost);
        }
        if (cumulativeLost < MIN_CUMULATIVE_LOST || cumulativeLost > MAX_CUMULATIVE_LOST) {
            throw new IllegalArgumentException("cumulative lost out of the 24-bit signed range: " + cumulativeLost);
        }
    }

    /** Parses the 24-byte block at {@code offset}, which must lie within the buffer's written bytes. */
    public static ReportBlock parse(ByteBuf buf, int offset) throws ProtocolException {
        if (offset < 0 || buf.writerIndex() - offset < LENGTH) {
            throw new ProtocolException("RTCP report block truncated");
        }
        int loss = buf.getInt(offset + OFFSET_LOSS);
        return new ReportBlock(
                buf.getInt(offset),
                loss >>> 24,
                (loss << 8) >> 8, // sign-extend the 24-bit field
                buf.getInt(offset + OFFSET_HIGHEST),
                buf.getInt(offset + OFFSET_JITTER),
                buf.getInt(offset + OFFSET_LSR),
                buf.getInt(offset + OFFSET_DLSR));
    }

    public int encodedLength() {
        return LENGTH;
    }

    public void writeTo(ByteBuf out) {
        out.writeInt(ssrc);
        out.writeInt((fractionLost << 24) | (cumulativeLost & CUMULATIVE_MASK));
        out.writeInt(extendedHighestSequence);
        out.writeInt(jitter);
        out.writeInt(lastSr);
        out.writeInt(delaySinceLastSr);
    }

    static java.util.List<ReportBlock> parseList(ByteBuf buf, int offset, int count) throws ProtocolException {
        ReportBlock[] blocks = new ReportBlock[count];
        for (int i = 0; i < count; i++) {
            blocks[i] = parse(buf, offset + i * LENGTH);
        }
        return java.util.List.of(blocks);
    }
}
