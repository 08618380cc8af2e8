package io.relaymesh.node.bwe;

import io.relaymesh.node.rtcp.TransportCc;

/**
 * A send-side bandwidth estimate in the spirit of Google congestion control (draft-ietf-rmcat-gcc-02 with
 * transport-wide feedback): the sender records every packet it sends under its transport-wide sequence number; each
 * {@link TransportCc} report pairs send and arrival times. Packets sent within {@link #BURST_MICROS} of a group's
 * first form one arrival group; the delay variation between consecutive groups feeds a {@link TrendlineFilter} and
 * {@link OveruseDetector}, whose verdict drives {@link AimdRateControl}. The loss over a window of reports drives a
 * {@link LossBasedBound}; the target is the smaller of the two.
 *
 * <p>Not thread-safe: one instance per transport, called from its event loop. Time is injected (µs on the sender's
 * monotonic clock for send and "now" times). All state lives in fixed arrays: {@link #onPacketSent} and
 * {@link #onFeedback} allocate nothing (parsing the {@link TransportCc} itself allocates its two arrays).
 */
public final class SendSideEstimator {

    static final long BURST_MICROS = 5_000;
    /** Share of a probe's measured rate the estimate may jump to. */
    static final double PROBE_USABLE_SHARE = 0.95;
    /**
     * Loss is measured over at least this many packets and this much time: at low rates one report covers only a
     * handful of packets, and one loss among six would read as 16 %.
     */
    static final int LOSS_WINDOW_PACKETS = 50;
    static final long LOSS_WINDOW_MICROS = 500_000;
    /** Sent packets remembered; far more than are ever unacknowledged at once. */
    static final int HISTORY = 1 << 14;
    private static final int MASK = HISTORY - 1;
    private static final long REFERENCE_WRAP_MICROS = (TransportCc.MAX_REFERENCE_TIME + 1L)
            * TransportCc.REFERENCE_TICK_MICROS;

    private final int[] sequences = new int[HISTORY];
    private final long[] sendTimes = new long[HISTORY];
    private final int[] sizes = new int[HISTORY];
    private final boolean[] acked = new boolean[HISTORY];
    private final int[] clusters = new int[HISTORY];

    private final TrendlineFilter trendline = new TrendlineFilter();
    private final OveruseDetector detector = new OveruseDetector();
    private final AcknowledgedBitrate acknowledged = new AcknowledgedBitrate();
    private final ProbeClusters probeClusters = new ProbeClusters();
    private final AimdRateControl delayBased;
    private final LossBasedBound lossBased;

    private long groupFirstSend = -1;
    private long groupLastSend;
    private long groupLastArrival;
    private long previousLastSend = -1;
    private long previousLastArrival;

    private long referenceOffsetMicros;
    private int lastReferenceTime = -1;
    private double lossFraction;
    private long lossWindowStart = -1;
    private int windowLost;
    private int windowPackets;
    private long target;
    private long lastProbeResult = -1;
    private long lastAckedSendMicros = -1;

    public SendSideEstimator(BweConfig config) {
        delayBased = new AimdRateControl(config.initialBitrate(), config.minBitrate(), config.maxBitrate());
        lossBased = new LossBasedBound(config.initialBitrate(), config.minBitrate(), config.maxBitrate());
        target = config.initialBitrate();
        java.util.Arrays.fill(sequences, -1);
    }

    /** Records a packet as it leaves, under its 16-bit transport-wide sequence number. */
    public void onPacketSent(int transportSequence, int sizeBytes, long sendTimeMicros) {
        onPacketSent(transportSequence, sizeBytes, sendTimeMicros, 0);
    }

    /**
     * Records a packet as it leaves; {@code probeCluster} is the {@link ProbeController#activeCluster()} it was sent
     * in (0 for none). Padding counts like any packet: its feedback feeds the delay and loss estimates too.
     */
    public void onPacketSent(int transportSequence, int sizeBytes, long sendTimeMicros, int probeCluster) {
        int seq = transportSequence & 0xFFFF;
        int slot = seq & MASK;
        sequences[slot] = seq;
        sendTimes[slot] = sendTimeMicros;
        sizes[slot] = sizeBytes;
        acked[slot] = false;
        clusters[slot] = probeCluster;
    }

