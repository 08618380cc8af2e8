package io.relaymesh.node.rtcp;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;

/**
 * PLI: Picture Loss Indication, payload-specific feedback FMT 1 (RFC 4585 section 6.3.1). It has no FCI;
 * bytes after the two SSRCs are ignored.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  FMT=1  |  PT=PSFB=206  |          length=2             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     SSRC of packet sender                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      SSRC of media source                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record Pli(int senderSsrc, int mediaSsrc) {

    /** Parses the PLI at {@code buf}'s reader index. */
    public static Pli parse(ByteBuf buf) throws ProtocolException {
        return parse(buf, buf.readerIndex());
    }

    /** Parses the PLI starting at absolute index {@code offset}; it must end within the written bytes. */
    public static Pli parse(ByteBuf buf, int offset) throws ProtocolException {
        RtcpHeader.feedbackContentEnd(buf, offset, RtcpPacketType.PSFB, RtcpPacketType.FMT_PLI, "PLI");
        return new Pli(buf.getInt(offset + 4), buf.getInt(offset + 8));
    }

    public int encodedLength() {
        return RtcpHeader.FEEDBACK_HEADER_LENGTH;
    }

    public void writeTo(ByteBuf out) {
        RtcpHeader.write(out, RtcpPacketType.FMT_PLI, RtcpPacketType.PSFB, encodedLength());
        out.writeInt(senderSsrc);
        out.writeInt(mediaSsrc);
    }
}
