package io.relaymesh.node.rtcp;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.List;

/**
 * SR: Sender Report (RFC 3550 section 6.4.1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    RC   |   PT=SR=200   |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         SSRC of sender                        |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |              NTP timestamp, most significant word             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |             NTP timestamp, least significant word             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         RTP timestamp                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     sender's packet count                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      sender's octet count                     |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 report blocks (RC x 24 bytes)                 |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                  profile-specific extensions                  |
 * </pre>
 *
 * Profile-specific extensions are skipped when parsing and never written. All 32-bit fields are unsigned
 * values in Java ints.
 *
 * @param ntpTimestamp 64-bit NTP timestamp (32.32 fixed point seconds since 1900)
 */
public record SenderReport(int senderSsrc, long ntpTimestamp, int rtpTimestamp, int packetCount, int octetCount,
        List<ReportBlock> reportBlocks) {

    static final int FIXED_LENGTH = 28;
    private static final int OFFSET_NTP = 8;
    private static final int OFFSET_RTP_TIMESTAMP = 16;
    private static final int OFFSET_PACKET_COUNT = 20;
    private static final int OFFSET_OCTET_COUNT = 24;

    public SenderReport {
        reportBlocks = List.copyOf(reportBlocks);
        RtcpHeader.requireCount(reportBlocks.size(), "report blocks");
    }

    /** Parses the SR at {@code buf}'s reader index. */
    public static SenderReport parse(ByteBuf buf) throws ProtocolException {
        return parse(buf, buf.readerIndex());
    }

    /** Parses the SR starting at absolute index {@code offset}; it must end within the written bytes. */
    public static SenderReport parse(ByteBuf buf, int offset) throws ProtocolException {
        int end = RtcpHeader.contentEnd(buf, offset, RtcpPacketType.SR, "SR");
        int count = RtcpHeader.count(buf, offset);
        RtcpHeader.requireContent(offset, end, FIXED_LENGTH + count * ReportBlock.LENGTH, "SR with " + count + " blocks");
        return new SenderReport(
                buf.getInt(offset + RtcpHeader.LENGTH),
                buf.getLong(offset + OFFSET_NTP),
                buf.getInt(offset + OFFSET_RTP_TIMESTAMP),
                buf.getInt(offset + OFFSET_PACKET_COUNT),
                buf.getInt(offset + OFFSET_OCTET_COUNT),
                ReportBlock.parseList(buf, offset + FIXED_LENGTH, count));
    }

    /** The middle 32 bits of the NTP timestamp, which receivers echo as LSR. */
    public int compactNtp() {
        return (int) (ntpTimestamp >>> 16);
    }

    public int encodedLength() {
        return FIXED_LENGTH + reportBlocks.size() * ReportBlock.LENGTH;
    }

    public void writeTo(ByteBuf out) {
        RtcpHeader.write(out, reportBlocks.size(), RtcpPacketType.SR, encodedLength());
        out.writeInt(senderSsrc);
        out.writeLong(ntpTimestamp);
        out.writeInt(rtpTimestamp);
        out.writeInt(packetCount);
        out.writeInt(octetCount);
        for (ReportBlock block : reportBlocks) {
            block.writeTo(out);
        }
    }
}
