package io.relaymesh.node.sfu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtcp.Bye;
import io.relaymesh.node.rtcp.Fir;
import io.relaymesh.node.rtcp.GenericNack;
import io.relaymesh.node.rtcp.Pli;
import io.relaymesh.node.rtcp.ReceiverReport;
import io.relaymesh.node.rtcp.ReportBlock;
import io.relaymesh.node.rtcp.RtcpCompound;
import io.relaymesh.node.rtcp.RtcpPacketType;
import io.relaymesh.node.rtcp.SenderReport;
import io.relaymesh.node.rtcp.SourceDescription;
import io.relaymesh.node.transport.PeerConnection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The SFU's RTCP: reads what peers send (reports, NACK, PLI, FIR) into callbacks, and builds the compound
 * packets it sends (receiver reports to publishers, sender reports to viewers, NACK, PLI, FIR). RTCP runs at a
 * few packets per second per stream, so the small report records it builds are not a packet-path concern.
 */
final class RtcpExchange {

    private RtcpExchange() {
    }

    /** What a compound packet said; override what matters. */
    abstract static class Reader {
        void senderReport(int ssrc, long ntp, int rtpTimestamp) {
        }

        void reportBlock(int ssrc, long lastSr, long delaySinceLastSr) {
        }

        /** A report block with its fraction lost (8-bit fixed point); by default the three-argument callback. */
        void reportBlock(int ssrc, int fractionLost, long lastSr, long delaySinceLastSr) {
            reportBlock(ssrc, lastSr, delaySinceLastSr);
        }

        void nack(int mediaSsrc, int seq) {
        }

        /** A PLI or a FIR for {@code mediaSsrc}. */
        void keyframeRequest(int mediaSsrc) {
        }

        /** A PLI or a FIR for {@code mediaSsrc}, saying which; by default {@link #keyframeRequest(int)}. */
        void keyframeRequest(int mediaSsrc, SfuCounters.KeyframeRequest kind) {
            keyframeRequest(mediaSsrc);
        }
    }

    /** Reads a compound packet; a malformed one is dropped from the first bad packet on. */
    static void read(ByteBuf compound, Reader reader) {
        RtcpCompound walker = new RtcpCompound().reset(compound);
        try {
            while (walker.next()) {
                int offset = walker.offset();
                switch (walker.packetType()) {
                    case RtcpPacketType.SR -> {
                        SenderReport sr = SenderReport.parse(compound, offset);
                        reader.senderReport(sr.senderSsrc(), sr.ntpTimestamp(), sr.rtpTimestamp());
                        blocks(sr.reportBlocks(), reader);
                    }
                    case RtcpPacketType.RR -> blocks(ReceiverReport.parse(compound, offset).reportBlocks(), reader);
                    case RtcpPacketType.RTPFB -> {
                        if (walker.fmt() == RtcpPacketType.FMT_NACK) {
                            GenericNack nack = GenericNack.parse(compound, offset);
                            nack.forEachLost(seq -> reader.nack(nack.mediaSsrc(), seq));
                        }
                    }
                    case RtcpPacketType.PSFB -> {
                        if (walker.fmt() == RtcpPacketType.FMT_PLI) {
                            reader.keyframeRequest(Pli.parse(compound, offset).mediaSsrc(),
                                    SfuCounters.KeyframeRequest.PLI);
                        } else if (walker.fmt() == RtcpPacketType.FMT_FIR) {
                            for (Fir.Entry e : Fir.parse(compound, offset).entries()) {
                                reader.keyframeRequest(e.ssrc(), SfuCounters.KeyframeRequest.FIR);
                            }
                        }
                    }
                    default -> {
                        // SDES, BYE, APP, XR, REMB, transport-cc: not used by this SFU yet
                    }
                }
            }
        } catch (ProtocolException e) {
            // the rest of the compound is unreadable; what was read stays applied
        }
    }

    private static void blocks(List<ReportBlock> blocks, Reader reader) {
        for (ReportBlock b : blocks) {
            reader.reportBlock(b.ssrc(), b.fractionLost(), b.lastSr() & 0xFFFFFFFFL, b.delaySinceLastSr() & 0xFFFFFFFFL);
        }
    }

    /** Round-trip time from a report block's LSR/DLSR and now (RFC 3550 section 6.4.1), or -1. */
    static long roundTripNanos(long lastSr, long delaySinceLastSr, long nowNtp) {
        long nowCompact = (nowNtp >>> 16) & 0xFFFFFFFFL;
        long rtt = (nowCompact - lastSr - delaySinceLastSr) & 0xFFFFFFFFL;
        if (rtt > 0x7FFFFFFFL) {
            return -1;
        }
        return rtt * 1_000_000_000L / 65536L;
    }

