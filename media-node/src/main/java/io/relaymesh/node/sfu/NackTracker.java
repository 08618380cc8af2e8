package io.relaymesh.node.sfu;

/**
 * Finds packets lost on a publisher's leg and decides when to ask for them again (RFC 4585 generic NACK).
 *
 * <p>A gap in sequence numbers records the missing numbers; each is requested after a short reorder grace,
 * then again every retry interval, up to a few times and while it is still young enough to be useful.
 * Bounded: a gap wider than the capacity is not NACKed (a keyframe request repairs faster). Event loop only;
 * no allocation.
 */
final class NackTracker {

    private final int capacity;
    private final int[] seqs;
    private final long[] detectedAt;
    private final long[] lastSentAt;
    private final int[] attempts;
    private final long reorderGraceNanos;
    private final long retryIntervalNanos;
    private final long maxAgeNanos;
    private final int maxAttempts;
    private int size;
    private boolean started;
    private int highest;

    NackTracker(int capacity, long reorderGraceNanos, long retryIntervalNanos, long maxAgeNanos, int maxAttempts) {
        this.capacity = capacity;
        this.seqs = new int[capacity];
        this.detectedAt = new long[capacity];
        this.lastSentAt = new long[capacity];
        this.attempts = new int[capacity];
        this.reorderGraceNanos = reorderGraceNanos;
        this.retryIntervalNanos = retryIntervalNanos;
        this.maxAgeNanos = maxAgeNanos;
        this.maxAttempts = maxAttempts;
    }

    static NackTracker forVideo() {
        return new NackTracker(256, 10_000_000L, 50_000_000L, 1_000_000_000L, 10);
    }

    /**
     * Accounts a received packet.
     *
     * @return true when a gap too large to repair by NACK was seen (the caller should request a keyframe)
     */
    boolean onPacket(int seq, long nowNanos) {
        if (!started) {
            started = true;
            highest = seq;
            return false;
        }
        int delta = (seq - highest) & 0xFFFF;
        if (delta == 0) {
            return false;
        }
        if (delta < 0x8000) { // newer
            int gap = delta - 1;
            highest = seq;
            if (gap == 0) {
                return false;
            }
            if (gap > capacity - size) {
                if (gap > capacity) {
                    size = 0;
                    return true;
                }
                evictOldest(gap - (capacity - size));
            }
            for (int i = 1; i <= gap; i++) {
                int missing = (seq - gap - 1 + i) & 0xFFFF;
                seqs[size] = missing;
                detectedAt[size] = nowNanos;
                lastSentAt[size] = 0;
                attempts[size] = 0;
                size++;
            }
            return false;
        }
        remove(seq); // late or retransmitted
        return false;
    }

    /**
     * Sequence numbers to NACK now, written into {@code out}; each returned number counts as one attempt.
     *
     * @return how many were written
     */
    int due(long nowNanos, int[] out) {
        int n = 0;
        int i = 0;
        while (i < size) {
            boolean expired = nowNanos - detectedAt[i] > maxAgeNanos || attempts[i] >= maxAttempts;
            if (expired) {
                removeAt(i);
                continue;
            }
            boolean graceOver = nowNanos - detectedAt[i] >= reorderGraceNanos;
            boolean retryDue = attempts[i] == 0 || nowNanos - lastSentAt[i] >= retryIntervalNanos;
            if (graceOver && retryDue && n < out.length) {
                out[n++] = seqs[i];
                attempts[i]++;
                lastSentAt[i] = nowNanos;
            }
            i++;
        }
        return n;
    }

    int missingCount() {
        return size;
    }

    private void remove(int seq) {
        for (int i = 0; i < size; i++) {
            if (seqs[i] == seq) {
                removeAt(i);
                return;
            }
        }
    }

    private void removeAt(int i) {
        int last = size - 1;
        if (i != last) {
            System.arraycopy(seqs, i + 1, seqs, i, last - i);
            System.arraycopy(detectedAt, i + 1, detectedAt, i, last - i);
            System.arraycopy(lastSentAt, i + 1, lastSentAt, i, last - i);
            System.arraycopy(attempts, i + 1, attempts, i, last - i);
        }
        size = last;
    }

    private void evictOldest(int count) {
        int n = Math.min(count, size);
        System.arraycopy(seqs, n, seqs, 0, size - n);
        System.arraycopy(detectedAt, n, detectedAt, 0, size - n);
        System.arraycopy(lastSentAt, n, lastSentAt, 0, size - n);
        System.arraycopy(attempts, n, attempts, 0, size - n);
        size -= n;
    }
}
