package io.relaymesh.node.metrics;

import io.relaymesh.node.transport.InNodeLatency;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The last few minutes of the node as {@link NodeSample}s, for the dashboard: {@link #sample()} reads the
 * node's totals, turns the difference from the previous reading into rates, and keeps the result in a ring of
 * fixed size. Sampling runs on one scheduler thread; {@link #after} serves readers on HTTP threads.
 */
public final class NodeHistory {

    private final Supplier<NodeTotals> totals;
    private final Clock clock;
    private final NodeSample[] ring;
    private NodeTotals previous;
    private long nextSeq = 1;

    /**
     * @param capacity samples kept (at one per second, 300 is five minutes)
     * @param totals   reads the node's counters now
     */
    public NodeHistory(int capacity, Supplier<NodeTotals> totals, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.ring = new NodeSample[capacity];
        this.totals = totals;
        this.clock = clock;
    }

    /**
     * Reads the totals; from the second reading on, appends a sample of the interval since the previous one.
     * Returns the new sample, or null for the first reading.
     */
    public NodeSample sample() {
        NodeTotals now = totals.get();
        long wall = clock.millis();
        synchronized (this) {
            NodeTotals before = previous;
            previous = now;
            if (before == null || now.nanoTime() <= before.nanoTime()) {
                return null;
            }
            NodeSample s = between(nextSeq, wall, before, now);
            ring[(int) (nextSeq % ring.length)] = s;
            nextSeq++;
            return s;
        }
    }

    /** Samples with {@code seq > after}, oldest first (at most the ring's capacity). */
    public synchronized List<NodeSample> after(long after) {
        long first = Math.max(after + 1, Math.max(1, nextSeq - ring.length));
        List<NodeSample> out = new ArrayList<>((int) Math.max(0, nextSeq - first));
        for (long seq = first; seq < nextSeq; seq++) {
            out.add(ring[(int) (seq % ring.length)]);
        }
        return out;
    }

    static NodeSample between(long seq, long wallMillis, NodeTotals a, NodeTotals b) {
        double seconds = (b.nanoTime() - a.nanoTime()) / 1e9;
        long[] forwarded = new long[b.latencyBuckets().length];
        for (int i = 0; i < forwarded.length; i++) {
            forwarded[i] = b.latencyBuckets()[i] - (i < a.latencyBuckets().length ? a.latencyBuckets()[i] : 0);
        }
        return new NodeSample(seq, wallMillis, b.publishing(), b.viewing(), b.audioTracks(), b.videoTracks(),
                rate(b.bytesIn() - a.bytesIn(), seconds) * 8, rate(b.bytesOut() - a.bytesOut(), seconds) * 8,
                rate(b.packetsIn() - a.packetsIn(), seconds), rate(b.packetsOut() - a.packetsOut(), seconds),
                percent(b.processCpu()), percent(b.systemCpu()), b.heapUsedBytes(), b.directUsedBytes(),
                quantileMicros(forwarded, 0.50), quantileMicros(forwarded, 0.99));
    }

    private static double rate(long delta, double seconds) {
        return Math.max(0, delta) / seconds;
    }

    private static Double percent(double share) {
        return Double.isNaN(share) || share < 0 ? null : share * 100;
    }

    /**
     * The {@code q} quantile of per-bucket counts laid out as {@link InNodeLatency}'s, interpolated linearly
     * inside the bucket it falls in (as Prometheus' histogram_quantile does); null for no data. A quantile in
     * the overflow bucket is reported as the largest finite bound.
     */
    static Double quantileMicros(long[] counts, double q) {
        long total = 0;
        for (long c : counts) {
            total += Math.max(0, c);
        }
        if (total == 0) {
            return null;
        }
        double rank = q * total;
        long cumulative = 0;
        for (int i = 0; i < counts.length; i++) {
            long c = Math.max(0, counts[i]);
            if (c > 0 && cumulative + c >= rank) {
                if (i >= InNodeLatency.BUCKETS) {
                    return InNodeLatency.upperBoundSeconds(InNodeLatency.BUCKETS - 1) * 1e6;
                }
                double upper = InNodeLatency.upperBoundSeconds(i) * 1e6;
                double lower = i == 0 ? 0 : InNodeLatency.upperBoundSeconds(i - 1) * 1e6;
                return lower + (upper - lower) * (rank - cumulative) / c;
            }
            cumulative += c;
        }
        return InNodeLatency.upperBoundSeconds(InNodeLatency.BUCKETS - 1) * 1e6;
    }
}
