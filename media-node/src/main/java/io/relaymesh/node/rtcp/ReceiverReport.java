package io.relaymesh.node.rtcp;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.List;

/**
 * RR: Receiver Report (RFC 3550 section 6.4.2).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    RC   |   PT=RR=201   |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     SSRC of packet sender                     |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 report blocks (RC x 24 bytes)                 |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                  profile-specific extensions                  |
 * </pre>
 * Profile-specific extensions are skipped when parsing and never written.
 */
public record ReceiverReport(int senderSsrc, List<ReportBlock> reportBlocks) {

    static final int FIXED_LENGTH = 8;

    public ReceiverReport {
        reportBlocks = List.copyOf(reportBlocks);
        RtcpHeader.requireCount(reportBlocks.size(), "report blocks");
    }

    /** Parses the RR at {@code buf}'s reader index. */
    public static ReceiverReport parse(ByteBuf buf) throws ProtocolException {
        return parse(buf, buf.readerIndex());
    }

    /** Parses the RR starting at absolute index {@code offset}; it must end within the written bytes. */
    public static ReceiverReport parse(ByteBuf buf, int offset) throws ProtocolException {
        int end = RtcpHeader.contentEnd(buf, offset, RtcpPacketType.RR, "RR");
        int count = RtcpHeader.count(buf, offset);
        RtcpHeader.requireContent(offset, end, FIXED_LENGTH + count * ReportBlock.LENGTH, "RR with " + count + " blocks");
        return new ReceiverReport(buf.getInt(offset + RtcpHeader.LENGTH),
                ReportBlock.parseList(buf, offset + FIXED_LENGTH, count));
    }

    public int encodedLength() {
        return FIXED_LENGTH + reportBlocks.size() * ReportBlock.LENGTH;
    }

    public void writeTo(ByteBuf out) {
        RtcpHeader.write(out, reportBlocks.size(), RtcpPacketType.RR, encodedLength());
        out.writeInt(senderSsrc);
        for (ReportBlock block : reportBlocks) {
            block.writeTo(out);
        }
    }
}
