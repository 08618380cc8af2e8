package io.relaymesh.node.rtcp;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * BYE: Goodbye (RFC 3550 section 6.6).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    SC   |   PT=BYE=203  |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           SSRC/CSRC                           |  x SC
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     length    |               reason for leaving ...          |  (opt), zero padded
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param ssrcs sources leaving (unsigned 32-bit values in ints)
 * @param reason UTF-8 reason of at most 255 bytes, or null
 */
public record Bye(List<Integer> ssrcs, String reason) {

    private static final int MAX_REASON_LENGTH = 255;

    public Bye {
        ssrcs = List.copyOf(ssrcs);
        RtcpHeader.requireCount(ssrcs.size(), "BYE sources");
        if (reason != null && reason.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_LENGTH) {
            throw new IllegalArgumentException("BYE reason longer than 255 bytes");
        }
    }

    /** Parses the BYE at {@code buf}'s reader index. */
    public static Bye parse(ByteBuf buf) throws ProtocolException {
        return parse(buf, buf.readerIndex());
    }

    /** Parses the BYE starting at absolute index {@code offset}; it must end within the written bytes. */
    public static Bye parse(ByteBuf buf, int offset) throws ProtocolException {
        int end = RtcpHeader.contentEnd(buf, offset, RtcpPacketType.BYE, "BYE");
        int count = RtcpHeader.count(buf, offset);
        RtcpHeader.requireContent(offset, end, RtcpHeader.LENGTH + count * 4, "BYE with " + count + " sources");
        Integer[] ssrcs = new Integer[count];
        int at = offset + RtcpHeader.LENGTH;
        for (int i = 0; i < count; i++, at += 4) {
            ssrcs[i] = buf.getInt(at);
        }
        String reason = null;
        if (at < end && buf.getUnsignedByte(at) > 0) {
            int length = buf.getUnsignedByte(at);
            if (length > end - at - 1) {
                throw new ProtocolException("BYE reason of " + length + " bytes overruns the packet");
            }
            reason = RtcpHeader.utf8(buf, at + 1, length, "BYE reason");
        }
        return new Bye(List.of(ssrcs), reason);
    }

    private int reasonBytes() {
        return reason == null || reason.isEmpty() ? 0 : reason.getBytes(StandardCharsets.UTF_8).length;
    }

    public int encodedLength() {
        int reasonBytes = reasonBytes();
        int reasonField = reasonBytes == 0 ? 0 : (1 + reasonBytes + 3) & ~3;
        return RtcpHeader.LENGTH + ssrcs.size() * 4 + reasonField;
    }

    public void writeTo(ByteBuf out) {
        int total = encodedLength();
        RtcpHeader.write(out, ssrcs.size(), RtcpPacketType.BYE, total);
        for (int ssrc : ssrcs) {
            out.writeInt(ssrc);
        }
        int reasonBytes = reasonBytes();
        if (reasonBytes > 0) {
            out.writeByte(reasonBytes);
            out.writeCharSequence(reason, StandardCharsets.UTF_8);
            out.writeZero(total - RtcpHeader.LENGTH - ssrcs.size() * 4 - 1 - reasonBytes);
        }
    }
}
