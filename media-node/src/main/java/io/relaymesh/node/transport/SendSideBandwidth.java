package io.relaymesh.node.transport;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.bwe.BandwidthUsage;
import io.relaymesh.node.bwe.BweConfig;
import io.relaymesh.node.bwe.ProbeController;
import io.relaymesh.node.bwe.SendRateMeter;
import io.relaymesh.node.bwe.SendSideEstimator;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.rtcp.Remb;
import io.relaymesh.node.rtcp.RtcpCompound;
import io.relaymesh.node.rtcp.RtcpPacketType;
import io.relaymesh.node.rtcp.TransportCc;

/**
 * The node-sends leg of one connection: stamps transport-wide sequence numbers on outgoing RTP, remembers when
 * and how much was sent under each, turns the peer's transport-cc feedback and REMB into an estimate, and asks for
 * probe padding. Without transport-cc only REMB is used. Event loop only; nothing here allocates per packet (the
 * estimator's history is a fixed ring; parsing a feedback packet allocates its two arrays, a few times a second).
 */
final class SendSideBandwidth {

    /** Recent feedback round trips kept for the minimum (about two seconds of feedback). */
    static final int RTT_SAMPLES = 16;

    private final BweConfig config;
    private final int extensionId;
    private final TransportSequenceStamper stamper;
    private final SendSideEstimator estimator;
    private final ProbeController probes = new ProbeController();
    private final SendRateMeter sendRate = new SendRateMeter();
    private final RtcpCompound walker = new RtcpCompound();
    private final long[] rttSamples = new long[RTT_SAMPLES];
    private int rttCount;
    private int nextSequence;
    private long remb = -1;
    /** The path has shown over-use or loss (see {@link #pacingEstimateBps()}). */
    private boolean congestionSeen;
    private long feedbackReports;
    private long malformed;
    private long unstampable;

    /**
     * @param extensionId the negotiated transport-wide sequence number extension id, 0 without transport-cc
     * @param stamper     the event loop's stamper (shared: it keeps only a scratch view)
     */
    SendSideBandwidth(int extensionId, BweConfig config, TransportSequenceStamper stamper) {
        this.config = config;
        this.extensionId = extensionId;
        this.stamper = stamper;
        this.estimator = extensionId > 0 ? new SendSideEstimator(config) : null;
    }

    boolean transportCc() {
        return estimator != null;
    }

    /**
     * Stamps the next transport-wide sequence number into {@code packet} (plain RTP, before SRTP).
     *
     * @return the sequence number, or -1 without transport-cc or when the packet could not be stamped
     */
    int stamp(ByteBuf packet) {
        if (estimator == null) {
            return -1;
        }
        int seq = nextSequence;
        if (!stamper.stamp(packet, extensionId, seq)) {
            unstampable++;
            return -1;
        }
        nextSequence = (seq + 1) & 0xFFFF;
        return seq;
    }

    /** The packet stamped {@code sequence} (or -1) left with {@code wireBytes} on the wire. */
    void onSent(int sequence, int wireBytes, long nowNanos) {
        long now = nowNanos / 1000;
        sendRate.onSent(wireBytes, now);
        int cluster = probes.activeCluster();
        probes.onSent(wireBytes);
        if (sequence >= 0) {
            estimator.onPacketSent(sequence, wireBytes, now, cluster);
        }
    }

    /**
     * Takes what concerns bandwidth from a decrypted RTCP compound from the peer: transport-cc feedback (when
     * negotiated) and REMB. A packet that fails to parse is counted and skipped; the rest of the compound is still
     * read. The compound itself is left untouched for the media handler.
     *
     * @return how many packets were malformed (and dropped)
     */
    int onRtcp(ByteBuf compound, long nowNanos) {
        int bad = 0;
        walker.reset(compound);
        while (true) {
            try {
                if (!walker.next()) {
                    break;
                }
            } catch (ProtocolException e) {
                bad++; // the walk cannot continue; the handler sees the same compound and judges it itself
                break;
            }
            int type = walker.packetType();
            int fmt = walker.fmt();
            try {
                if (type == RtcpPacketType.RTPFB && fmt == RtcpPacketType.FMT_TRANSPORT_CC && estimator != null) {
                    onTransportCc(TransportCc.parse(compound, walker.offset()), nowNanos / 1000);
                } else if (type == RtcpPacketType.PSFB && fmt == RtcpPacketType.FMT_AFB
                        && Remb.isRemb(compound, walker.offset())) {
                    remb = Remb.parse(compound, walker.offset()).bitrate();
                }
            } catch (ProtocolException e) {
                bad++;
            }
        }
        malformed += bad;
        return bad;
    }

