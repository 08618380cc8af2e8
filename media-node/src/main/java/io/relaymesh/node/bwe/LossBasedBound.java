package io.relaymesh.node.bwe;

/**
 * The loss-based bound (GCC section 6): above 10 % loss it backs off to {@code rate * (1 - 0.5 * loss)}, between 2
 * and 10 % it holds, below 2 % it grows by 8 % per second. Loss is measured by the caller over windows of reports.
 */
final class LossBasedBound {

    static final double HIGH_LOSS = 0.10;
    static final double LOW_LOSS = 0.02;
    static final double INCREASE_PER_SECOND = 1.08;
    /** At most one decrease per this interval, so a burst reported twice does not halve the rate twice. */
    static final long DECREASE_INTERVAL_MICROS = 300_000;

    private final double minBitrate;
    private final double maxBitrate;
    private double bitrate;
    private long lastUpdateMicros = -1;
    private long lastDecreaseMicros = Long.MIN_VALUE / 2;

    LossBasedBound(double initialBitrate, double minBitrate, double maxBitrate) {
        this.minBitrate = minBitrate;
        this.maxBitrate = maxBitrate;
        this.bitrate = initialBitrate;
    }

    /**
     * @param sendingBitrate   the rate the sender aims at (its current target): a decrease starts from it
     * @param deliveredBitrate what the receiver acknowledged recently: with low loss the path demonstrably carries
     *                         it, so growth starts from it when the bound had fallen far below (a burst of loss can
     *                         push the bound to its floor, and 8 % a second from there takes tens of seconds);
     *                         NaN while unknown
     */
    double update(double lossFraction, double sendingBitrate, double deliveredBitrate, long nowMicros) {
        long elapsed = lastUpdateMicros < 0 ? 0 : Math.min(nowMicros - lastUpdateMicros, 1_000_000);
        lastUpdateMicros = nowMicros;
        if (lossFraction > HIGH_LOSS) {
            if (nowMicros - lastDecreaseMicros >= DECREASE_INTERVAL_MICROS) {
                bitrate = Math.min(bitrate, sendingBitrate) * (1 - 0.5 * lossFraction);
                lastDecreaseMicros = nowMicros;
            }
        } else if (lossFraction < LOW_LOSS) {
            // NaN (nothing acknowledged for a whole window yet) must not reach the bound: it would stay NaN for good.
            double from = Double.isNaN(deliveredBitrate) ? bitrate : Math.max(bitrate, deliveredBitrate);
            bitrate = from * Math.pow(INCREASE_PER_SECOND, elapsed / 1e6);
        }
        bitrate = Math.clamp(bitrate, minBitrate, maxBitrate);
        return bitrate;
    }

    /** A probe showed the path carries at least {@code rate}: never lowers the estimate. */
    void raiseTo(double rate) {
        bitrate = Math.clamp(Math.max(bitrate, rate), minBitrate, maxBitrate);
    }

    double bitrate() {
        return bitrate;
    }
}
