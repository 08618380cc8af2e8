package io.relaymesh.node.rtcp;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.List;

/**
 * FIR: Full Intra Request, payload-specific feedback FMT 4 (RFC 5104 section 4.3.1). The media source
 * SSRC field of the common header is unused and written as 0; the requested sources are in the FCI.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  FMT=4  |  PT=PSFB=206  |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     SSRC of packet sender                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   SSRC of media source (0)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                              SSRC                             |  x n, n >= 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Seq nr.       |    Reserved                                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record Fir(int senderSsrc, List<Entry> entries) {

    static final int ENTRY_LENGTH = 8;

    /**
     * One request: the source to send a decoder refresh point and the request's command sequence number
     * (0..255, incremented per new request, repeated on retransmission).
     */
    public record Entry(int ssrc, int sequenceNumber) {
        public Entry {
            if ((sequenceNumber & ~0xFF) != 0) {
                throw new IllegalArgumentException("FIR sequence number out of 0..255: " + sequenceNumber);
            }
        }
    }

    public Fir {
        entries = List.copyOf(entries);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a FIR carries at least one entry");
        }
    }

    /** Parses the FIR at {@code buf}'s reader index. */
    public static Fir parse(ByteBuf buf) throws ProtocolException {
        return parse(buf, buf.readerIndex());
    }

    /** Parses the FIR starting at absolute index {@code offset}; it must end within the written bytes. */
    public static Fir parse(ByteBuf buf, int offset) throws ProtocolException {
        int end = RtcpHeader.feedbackContentEnd(buf, offset, RtcpPacketType.PSFB, RtcpPacketType.FMT_FIR, "FIR");
        int fciLength = end - offset - RtcpHeader.FEEDBACK_HEADER_LENGTH;
        if (fciLength < ENTRY_LENGTH || fciLength % ENTRY_LENGTH != 0) {
            throw new ProtocolException("FIR FCI of " + fciLength + " bytes is not a whole number of entries");
        }
        Entry[] entries = new Entry[fciLength / ENTRY_LENGTH];
        int at = offset + RtcpHeader.FEEDBACK_HEADER_LENGTH;
        for (int i = 0; i < entries.length; i++, at += ENTRY_LENGTH) {
            entries[i] = new Entry(buf.getInt(at), buf.getUnsignedByte(at + 4));
        }
        return new Fir(buf.getInt(offset + 4), List.of(entries));
    }

    public int encodedLength() {
        return RtcpHeader.FEEDBACK_HEADER_LENGTH + entries.size() * ENTRY_LENGTH;
    }

    public void writeTo(ByteBuf out) {
        int total = encodedLength();
        RtcpHeader.requireEncodable(total, "FIR");
        RtcpHeader.write(out, RtcpPacketType.FMT_FIR, RtcpPacketType.PSFB, total);
        out.writeInt(senderSsrc);
        out.writeInt(0);
        for (Entry entry : entries) {
            out.writeInt(entry.ssrc());
            out.writeByte(entry.sequenceNumber());
            out.writeMedium(0);
        }
    }
}
