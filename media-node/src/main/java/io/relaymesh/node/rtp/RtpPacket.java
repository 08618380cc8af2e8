package io.relaymesh.node.rtp;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;

/**
 * A reusable, allocation-free view of one RTP packet (RFC 3550 section 5.1) with its header extension
 * (RFC 3550 section 5.3.1, RFC 8285).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      defined by profile       |           length              |   (when X = 1)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        header extension                       |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     payload ...       | padding  | pad count |   (padding when P = 1)
 * </pre>
 *
 * RFC 8285 header extension elements, one-byte profile {@code 0xBEDE} (ids 1-14, 1-16 data bytes, id 15
 * stops parsing) and two-byte profile {@code 0x100X} (ids 1-255, 0-255 data bytes); a zero byte between
 * elements is padding in both:
 * <pre>
 *  one-byte:  |  ID   | L=len-1 |  data ...          two-byte:  |      ID       |    length     | data ...
 * </pre>
 *
 * <p>The view reads and writes the buffer it wraps in place and never retains it: the caller owns the buffer
 * and must not release it while the view is in use. {@link #wrap} validates the whole header once, so the
 * accessors never read out of bounds. The timestamp and SSRC are unsigned 32-bit values returned in a Java
 * {@code int}; use {@link Integer#toUnsignedLong} or {@link Integer#compareUnsigned} where the sign matters.
 * Indexes returned by {@link #payloadOffset()} and {@link #findExtension} are absolute buffer indexes.
 */
public final class RtpPacket {

    /** Bytes of the fixed header, without CSRCs. */
    public static final int FIXED_HEADER_LENGTH = 12;
    public static final int VERSION = 2;
    /** The one-byte header extension profile (RFC 8285 section 4.2). */
    public static final int PROFILE_ONE_BYTE = 0xBEDE;
    /** The two-byte profile is 0x100 in the top 12 bits, 4 application bits below (RFC 8285 section 4.3). */
    public static final int PROFILE_TWO_BYTE = 0x1000;
    public static final int PROFILE_TWO_BYTE_MASK = 0xFFF0;
    /** Highest id of the one-byte profile; 15 is reserved and ends the element list. */
    public static final int ONE_BYTE_MAX_ID = 14;
    public static final int ONE_BYTE_STOP_ID = 15;
    public static final int TWO_BYTE_MAX_ID = 255;

    static final int OFFSET_FLAGS = 0;
    static final int OFFSET_MARKER_PT = 1;
    static final int OFFSET_SEQUENCE = 2;
    static final int OFFSET_TIMESTAMP = 4;
    static final int OFFSET_SSRC = 8;
    static final int VERSION_SHIFT = 6;
    static final int PADDING_BIT = 0x20;
    static final int EXTENSION_BIT = 0x10;
    static final int CSRC_COUNT_MASK = 0x0F;
    static final int MARKER_BIT = 0x80;
    static final int PAYLOAD_TYPE_MASK = 0x7F;
    static final int CSRC_LENGTH = 4;
    static final int EXTENSION_HEADER_LENGTH = 4;

    private static final long NOT_FOUND = -1;

    private ByteBuf buf;
    private int start;
    private int length;
    private int headerLength;
    private int paddingLength;
    private int extensionProfile = -1;
    private int extensionStart;
    private int extensionEnd;

    /** Parses {@code buf}'s readable bytes into a new view; prefer reusing one view with {@link #wrap}. */
    public static RtpPacket parse(ByteBuf buf) throws ProtocolException {
        return new RtpPacket().wrap(buf);
    }

    /**
     * Points this view at the readable bytes of {@code buf}, validating version, CSRC list, extension block
     * and its elements, and padding. The reader index is not moved. On failure the view is left unusable.
     *
     * @return this
     */
    public RtpPacket wrap(ByteBuf buf) throws ProtocolException {
        this.buf = null;
        int at = buf.readerIndex();
        int len = buf.readableBytes();
        if (len < FIXED_HEADER_LENGTH) {
            throw new ProtocolException("RTP packet shorter than its 12-byte header: " + len);
        }
        int flags = buf.getUnsignedByte(at + OFFSET_FLAGS);
        if (flags >>> VERSION_SHIFT != VERSION) {
            throw new ProtocolException("RTP version " + (flags >>> VERSION_SHIFT) + ", expected 2");
        }
        int header = FIXED_HEADER_LENGTH + (flags & CSRC_COUNT_MASK) * CSRC_LENGTH;
        if (header > len) {
            throw new ProtocolException("RTP CSRC list of " + (flags & CSRC_COUNT_MASK) + " overruns a packet of " + len);
        }
        int profile = -1;
        int extStart = 0;
        int extEnd = 0;
        if ((flags & EXTENSION_BIT) != 0) {
            if (header + EXTENSION_HEADER_LENGTH > len) {
                throw new ProtocolException("RTP header extension header truncated");
            }
            profile = buf.getUnsignedShort(at + header);
            int words = buf.getUnsignedShort(at + header + 2);
            extStart = at + header + EXTENSION_HEADER_LENGTH;
            extEnd = extStart + words * 4;
            if (extEnd > at + len) {
                throw new ProtocolException("RTP header extension of " + words + " words overruns the packet");
            }
            header = extEnd - at;
            validateElements(buf, profile, extStart, extEnd);
        }
        int padding = 0;
        if ((flags & PADDING_BIT) != 0) {
            if (len == header) {
                throw new ProtocolException("RTP padding bit set but no padding count byte");
            }
            padding = buf.getUnsignedByte(at + len - 1);
            if (padding == 0 || padding > len - header) {
                throw new ProtocolException("RTP padding count " + padding + " invalid for " + (len - header)
                        + " bytes after the header");
            }
        }
        this.buf = buf;
        this.start = at;
        this.length = len;
        this.headerLength = header;
        this.paddingLength = padding;
        this.extensionProfile = profile;
        this.extensionStart = extStart;
        this.extensionEnd = extEnd;
        return this;
    }

