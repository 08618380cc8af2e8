package io.relaymesh.node.bwe;

/**
 * What the sender actually sends, bits per second over about the last {@link #WINDOW_MICROS}: bytes in {@link #BUCKETS}
 * buckets of sending time, so each packet costs an add and the rate a sum over the buckets. Tells the probe
 * controller whether the sender is application limited (sends less than the estimate allows); with longer buckets
 * it is the pacer's measure of what a connection offers. Single-threaded; no allocation.
 */
public final class SendRateMeter {

    static final int BUCKETS = 10;
    static final long BUCKET_MICROS = 50_000;
    public static final long WINDOW_MICROS = BUCKETS * BUCKET_MICROS;

    private final long bucketMicros;
    private final long[] bytes = new long[BUCKETS];
    private long currentBucket = Long.MIN_VALUE;
    private long firstMicros = -1;

    /** Over {@link #WINDOW_MICROS}: ten buckets of {@value #BUCKET_MICROS} µs. */
    public SendRateMeter() {
        this(BUCKET_MICROS);
    }

    /** Over ten buckets of {@code bucketMicros}. */
    public SendRateMeter(long bucketMicros) {
        if (bucketMicros <= 0) {
            throw new IllegalArgumentException("bucket length must be positive, got " + bucketMicros);
        }
        this.bucketMicros = bucketMicros;
    }

    public void onSent(int sizeBytes, long nowMicros) {
        advance(nowMicros);
        if (firstMicros < 0) {
            firstMicros = nowMicros;
        }
        bytes[(int) Math.floorMod(currentBucket, (long) BUCKETS)] += sizeBytes;
    }

    /** Bits per second over the window ending now (over the time since the first packet while that is shorter). */
    public long rateBps(long nowMicros) {
        advance(nowMicros);
        if (firstMicros < 0) {
            return 0;
        }
        long total = 0;
        for (long b : bytes) {
            total += b;
        }
        // the buckets cover the current one's elapsed part and the nine before it
        long covered = (BUCKETS - 1) * bucketMicros + Math.floorMod(nowMicros, bucketMicros);
        long span = Math.max(Math.min(nowMicros - firstMicros, covered), bucketMicros);
        return total * 8_000_000L / span;
    }

    /**
     * Bits per second over the nine complete buckets before the current one: what was sent up to the start of this
     * bucket, so a burst being sent now does not count yet (0 before anything was sent).
     */
    public long completedRateBps(long nowMicros) {
        advance(nowMicros);
        long total = 0;
        int current = (int) Math.floorMod(currentBucket, (long) BUCKETS);
        for (int i = 0; i < BUCKETS; i++) {
            total += i == current ? 0 : bytes[i];
        }
        return total * 8_000_000L / ((BUCKETS - 1) * bucketMicros);
    }

    private void advance(long nowMicros) {
        long bucket = Math.floorDiv(nowMicros, bucketMicros);
        if (currentBucket == Long.MIN_VALUE || bucket - currentBucket >= BUCKETS) {
            java.util.Arrays.fill(bytes, 0);
        } else {
            for (long b = currentBucket + 1; b <= bucket; b++) {
                bytes[(int) Math.floorMod(b, (long) BUCKETS)] = 0;
            }
        }
        if (bucket > currentBucket || currentBucket == Long.MIN_VALUE) {
            currentBucket = bucket;
        }
    }
}