    private void onTransportCc(TransportCc feedback, long nowMicros) {
        long newestBefore = estimator.lastAcknowledgedSendMicros();
        estimator.onFeedback(feedback, nowMicros);
        feedbackReports++;
        if (estimator.usage() == BandwidthUsage.OVERUSING || estimator.lossFraction() > ProbeController.MAX_LOSS) {
            congestionSeen = true;
        }
        long newest = estimator.lastAcknowledgedSendMicros();
        if (newest > newestBefore) {
            rttSamples[rttCount++ % RTT_SAMPLES] = nowMicros - newest;
        }
    }

    /** The estimate, bits per second: the estimator's target bounded by REMB; REMB alone; -1 without either. */
    long estimateBps() {
        if (estimator == null || feedbackReports == 0) {
            return remb;
        }
        long target = estimator.targetBitrate();
        return remb >= 0 ? Math.min(target, remb) : target;
    }

    /**
     * The estimate to pace at: {@link #estimateBps()} once the path has shown congestion (over-use or loss), -1
     * before: nothing is paced. A viewer's stream cannot be made smaller than its layer, so pacing only helps where a
     * link's queue is short: it spreads keyframes into it. Before that it only costs: pacing at 2.5 times the
     * 300 kbit/s start guess held a 2.5 Mbit/s RTMP stream in the pacer's 250 ms queue until the estimate had climbed
     * (first picture 1.6 s instead of 0.8 s, glass-to-glass 310 ms instead of 30). A REMB is the peer's own
     * measurement and counts at once.
     */
    long pacingEstimateBps() {
        if (estimator == null || feedbackReports == 0) {
            return remb;
        }
        return congestionSeen ? estimateBps() : -1;
    }

    /** Padding bytes a probe wants sent now; 0 without transport-cc (a probe could not be measured). */
    int paddingWantedBytes(long nowNanos) {
        return paddingWantedBytes(nowNanos, -1);
    }

    /**
     * As {@link #paddingWantedBytes(long)} for a sender that would send {@code desiredBps} if the estimate allowed
     * (-1: unknown); see {@link ProbeController#paddingWanted(long, long, long, long, long, BandwidthUsage, double)}.
     */
    int paddingWantedBytes(long nowNanos, long desiredBps) {
        if (estimator == null || feedbackReports == 0) {
            return 0;
        }
        long now = nowNanos / 1000;
        long ceiling = remb >= 0 ? Math.min(remb, config.maxBitrate()) : config.maxBitrate();
        return probes.paddingWanted(now, estimateBps(), ceiling, sendRate.rateBps(now), desiredBps, estimator.usage(),
                estimator.lossFraction());
    }

    /** The rate of the open probe cluster (media and padding together), 0 when none is open. */
    long probeRateBps() {
        return probes.activeRateBps();
    }

    /** Packets that should have carried a sequence number but could not be stamped. */
    long unstampable() {
        return unstampable;
    }

    BandwidthStats stats(long nowNanos) {
        long now = nowNanos / 1000;
        long rtt = -1;
        for (int i = 0; i < Math.min(rttCount, RTT_SAMPLES); i++) {
            rtt = rtt < 0 ? rttSamples[i] : Math.min(rtt, rttSamples[i]);
        }
        boolean tcc = estimator != null && feedbackReports > 0;
        return new BandwidthStats(estimateBps(),
                tcc ? estimator.delayBasedBitrate() : -1,
                tcc ? estimator.lossBasedBitrate() : -1,
                tcc ? estimator.acknowledgedBitrate() : -1,
                remb, sendRate.rateBps(now),
                estimator == null ? -1 : estimator.probeResultBitrate(),
                estimator == null ? 0 : estimator.lossFraction(),
                rtt,
                estimator == null ? BandwidthUsage.NORMAL : estimator.usage(),
                estimator != null, feedbackReports, malformed, probes.probes());
    }
}