    private static void validateElements(ByteBuf buf, int profile, int from, int to) throws ProtocolException {
        boolean oneByte = profile == PROFILE_ONE_BYTE;
        if (!oneByte && (profile & PROFILE_TWO_BYTE_MASK) != PROFILE_TWO_BYTE) {
            return; // another profile: opaque to us
        }
        int i = from;
        while (i < to) {
            int b = buf.getUnsignedByte(i);
            if (b == 0) {
                i++;
                continue;
            }
            int dataLength;
            int elementHeader;
            if (oneByte) {
                if (b >>> 4 == ONE_BYTE_STOP_ID) {
                    return;
                }
                elementHeader = 1;
                dataLength = (b & 0x0F) + 1;
            } else {
                if (i + 2 > to) {
                    throw new ProtocolException("RTP two-byte extension element header truncated");
                }
                elementHeader = 2;
                dataLength = buf.getUnsignedByte(i + 1);
            }
            if (i + elementHeader + dataLength > to) {
                throw new ProtocolException("RTP extension element " + (oneByte ? b >>> 4 : b) + " of " + dataLength
                        + " bytes overruns the extension block");
            }
            i += elementHeader + dataLength;
        }
    }

    public ByteBuf buffer() {
        return buf;
    }

    /** Absolute index of the first header byte. */
    public int offset() {
        return start;
    }

    /** Total bytes: header, payload and padding. */
    public int length() {
        return length;
    }

    public int version() {
        return buf.getUnsignedByte(start) >>> VERSION_SHIFT;
    }

    public boolean padding() {
        return (buf.getByte(start) & PADDING_BIT) != 0;
    }

    public boolean extension() {
        return (buf.getByte(start) & EXTENSION_BIT) != 0;
    }

    public int csrcCount() {
        return buf.getByte(start) & CSRC_COUNT_MASK;
    }

    /** The {@code index}-th CSRC (unsigned 32-bit in an int). */
    public int csrc(int index) {
        if (index < 0 || index >= csrcCount()) {
            throw new IndexOutOfBoundsException("CSRC " + index + " of " + csrcCount());
        }
        return buf.getInt(start + FIXED_HEADER_LENGTH + index * CSRC_LENGTH);
    }

    public boolean marker() {
        return (buf.getByte(start + OFFSET_MARKER_PT) & MARKER_BIT) != 0;
    }

    public int payloadType() {
        return buf.getByte(start + OFFSET_MARKER_PT) & PAYLOAD_TYPE_MASK;
    }

    /** 0..65535. */
    public int sequenceNumber() {
        return buf.getUnsignedShort(start + OFFSET_SEQUENCE);
    }

    /** Unsigned 32-bit media timestamp in an int. */
    public int timestamp() {
        return buf.getInt(start + OFFSET_TIMESTAMP);
    }

    /** Unsigned 32-bit SSRC in an int. */
    public int ssrc() {
        return buf.getInt(start + OFFSET_SSRC);
    }

    /** Fixed header, CSRCs and the extension block. */
    public int headerLength() {
        return headerLength;
    }

    /** Absolute buffer index of the first payload byte. */
    public int payloadOffset() {
        return start + headerLength;
    }

    /** Payload bytes, padding excluded. */
    public int payloadLength() {
        return length - headerLength - paddingLength;
    }

    /** Padding bytes including the count byte; 0 when P is clear. */
    public int paddingLength() {
        return paddingLength;
    }

    /** The extension profile ({@code 0xBEDE}, {@code 0x100X} or another), or -1 without an extension. */
    public int extensionProfile() {
        return extensionProfile;
    }

    public void setSequenceNumber(int sequenceNumber) {
        buf.setShort(start + OFFSET_SEQUENCE, sequenceNumber);
    }

