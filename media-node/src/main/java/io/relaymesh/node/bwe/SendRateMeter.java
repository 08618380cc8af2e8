package io.relaymesh.node.bwe;

/**
 * What the sender actually sends, bits per second over about the last {@link #WINDOW_MICROS}: bytes in {@link #BUCKETS}
 * buckets of sending time, so each packet costs an add and the rate a sum over the buckets. Tells the probe
 * controller whether the sender is application limited (sends less than the estimate allows).
 */
public final class SendRateMeter {

    static final int BUCKETS = 10;
    static final long BUCKET_MICROS = 50_000;
    public static final long WINDOW_MICROS = BUCKETS * BUCKET_MICROS;

    private final long[] bytes = new long[BUCKETS];
    private long currentBucket = Long.MIN_VALUE;
    private long firstMicros = -1;

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
        long covered = (BUCKETS - 1) * BUCKET_MICROS + Math.floorMod(nowMicros, BUCKET_MICROS);
        long span = Math.max(Math.min(nowMicros - firstMicros, covered), BUCKET_MICROS);
        return total * 8_000_000L / span;
    }

    private void advance(long nowMicros) {
        long bucket = Math.floorDiv(nowMicros, BUCKET_MICROS);
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
