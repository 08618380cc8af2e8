package io.relaymesh.node.bwe;

/**
 * Compares the trendline's modified trend against an adaptive threshold (GCC, draft-ietf-rmcat-gcc-02 section
 * 5.4): the threshold follows the trend's magnitude, quickly upwards and slowly downwards, so a competing TCP flow
 * does not starve us while real queue growth still trips it. Over-use is declared once the trend stayed above the
 * threshold for {@link #OVERUSE_TIME_MS} and kept rising.
 */
final class OveruseDetector {

    static final double K_UP = 0.0087;
    static final double K_DOWN = 0.039;
    static final double MIN_THRESHOLD = 6;
    static final double MAX_THRESHOLD = 600;
    static final double INITIAL_THRESHOLD = 12.5;
    static final double OVERUSE_TIME_MS = 10;
    /** Trend jumps this far beyond the threshold are outliers that must not drag it up. */
    static final double MAX_ADAPT_OFFSET = 15;
    static final double MAX_ADAPT_STEP_MS = 100;

    private double threshold = INITIAL_THRESHOLD;
    private double lastUpdateMs = Double.NaN;
    private double overuseMs;
    private int overuseCount;
    private double previousTrend;
    private BandwidthUsage state = BandwidthUsage.NORMAL;

    BandwidthUsage detect(double trend, double sendDeltaMs, double nowMs) {
        if (trend > threshold) {
            overuseMs += sendDeltaMs;
            overuseCount++;
            if (overuseMs > OVERUSE_TIME_MS && overuseCount > 1 && trend >= previousTrend) {
                overuseMs = 0;
                overuseCount = 0;
                state = BandwidthUsage.OVERUSING;
            }
        } else if (trend < -threshold) {
            overuseMs = 0;
            overuseCount = 0;
            state = BandwidthUsage.UNDERUSING;
        } else {
            overuseMs = 0;
            overuseCount = 0;
            state = BandwidthUsage.NORMAL;
        }
        previousTrend = trend;
        adapt(trend, nowMs);
        return state;
    }

    BandwidthUsage state() {
        return state;
    }

    double threshold() {
        return threshold;
    }

    private void adapt(double trend, double nowMs) {
        if (Double.isNaN(lastUpdateMs)) {
            lastUpdateMs = nowMs;
        }
        double magnitude = Math.abs(trend);
        if (magnitude > threshold + MAX_ADAPT_OFFSET) {
            lastUpdateMs = nowMs;
            return;
        }
        double k = magnitude < threshold ? K_DOWN : K_UP;
        double elapsed = Math.min(nowMs - lastUpdateMs, MAX_ADAPT_STEP_MS);
        threshold += k * (magnitude - threshold) * elapsed;
        threshold = Math.clamp(threshold, MIN_THRESHOLD, MAX_THRESHOLD);
        lastUpdateMs = nowMs;
    }
}
