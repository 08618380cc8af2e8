package io.relaymesh.node.metrics;

import java.util.Objects;

/**
 * The node's counters and gauges read at one instant; two of them make a {@link NodeSample}.
 *
 * @param nanoTime        monotonic time of the reading
 * @param publishing      sessions that publish (WHIP, RTMP, SIP) open now
 * @param viewing         sessions that play (WHEP) open now
 * @param latencyBuckets  cumulative per-bucket counts of the in-node latency histogram, overflow last
 * @param processCpu      the process's share of all cores, 0..1, or NaN when unknown
 * @param systemCpu       the machine's load, 0..1, or NaN when unknown
 * @param heapUsedBytes   Java heap in use
 * @param directUsedBytes direct (off-heap) buffer memory in use by Netty's allocator
 */
public record NodeTotals(long nanoTime, long publishing, long viewing, long audioTracks, long videoTracks,
                         long bytesIn, long bytesOut, long packetsIn, long packetsOut, long[] latencyBuckets,
                         double processCpu, double systemCpu, long heapUsedBytes, long directUsedBytes) {

    public NodeTotals {
        Objects.requireNonNull(latencyBuckets, "latencyBuckets");
        latencyBuckets = latencyBuckets.clone();
    }
}
