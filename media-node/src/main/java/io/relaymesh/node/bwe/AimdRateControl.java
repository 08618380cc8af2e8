package io.relaymesh.node.bwe;

/**
 * The delay-based rate (GCC section 5.5): grows multiplicatively by {@link #INCREASE_PER_SECOND} while the detector
 * says normal, drops to {@link #BETA} times the acknowledged bitrate on over-use, and holds while the queue drains
 * (under-use). Growth is capped at 1.5 times the acknowledged bitrate so the estimate cannot run far ahead of what
 * the link demonstrably carried.
 */
final class AimdRateControl {

    static final double INCREASE_PER_SECOND = 1.08;
    static final double BETA = 0.85;
    static final double HEADROOM = 1.5;
    static final double HEADROOM_FLOOR_BPS = 10_000;
    /** Another decrease is not taken until the previous one had time to show in the feedback. */
    static final long DECREASE_INTERVAL_MICROS = 200_000;

    private final double minBitrate;
    private final double maxBitrate;
    private double bitrate;
    private long lastUpdateMicros = -1;
    private long lastDecreaseMicros = Long.MIN_VALUE / 2;

    AimdRateControl(double initialBitrate, double minBitrate, double maxBitrate) {
        this.minBitrate = minBitrate;
        this.maxBitrate = maxBitrate;
        this.bitrate = initialBitrate;
    }

    double update(BandwidthUsage usage, double ackedBitrate, long nowMicros) {
        long elapsed = lastUpdateMicros < 0 ? 0 : Math.min(nowMicros - lastUpdateMicros, 1_000_000);
        lastUpdateMicros = nowMicros;
        switch (usage) {
            case NORMAL -> {
                double grown = bitrate * Math.pow(INCREASE_PER_SECOND, elapsed / 1e6);
                if (!Double.isNaN(ackedBitrate)) {
                    grown = Math.min(grown, Math.max(bitrate, HEADROOM * ackedBitrate + HEADROOM_FLOOR_BPS));
                }
                bitrate = grown;
            }
            case OVERUSING -> {
                if (nowMicros - lastDecreaseMicros >= DECREASE_INTERVAL_MICROS) {
                    double base = Double.isNaN(ackedBitrate) ? bitrate : ackedBitrate;
                    bitrate = Math.min(bitrate, BETA * base);
                    lastDecreaseMicros = nowMicros;
                }
            }
            case UNDERUSING -> {
                // hold: let the queue drain before probing again
            }
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
