package io.relaymesh.node.bwe;

/**
 * Decides when to probe for more bandwidth and how much padding a probe needs (GCC-like probe clusters). A sender
 * that sends less than its estimate allows (application limited: a viewer of a low layer) never learns that the
 * path could carry more, because the delay-based rate only grows to a multiple of what was acknowledged. So when
 * it has been sending below {@link #APPLICATION_LIMITED} of the estimate, or the sender says it would send more than
 * the estimate allows (a viewer held below the layer it could use), and the path looks clean, the controller
 * opens a cluster: for a short time (at least {@link #MIN_CLUSTER_MICROS}, long enough for
 * {@link #MIN_CLUSTER_BYTES}) it wants the sender to send at {@link #PROBE_FACTOR} times the estimate, media and
 * padding together. Every packet sent while a cluster is open carries its id; the estimator measures what the
 * cluster's packets achieved ({@link SendSideEstimator#onPacketSent(int, int, long, int)}).
 *
 * <p>The sender sends a cluster in bursts, one per call (its pacing timer). The first burst is
 * {@link #LOOKAHEAD_MICROS} of the rate; each later one whatever brings the total to the rate times the time since
 * the cluster opened, plus that first burst. So the bytes after the first burst are always the rate times the time
 * from the first burst to the last, however late a call comes, and that is how {@link ProbeClusters} reads a
 * cluster's send rate. A cluster ends by time, at its first call at or after its duration; a call more than
 * {@link #GRACE_MICROS} past it (the sender stalled) sends nothing more.
 *
 * <p>A sender that says what it would send ({@code desiredBps}, an SFU viewer's best layers) probes only for that:
 * not once the estimate reaches {@link #DESIRED_HEADROOM} times it, and never above {@link #PROBE_FACTOR} times it.
 * Probing on to the path's capacity would only find its queue: the detector reads over-use, the delay-based rate
 * falls to 85 % of what an application-limited viewer acknowledged, and the viewer that had just been allowed up
 * falls back a layer (an AdaptiveIT VP9 run: the estimate at 5 Mbit/s for a 1 Mbit/s top layer, each further probe
 * followed by a fall to 0.5 Mbit/s, the climb back 8.4 s instead of 2.5).
 *
 * <p>At most one cluster per {@link #INTERVAL_MICROS}, except right after a cluster that worked: once the estimate
 * has risen to {@link #FURTHER_PROBE_SHARE} of the rate that cluster probed at, the path carried it, and the next
 * cluster (at twice the new estimate) opens after only {@link #FURTHER_PROBE_GAP_MICROS}. A viewer whose link
 * recovers thereby climbs from 200 kbit/s to several Mbit/s in about a second instead of one doubling per interval.
 * A cluster is abandoned, and the next one postponed by
 * {@link #BACKOFF_MICROS}, as soon as the estimator reports over-use or loss above {@link #MAX_LOSS}. Not
 * thread-safe; allocation-free.
 */
public final class ProbeController {

    static final double PROBE_FACTOR = 2.0;
    /**
     * No probing once the estimate is this many times what the sender would send: room for the layer selection's
     * up-switch margin (115 %) and the estimate's dips.
     */
    static final double DESIRED_HEADROOM = 1.5;
    static final long MIN_CLUSTER_MICROS = 15_000;
    /** Enough for five full-size packets, the fewest the estimator measures a rate from. */
    static final int MIN_CLUSTER_BYTES = 5 * 1200;
    static final long INTERVAL_MICROS = 2_000_000;
    /** The estimate reaching this share of a cluster's rate means the cluster succeeded: probe further at once. */
    static final double FURTHER_PROBE_SHARE = 0.7;
    /** Least time between a successful cluster and the next (its feedback must have come back in between). */
    static final long FURTHER_PROBE_GAP_MICROS = 100_000;
    /**
     * Pause after a cluster that met congestion. Short enough that a viewer whose link recovers right after a
     * failed probe is probed again well within the 10 s a viewer may take to climb back (AdaptiveIT measures it).
     */
    static final long BACKOFF_MICROS = 4_000_000;
    /** Sending below this share of the estimate means the sender, not the path, limits the rate. */
    static final double APPLICATION_LIMITED = 0.75;
    public static final double MAX_LOSS = 0.02;
    /**
     * The first call of a cluster already asks for this much sending time, so the burst starts at once: one interval
     * of the node's pacing timer, which carries the cluster on.
     */
    static final long LOOKAHEAD_MICROS = 5_000;
    /** A call this long past the cluster's end (the sender stalled) ends it without sending more. */
    static final long GRACE_MICROS = 50_000;

