package io.relaymesh.node.bwe;

/**
 * Measures what each probe cluster achieved (GCC's probe-based estimate): from the acknowledged packets of a
 * cluster, the rate they were sent at and the rate they arrived at (bytes after the first arrival over the arrival
 * span). The smaller of the two is what the path carried: a bottleneck narrower than the probe spreads the arrivals
 * out.
 *
 * <p>The node sends a cluster in bursts, one per pacing timer tick, not packet by packet; the send rate is therefore
 * the bytes sent after the first burst (packets within {@link #SEND_BURST_MICROS} of the first) over the time from
 * the first burst to the last packet: N bursts over N - 1 gaps, each later burst paying for the time since the one
 * before ({@link ProbeController} sends so). Counting the first burst too would read a cluster of three bursts at
 * 1.5 times the rate it was sent at. A fixed table of {@link #SLOTS} clusters, indexed by id, so
 * nothing is allocated.
 */
final class ProbeClusters {

    static final int SLOTS = 4;
    /** Fewer acknowledged packets than this say nothing reliable about a rate. */
    static final int MIN_PACKETS = 5;
    /** Neither span may be shorter than this: two packets back to back would read as an infinite rate. */
    static final long MIN_SPAN_MICROS = 2_000;
    /** Packets sent within this of a cluster's first belong to its first burst (one call of the sender). */
    static final long SEND_BURST_MICROS = 500;

    private final int[] ids = new int[SLOTS];
    private final int[] packets = new int[SLOTS];
    private final long[] bytes = new long[SLOTS];
    private final long[] firstSend = new long[SLOTS];
    private final long[] lastSend = new long[SLOTS];
    private final long[] firstBurstBytes = new long[SLOTS];
    private final long[] firstArrival = new long[SLOTS];
    private final int[] firstArrivalSize = new int[SLOTS];
    private final long[] lastArrival = new long[SLOTS];

    void onAcked(int clusterId, long sendMicros, long arrivalMicros, int sizeBytes) {
        int slot = clusterId & (SLOTS - 1);
        if (ids[slot] != clusterId) {
            ids[slot] = clusterId;
            packets[slot] = 0;
            bytes[slot] = 0;
        }
        if (packets[slot] == 0) {
            firstSend[slot] = sendMicros;
            lastSend[slot] = sendMicros;
            firstBurstBytes[slot] = sizeBytes;
            firstArrival[slot] = arrivalMicros;
            firstArrivalSize[slot] = sizeBytes;
            lastArrival[slot] = arrivalMicros;
        } else {
            if (sendMicros < firstSend[slot] - SEND_BURST_MICROS) {
                // reordered feedback: an earlier burst; the one taken for the first counts as sent after it
                firstSend[slot] = sendMicros;
                firstBurstBytes[slot] = sizeBytes;
            } else if (sendMicros < firstSend[slot] + SEND_BURST_MICROS) {
                firstSend[slot] = Math.min(firstSend[slot], sendMicros);
                firstBurstBytes[slot] += sizeBytes;
            }
            lastSend[slot] = Math.max(lastSend[slot], sendMicros);
            if (arrivalMicros < firstArrival[slot]) {
                firstArrival[slot] = arrivalMicros;
                firstArrivalSize[slot] = sizeBytes;
            }
            lastArrival[slot] = Math.max(lastArrival[slot], arrivalMicros);
        }
        packets[slot]++;
        bytes[slot] += sizeBytes;
    }

    /** The rate cluster {@code clusterId} demonstrated, bits per second, or -1 while it is not measurable. */
    long rate(int clusterId) {
        int slot = clusterId & (SLOTS - 1);
        if (clusterId <= 0 || ids[slot] != clusterId || packets[slot] < MIN_PACKETS) {
            return -1;
        }
        long sendSpan = lastSend[slot] - firstSend[slot];
        long arrivalSpan = lastArrival[slot] - firstArrival[slot];
        if (sendSpan < MIN_SPAN_MICROS || arrivalSpan < MIN_SPAN_MICROS) {
            return -1;
        }
        double sendRate = (bytes[slot] - firstBurstBytes[slot]) * 8e6 / sendSpan;
        double arrivalRate = (bytes[slot] - firstArrivalSize[slot]) * 8e6 / arrivalSpan;
        return (long) Math.min(sendRate, arrivalRate);
    }
}
