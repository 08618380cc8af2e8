package io.relaymesh.node.bwe;

/**
 * The rate at which the receiver acknowledged bytes: bytes acked per window of receive time (500 ms for the first
 * sample, 150 ms after), each sample folded into an exponential average. Receive time, not send time, so the value
 * is what the bottleneck actually delivered.
 */
final class AcknowledgedBitrate {

    static final long INITIAL_WINDOW_MICROS = 500_000;
    static final long WINDOW_MICROS = 150_000;
    static final double SMOOTHING = 0.3;

    private long windowStartMicros = -1;
    private long bytesInWindow;
    private double bitrate = Double.NaN;

    void onAcked(long arrivalMicros, int sizeBytes) {
        if (windowStartMicros < 0 || arrivalMicros < windowStartMicros) {
            windowStartMicros = arrivalMicros;
            bytesInWindow = 0;
        }
        long window = Double.isNaN(bitrate) ? INITIAL_WINDOW_MICROS : WINDOW_MICROS;
        long elapsed = arrivalMicros - windowStartMicros;
        if (elapsed >= window) {
            double sample = bytesInWindow * 8e6 / elapsed;
            bitrate = Double.isNaN(bitrate) ? sample : (1 - SMOOTHING) * bitrate + SMOOTHING * sample;
            windowStartMicros = arrivalMicros;
            bytesInWindow = 0;
        }
        bytesInWindow += sizeBytes;
    }

    /** Bits per second, or NaN before the first window completed. */
    double bitrate() {
        return bitrate;
    }
}