    private int clusterId;
    private boolean active;
    private long clusterStart;
    private long clusterRateBps;
    private long clusterDurationMicros;
    private long clusterBytesSent;
    private long nextProbeMicros = Long.MIN_VALUE;
    /** Rate of the last cluster that ended without congestion, 0 when it failed or was used up. */
    private long lastClusterRateBps;
    private long lastClusterEndMicros;
    private long probes;
    private long aborted;

    /** Id of the open cluster, to tag packets sent now with; 0 when none is open. */
    public int activeCluster() {
        return active ? clusterId : 0;
    }

    /** The rate the open cluster probes at, bits per second; 0 when none is open. */
    public long activeRateBps() {
        return active ? clusterRateBps : 0;
    }

    /** Counts a sent packet (media or padding) towards the open cluster. */
    public void onSent(int sizeBytes) {
        if (active) {
            clusterBytesSent += sizeBytes;
        }
    }

    /**
     * Bytes of padding wanted now.
     *
     * @param estimateBps the current estimate; no probing without one ({@code <= 0})
     * @param maxBps      the estimate's ceiling: nothing to probe for above it
     * @param sendRateBps what the sender sent recently
     * @param usage       the estimator's over-use verdict
     * @param loss        the estimator's loss fraction
     */
    public int paddingWanted(long nowMicros, long estimateBps, long maxBps, long sendRateBps, BandwidthUsage usage,
                             double loss) {
        return paddingWanted(nowMicros, estimateBps, maxBps, sendRateBps, -1, usage, loss);
    }

    /**
     * Bytes of padding wanted now, for a sender that knows what it would send with more bandwidth.
     *
     * @param desiredBps what the sender would send if the estimate allowed (an SFU: the layers its viewer's
     *                   preferences allow), -1 when unknown. Above the estimate it makes the sender probe although it
     *                   is not application limited: a viewer held on a low layer by a slow link sends what the link
     *                   carries, and without probing would only notice that the link recovered by the estimate's
     *                   slow growth. It also bounds probing (see the class comment).
     */
    public int paddingWanted(long nowMicros, long estimateBps, long maxBps, long sendRateBps, long desiredBps,
                             BandwidthUsage usage, double loss) {
        boolean congested = usage == BandwidthUsage.OVERUSING || loss > MAX_LOSS;
        if (active) {
            if (congested) {
                active = false;
                aborted++;
                nextProbeMicros = nowMicros + BACKOFF_MICROS;
                lastClusterRateBps = 0;
                return 0;
            }
            long elapsed = nowMicros - clusterStart;
            if (elapsed < clusterDurationMicros) {
                return due(elapsed);
            }
            active = false;
            nextProbeMicros = nowMicros + INTERVAL_MICROS;
            lastClusterRateBps = clusterRateBps;
            lastClusterEndMicros = nowMicros;
            return elapsed > clusterDurationMicros + GRACE_MICROS ? 0 : due(elapsed);
        }
        if (congested) {
            nextProbeMicros = Math.max(nextProbeMicros, nowMicros + INTERVAL_MICROS);
            lastClusterRateBps = 0;
            return 0;
        }
        if (lastClusterRateBps > 0 && estimateBps >= FURTHER_PROBE_SHARE * lastClusterRateBps
                && nowMicros - lastClusterEndMicros >= FURTHER_PROBE_GAP_MICROS) {
            nextProbeMicros = nowMicros; // the last cluster worked: go on doubling
        }
        boolean applicationLimited = sendRateBps < APPLICATION_LIMITED * estimateBps;
        // what is worth probing for: the ceiling, or (when the sender knows) a multiple of what it would send
        long worth = desiredBps < 0 ? maxBps : (long) Math.min(maxBps, PROBE_FACTOR * desiredBps);
        if (nowMicros < nextProbeMicros || estimateBps <= 0 || estimateBps >= maxBps
                || (desiredBps >= 0 && estimateBps >= DESIRED_HEADROOM * desiredBps)
                || (!applicationLimited && desiredBps <= estimateBps)) {
            return 0;
        }
        active = true;
        lastClusterRateBps = 0;
        clusterId++;
        probes++;
        clusterStart = nowMicros;
        clusterRateBps = (long) Math.min(PROBE_FACTOR * estimateBps, worth);
        clusterDurationMicros = Math.max(MIN_CLUSTER_MICROS, MIN_CLUSTER_BYTES * 8_000_000L / clusterRateBps);
        clusterBytesSent = 0;
        return due(0);
    }

    /** What brings the cluster's bytes (media included) to its rate times the elapsed time plus the first burst. */
    private int due(long elapsedMicros) {
        long scheduled = clusterRateBps * (elapsedMicros + LOOKAHEAD_MICROS) / 8_000_000L;
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, scheduled - clusterBytesSent));
    }

    /** Clusters opened so far. */
    public long probes() {
        return probes;
    }

    /** Clusters abandoned because the path showed congestion. */
    public long aborted() {
        return aborted;
    }
}