    /** Updates the estimate from a feedback report received at {@code nowMicros}. */
    public void onFeedback(TransportCc feedback, long nowMicros) {
        long arrival = unwrapReference(feedback.referenceTime());
        int received = 0;
        int lost = 0;
        int probed = 0;
        for (int i = 0; i < feedback.packetStatusCount(); i++) {
            int seq = (feedback.baseSequence() + i) & 0xFFFF;
            int slot = seq & MASK;
            boolean known = sequences[slot] == seq && !acked[slot];
            if (!feedback.received(i)) {
                lost += known ? 1 : 0;
                continue;
            }
            arrival += feedback.deltaMicros(i);
            if (!known) {
                continue;
            }
            acked[slot] = true;
            received++;
            acknowledged.onAcked(arrival, sizes[slot]);
            onArrival(sendTimes[slot], arrival);
            lastAckedSendMicros = Math.max(lastAckedSendMicros, sendTimes[slot]);
            if (clusters[slot] > 0) {
                probeClusters.onAcked(clusters[slot], sendTimes[slot], arrival, sizes[slot]);
                probed = Math.max(probed, clusters[slot]);
            }
        }
        if (lossWindowStart < 0) {
            lossWindowStart = nowMicros;
        }
        windowLost += lost;
        windowPackets += received + lost;
        delayBased.update(detector.state(), acknowledged.bitrate(), nowMicros);
        if (windowPackets >= LOSS_WINDOW_PACKETS && nowMicros - lossWindowStart >= LOSS_WINDOW_MICROS) {
            lossFraction = (double) windowLost / windowPackets;
            lossBased.update(lossFraction, target, acknowledged.bitrate(), nowMicros);
            windowLost = 0;
            windowPackets = 0;
            lossWindowStart = nowMicros;
        }
        if (probed > 0) {
            applyProbe(probeClusters.rate(probed));
        }
        target = (long) Math.min(delayBased.bitrate(), lossBased.bitrate());
    }

    /**
     * A probe showed the path carried {@code rateBps}: both estimates may start from a little below it (not from
     * above: the probe filled a queue for a moment). The loss bound only follows while loss is low.
     */
    private void applyProbe(long rateBps) {
        if (rateBps <= 0) {
            return;
        }
        long usable = (long) (rateBps * PROBE_USABLE_SHARE);
        lastProbeResult = Math.max(lastProbeResult, rateBps);
        if (detector.state() != BandwidthUsage.OVERUSING) {
            delayBased.raiseTo(usable);
        }
        if (lossFraction < LossBasedBound.LOW_LOSS) {
            lossBased.raiseTo(usable);
        }
    }

    private void onArrival(long sendMicros, long arrivalMicros) {
        if (groupFirstSend < 0) {
            startGroup(sendMicros, arrivalMicros);
            return;
        }
        if (sendMicros < groupFirstSend) {
            return; // sent before the current group: reordered, its group is already closed
        }
        if (sendMicros - groupFirstSend <= BURST_MICROS) {
            groupLastSend = Math.max(groupLastSend, sendMicros);
            groupLastArrival = Math.max(groupLastArrival, arrivalMicros);
            return;
        }
        if (previousLastSend >= 0) {
            long sendDelta = groupLastSend - previousLastSend;
            long arrivalDelta = groupLastArrival - previousLastArrival;
            if (arrivalDelta >= 0) {
                double arrivalMs = groupLastArrival / 1000.0;
                trendline.update((arrivalDelta - sendDelta) / 1000.0, arrivalMs);
                detector.detect(trendline.modifiedTrend(), sendDelta / 1000.0, arrivalMs);
            }
        }
        previousLastSend = groupLastSend;
        previousLastArrival = groupLastArrival;
        startGroup(sendMicros, arrivalMicros);
    }

    private void startGroup(long sendMicros, long arrivalMicros) {
        groupFirstSend = sendMicros;
        groupLastSend = sendMicros;
        groupLastArrival = arrivalMicros;
    }

    /** The 24-bit reference time wraps every ~12.4 days; keep the receiver's clock monotonic across it. */
    private long unwrapReference(int referenceTime) {
        if (lastReferenceTime >= 0) {
            int diff = referenceTime - lastReferenceTime;
            if (diff < -(TransportCc.MAX_REFERENCE_TIME / 2)) {
                referenceOffsetMicros += REFERENCE_WRAP_MICROS;
            } else if (diff > TransportCc.MAX_REFERENCE_TIME / 2) {
                referenceOffsetMicros -= REFERENCE_WRAP_MICROS;
            }
        }
        lastReferenceTime = referenceTime;
        return referenceOffsetMicros + referenceTime * TransportCc.REFERENCE_TICK_MICROS;
    }

    /** The bitrate the sender should aim for, bits per second. */
    public long targetBitrate() {
        return target;
    }

    /** The delay-based estimate alone. */
    public long delayBasedBitrate() {
        return (long) delayBased.bitrate();
    }

    /** The loss-based bound alone. */
    public long lossBasedBitrate() {
        return (long) lossBased.bitrate();
    }

    /** What the receiver acknowledged, bits per second; 0 before the first measurement window closed. */
    public long acknowledgedBitrate() {
        double acked = acknowledged.bitrate();
        return Double.isNaN(acked) ? 0 : (long) acked;
    }

    /** Loss fraction of the last completed loss window (see {@link #LOSS_WINDOW_PACKETS}). */
    public double lossFraction() {
        return lossFraction;
    }

    public BandwidthUsage usage() {
        return detector.state();
    }

    /** The highest rate a probe cluster demonstrated so far, bits per second, or -1 before any. */
    public long probeResultBitrate() {
        return lastProbeResult;
    }

    /** Send time (µs) of the newest packet a feedback acknowledged, or -1 before any. */
    public long lastAcknowledgedSendMicros() {
        return lastAckedSendMicros;
    }
}