    static ByteBuf pli(ByteBufAllocator alloc, int senderSsrc, int mediaSsrc) {
        Pli pli = new Pli(senderSsrc, mediaSsrc);
        ByteBuf out = alloc.directBuffer(pli.encodedLength() + PeerConnection.SRTP_TAIL_ROOM);
        pli.writeTo(out);
        return out;
    }

    static ByteBuf fir(ByteBufAllocator alloc, int senderSsrc, int mediaSsrc, int sequence) {
        Fir fir = new Fir(senderSsrc, List.of(new Fir.Entry(mediaSsrc, sequence)));
        ByteBuf out = alloc.directBuffer(fir.encodedLength() + PeerConnection.SRTP_TAIL_ROOM);
        fir.writeTo(out);
        return out;
    }

    static ByteBuf nack(ByteBufAllocator alloc, int senderSsrc, int mediaSsrc, int[] seqs, int count) {
        GenericNack nack = GenericNack.forLost(senderSsrc, mediaSsrc, Arrays.copyOf(seqs, count));
        ByteBuf out = alloc.directBuffer(nack.encodedLength() + PeerConnection.SRTP_TAIL_ROOM);
        nack.writeTo(out);
        return out;
    }

    /**
     * An empty RR, then BYE for a viewer's stream (and its RTX stream, when it has one) whose track ended with
     * nothing to replace it (RFC 3550 section 6.6; a compound starts with a report).
     */
    static ByteBuf bye(ByteBufAllocator alloc, int senderSsrc, int mediaSsrc, int rtxSsrc, String reason) {
        ReceiverReport rr = new ReceiverReport(senderSsrc, List.of());
        Bye bye = new Bye(rtxSsrc == 0 ? List.of(mediaSsrc) : List.of(mediaSsrc, rtxSsrc), reason);
        ByteBuf out = alloc.directBuffer(rr.encodedLength() + bye.encodedLength() + PeerConnection.SRTP_TAIL_ROOM);
        rr.writeTo(out);
        bye.writeTo(out);
        return out;
    }

    /** RR with a block per published stream, then SDES CNAME (RFC 3550 section 6.1 compound rules). */
    static ByteBuf receiverReport(ByteBufAllocator alloc, int senderSsrc, String cname, List<PublishedTrack> tracks,
                                  long nowNanos) {
        List<ReportBlock> blocks = new ArrayList<>(tracks.size());
        for (PublishedTrack t : tracks) {
            ReceiveStatistics s = t.statistics();
            if (s.started() && blocks.size() < 31) {
                blocks.add(new ReportBlock(t.ssrc(), s.fractionLostSinceLastReport(), s.cumulativeLost(),
                        (int) s.extendedHighestSeq(), (int) s.jitter(), (int) s.lastSr(),
                        (int) s.delaySinceLastSr(nowNanos)));
            }
        }
        ReceiverReport rr = new ReceiverReport(senderSsrc, blocks);
        SourceDescription sdes = SourceDescription.cname(senderSsrc, cname);
        ByteBuf out = alloc.directBuffer(rr.encodedLength() + sdes.encodedLength() + PeerConnection.SRTP_TAIL_ROOM);
        rr.writeTo(out);
        sdes.writeTo(out);
        return out;
    }

    /**
     * One SR per down track that has sent media, then SDES; null when nothing was sent yet. The RTP timestamp
     * of each SR is the stream's last timestamp advanced by the time since it was sent.
     */
    static ByteBuf senderReport(ByteBufAllocator alloc, int senderSsrc, String cname, List<DownTrack> downTracks,
                                long nowNanos, long nowNtp) {
        List<SenderReport> reports = new ArrayList<>(downTracks.size());
        for (DownTrack d : downTracks) {
            StreamRewriter r = d.rewriter();
            if (d.packetsSent() == 0) {
                continue;
            }
            long elapsedTicks = (nowNanos - r.lastOutNanos()) * r.clockRate() / 1_000_000_000L;
            reports.add(new SenderReport(d.ssrc(), nowNtp, (int) (r.lastOutTs() + elapsedTicks),
                    (int) d.packetsSent(), (int) d.octetsSent(), List.of()));
        }
        if (reports.isEmpty()) {
            return null;
        }
        SourceDescription sdes = SourceDescription.cname(reports.getFirst().senderSsrc(), cname);
        int length = sdes.encodedLength() + PeerConnection.SRTP_TAIL_ROOM;
        for (SenderReport sr : reports) {
            length += sr.encodedLength();
        }
        ByteBuf out = alloc.directBuffer(length);
        for (SenderReport sr : reports) {
            sr.writeTo(out);
        }
        sdes.writeTo(out);
        return out;
    }
}
