package io.relaymesh.node.rtcp;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The header common to all RTCP packets (RFC 3550 section 6.4.1) and the bounds checks every packet parser
 * shares.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P| RC/FMT  |      PT       |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * {@code length} is the packet's size in 32-bit words minus one, header and padding included.
 */
final class RtcpHeader {

    static final int LENGTH = 4;
    static final int VERSION = 2;
    static final int VERSION_SHIFT = 6;
    static final int PADDING_BIT = 0x20;
    static final int COUNT_MASK = 0x1F;
    static final int MAX_COUNT = 31;
    static final int OFFSET_PACKET_TYPE = 1;
    static final int OFFSET_LENGTH = 2;
    /** Largest packet the 16-bit word count can describe. */
    static final int MAX_PACKET_LENGTH = (0xFFFF + 1) * 4;

    private RtcpHeader() {
    }

    /**
     * Validates the header of the packet at {@code offset} (version, packet type, length within the buffer's
     * written bytes, padding count) and returns the index just past its content, padding excluded.
     */
    static int contentEnd(ByteBuf buf, int offset, int packetType, String name) throws ProtocolException {
        if (offset < 0 || buf.writerIndex() - offset < LENGTH) {
            throw new ProtocolException("RTCP " + name + " header truncated");
        }
        int first = buf.getUnsignedByte(offset);
        if (first >>> VERSION_SHIFT != VERSION) {
            throw new ProtocolException("RTCP " + name + " version " + (first >>> VERSION_SHIFT) + ", expected 2");
        }
        int type = buf.getUnsignedByte(offset + OFFSET_PACKET_TYPE);
        if (type != packetType) {
            throw new ProtocolException("RTCP packet type " + type + " is not " + name + " (" + packetType + ")");
        }
        int length = (buf.getUnsignedShort(offset + OFFSET_LENGTH) + 1) * 4;
        if (length > buf.writerIndex() - offset) {
            throw new ProtocolException("RTCP " + name + " length " + length + " overruns the "
                    + (buf.writerIndex() - offset) + " bytes available");
        }
        int end = offset + length;
        if ((first & PADDING_BIT) != 0) {
            int padding = buf.getUnsignedByte(end - 1);
            if (padding == 0 || padding > length - LENGTH) {
                throw new ProtocolException("RTCP " + name + " padding count " + padding + " invalid");
            }
            end -= padding;
        }
        return end;
    }

    /** Bytes of the header and the two SSRCs every RTPFB and PSFB message starts with (RFC 4585 section 6.1). */
    static final int FEEDBACK_HEADER_LENGTH = 12;

    /**
     * {@link #contentEnd} for a feedback message, additionally checking the FMT and room for the sender and
     * media SSRCs.
     */
    static int feedbackContentEnd(ByteBuf buf, int offset, int packetType, int fmt, String name)
            throws ProtocolException {
        int end = contentEnd(buf, offset, packetType, name);
        if (count(buf, offset) != fmt) {
            throw new ProtocolException("RTCP FMT " + count(buf, offset) + " is not " + name + " (" + fmt + ")");
        }
        requireContent(offset, end, FEEDBACK_HEADER_LENGTH, name);
        return end;
    }

    /**
     * Strictly decodes UTF-8 text (SDES items, BYE reasons): malformed bytes are rejected rather than
     * replaced, because a replacement character takes three bytes and the text would no longer fit its
     * one-byte length field when written back.
     */
    static String utf8(ByteBuf buf, int at, int length, String what) throws ProtocolException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(buf.nioBuffer(at, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("RTCP " + what + " is not valid UTF-8", e);
        }
    }

    /** The RC, SC or FMT field. */
    static int count(ByteBuf buf, int offset) {
        return buf.getUnsignedByte(offset) & COUNT_MASK;
    }

    static void requireContent(int offset, int end, int needed, String name) throws ProtocolException {
        if (end - offset < needed) {
            throw new ProtocolException("RTCP " + name + " needs " + needed + " bytes, has " + (end - offset));
        }
    }

    /** Writes a header for a packet of {@code totalLength} bytes (a multiple of 4) without padding. */
    static void write(ByteBuf out, int countOrFmt, int packetType, int totalLength) {
        out.writeByte((VERSION << VERSION_SHIFT) | countOrFmt);
        out.writeByte(packetType);
        out.writeShort(totalLength / 4 - 1);
    }

    static void requireCount(int count, String what) {
        if (count > MAX_COUNT) {
            throw new IllegalArgumentException("RTCP carries at most 31 " + what + ", got " + count);
        }
    }

    static void requireEncodable(int totalLength, String name) {
        if (totalLength > MAX_PACKET_LENGTH) {
            throw new IllegalArgumentException("RTCP " + name + " of " + totalLength + " bytes exceeds the length field");
        }
    }
}