    public void setTimestamp(int timestamp) {
        buf.setInt(start + OFFSET_TIMESTAMP, timestamp);
    }

    public void setSsrc(int ssrc) {
        buf.setInt(start + OFFSET_SSRC, ssrc);
    }

    public void setPayloadType(int payloadType) {
        if ((payloadType & ~PAYLOAD_TYPE_MASK) != 0) {
            throw new IllegalArgumentException("RTP payload type out of 0..127: " + payloadType);
        }
        int b = buf.getByte(start + OFFSET_MARKER_PT) & MARKER_BIT;
        buf.setByte(start + OFFSET_MARKER_PT, b | payloadType);
    }

    public void setMarker(boolean marker) {
        int b = buf.getByte(start + OFFSET_MARKER_PT) & PAYLOAD_TYPE_MASK;
        buf.setByte(start + OFFSET_MARKER_PT, marker ? b | MARKER_BIT : b);
    }

    /**
     * Absolute buffer index of the data of the first extension element with {@code id}, or -1 when the packet
     * has no such element (or uses a profile other than one-byte or two-byte).
     */
    public int findExtension(int id) {
        long found = locate(id);
        return found == NOT_FOUND ? -1 : (int) (found >>> 32);
    }

    /** Data length in bytes of the first extension element with {@code id}, or -1 when absent. */
    public int extensionLength(int id) {
        long found = locate(id);
        return found == NOT_FOUND ? -1 : (int) found;
    }

    /** Packs the data index (high 32 bits) and length (low 32 bits) so lookups allocate nothing. */
    private long locate(int id) {
        if (id <= 0) {
            return NOT_FOUND;
        }
        boolean oneByte = extensionProfile == PROFILE_ONE_BYTE;
        if (!oneByte && (extensionProfile & PROFILE_TWO_BYTE_MASK) != PROFILE_TWO_BYTE) {
            return NOT_FOUND;
        }
        int i = extensionStart;
        while (i < extensionEnd) {
            int b = buf.getUnsignedByte(i);
            if (b == 0) {
                i++;
                continue;
            }
            int elementId;
            int dataLength;
            int elementHeader;
            if (oneByte) {
                elementId = b >>> 4;
                if (elementId == ONE_BYTE_STOP_ID) {
                    return NOT_FOUND;
                }
                dataLength = (b & 0x0F) + 1;
                elementHeader = 1;
            } else {
                elementId = b;
                dataLength = buf.getUnsignedByte(i + 1);
                elementHeader = 2;
            }
            if (elementId == id) {
                return ((long) (i + elementHeader) << 32) | dataLength;
            }
            i += elementHeader + dataLength;
        }
        return NOT_FOUND;
    }

    /**
     * Rewrites extension element ids in place through {@code idMap} (indexed by the current id; at least 16
     * entries for the one-byte profile, 256 for the two-byte profile). A mapping to 0 drops the element by
     * turning it into padding bytes; one-byte ids must map to 1..14. The block keeps its size, so the packet
     * length never changes.
     *
     * @return true when any byte of the packet changed
     */
    public boolean rewriteExtensionIds(byte[] idMap) {
        boolean oneByte = extensionProfile == PROFILE_ONE_BYTE;
        if (!oneByte && (extensionProfile & PROFILE_TWO_BYTE_MASK) != PROFILE_TWO_BYTE) {
            return false;
        }
        int needed = oneByte ? ONE_BYTE_STOP_ID + 1 : TWO_BYTE_MAX_ID + 1;
        if (idMap.length < needed) {
            throw new IllegalArgumentException("extension id map needs " + needed + " entries, has " + idMap.length);
        }
        if (oneByte) {
            // Checked up front so a bad map never leaves a half-rewritten packet behind.
            for (int id = 1; id <= ONE_BYTE_MAX_ID; id++) {
                if ((idMap[id] & 0xFF) > ONE_BYTE_MAX_ID) {
                    throw new IllegalArgumentException("one-byte extension id " + id + " mapped to " + (idMap[id] & 0xFF));
                }
            }
        }
        boolean changed = false;
        int i = extensionStart;
        while (i < extensionEnd) {
            int b = buf.getUnsignedByte(i);
            if (b == 0) {
                i++;
                continue;
            }
            int id = oneByte ? b >>> 4 : b;
            if (oneByte && id == ONE_BYTE_STOP_ID) {
                break;
            }
            int elementHeader = oneByte ? 1 : 2;
            int elementLength = elementHeader + (oneByte ? (b & 0x0F) + 1 : buf.getUnsignedByte(i + 1));
            int newId = idMap[id] & 0xFF;
            if (newId == 0) {
                buf.setZero(i, elementLength);
                changed = true;
            } else if (newId != id) {
                buf.setByte(i, oneByte ? (newId << 4) | (b & 0x0F) : newId);
                changed = true;
            }
            i += elementLength;
        }
        return changed;
    }
}
