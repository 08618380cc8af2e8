package io.relaymesh.node.bwe;

/**
 * Estimates whether queueing delay is growing: accumulates the one-way delay variation of consecutive packet
 * groups, smooths it exponentially, and fits a least-squares line through the last {@link #WINDOW} smoothed
 * points against arrival time. A positive slope means the bottleneck queue is filling. Fixed arrays: no
 * allocation per sample.
 */
final class TrendlineFilter {

    static final int WINDOW = 20;
    static final double SMOOTHING = 0.9;
    /** Scales the slope (ms of delay per ms) to the detector's threshold units, as GCC does. */
    static final double GAIN = 4.0;
    static final int MAX_DELTAS_WEIGHT = 60;

    private final double[] times = new double[WINDOW];
    private final double[] delays = new double[WINDOW];
    private int size;
    private int next;
    private int deltas;
    private double firstArrivalMs = Double.NaN;
    private double accumulated;
    private double smoothed;
    private double trend;

    /** Adds one group's delay variation (arrival delta minus send delta, ms) arriving at {@code arrivalMs}. */
    void update(double delayVariationMs, double arrivalMs) {
        if (Double.isNaN(firstArrivalMs)) {
            firstArrivalMs = arrivalMs;
        }
        deltas = Math.min(deltas + 1, 1000);
        accumulated += delayVariationMs;
        smoothed = SMOOTHING * smoothed + (1 - SMOOTHING) * accumulated;
        times[next] = arrivalMs - firstArrivalMs;
        delays[next] = smoothed;
        next = (next + 1) % WINDOW;
        size = Math.min(size + 1, WINDOW);
        if (size == WINDOW) {
            trend = slope();
        }
    }

    /** The modified trend compared against the detector's threshold. */
    double modifiedTrend() {
        return Math.min(deltas, MAX_DELTAS_WEIGHT) * trend * GAIN;
    }

    private double slope() {
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < size; i++) {
            meanX += times[i];
            meanY += delays[i];
        }
        meanX /= size;
        meanY /= size;
        double numerator = 0;
        double denominator = 0;
        for (int i = 0; i < size; i++) {
            double dx = times[i] - meanX;
            numerator += dx * (delays[i] - meanY);
            denominator += dx * dx;
        }
        return denominator == 0 ? trend : numerator / denominator;
    }
}
