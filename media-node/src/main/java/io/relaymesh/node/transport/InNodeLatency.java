package io.relaymesh.node.transport;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How long forwarded RTP datagrams stay inside the node: from the moment the transport starts processing a
 * datagram Netty read from the socket to the moment the last packet it caused (one per viewer) was queued on
 * the socket. It excludes the kernel's queues on both sides and the wait for the flush at the end of the read
 * batch.
 *
 * <p>Counts go into fixed power-of-two buckets (upper bounds 1 us, 2 us, 4 us ... 131 ms, then overflow), so
 * recording allocates nothing and takes no lock. One writer (the media event loop) records; any thread reads,
 * e.g. a metrics scrape.
 */
public final class InNodeLatency {

    /** Finite buckets; bucket {@code i} counts times up to 2^i microseconds. One overflow bucket follows. */
    public static final int BUCKETS = 18;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS + 1);
    private final AtomicLong sumNanos = new AtomicLong();

    /**
     * Records one datagram's time in the node. Single writer: only the thread that owns this histogram (the
     * media event loop) may call it; any thread may read.
     */
    public void record(long nanos) {
        int bucket = bucketOf(nanos);
        // Single writer: a release store of the incremented value is enough for readers on other threads.
        counts.setRelease(bucket, counts.getPlain(bucket) + 1);
        sumNanos.setRelease(sumNanos.getPlain() + Math.max(0, nanos));
    }

    /** The bucket that counts {@code nanos}: the smallest 2^i us that is at least it, or the overflow bucket. */
    static int bucketOf(long nanos) {
        if (nanos <= 1_000) {
            return 0;
        }
        long micros = (nanos + 999) / 1_000;
        return Math.min(BUCKETS, 64 - Long.numberOfLeadingZeros(micros - 1));
    }

    /** Upper bound of finite bucket {@code bucket}, in seconds. */
    public static double upperBoundSeconds(int bucket) {
        if (bucket < 0 || bucket >= BUCKETS) {
            throw new IllegalArgumentException("finite buckets are 0.." + (BUCKETS - 1) + ": " + bucket);
        }
        return (1L << bucket) / 1e6;
    }

    /** Datagrams counted in {@code bucket} (not cumulative); {@link #BUCKETS} is the overflow bucket. */
    public long count(int bucket) {
        return counts.get(bucket);
    }

    /** Per-bucket counts, the overflow bucket last. */
    public long[] snapshot() {
        long[] out = new long[BUCKETS + 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = counts.get(i);
        }
        return out;
    }

    /** Datagrams recorded. */
    public long total() {
        long sum = 0;
        for (int i = 0; i <= BUCKETS; i++) {
            sum += counts.get(i);
        }
        return sum;
    }

    /** Sum of the recorded times. */
    public long sumNanos() {
        return sumNanos.get();
    }
}
