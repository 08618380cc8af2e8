package io.relaymesh.node.rtmp.media;

import java.util.Arrays;

/**
 * Converts one channel of PCM between sampling rates with a polyphase windowed-sinc filter.
 *
 * <p>For a ratio L/M (output/input rate, reduced) output sample k sits at input time {@code k * M / L}: its
 * integer part picks the input samples, its fraction one of L precomputed filter phases. Each phase is a
 * {@value #TAPS}-tap Kaiser-windowed sinc whose cutoff sits below the lower of the two Nyquist frequencies, so
 * upsampling does not image and downsampling does not alias; each phase is normalized to unit DC gain. The
 * filter looks {@value #TAPS}/2 input samples ahead (0.4 ms at 44.1 kHz), the only latency it adds.
 */
public final class Resampler {

    static final int TAPS = 32;
    /** Most filter phases accepted (sample rates whose ratio to the output needs more are refused). */
    static final int MAX_PHASES = 4096;
    private static final double KAISER_BETA = 8.0;
    /** Cutoff as a fraction of the lower Nyquist frequency: leaves room for the transition band. */
    private static final double CUTOFF = 0.90;

    private final int up;
    private final int down;
    private final float[][] phases;
    /** Input not yet consumed, preceded by the history the filter still needs. */
    private float[] pending;
    private int pendingLength;
    /** Position of the next output in units of 1/up input samples, relative to pending[0]. */
    private long position;

    public Resampler(int inputRate, int outputRate) {
        if (inputRate <= 0 || outputRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive");
        }
        int g = gcd(inputRate, outputRate);
        this.up = outputRate / g;
        this.down = inputRate / g;
        if (up > MAX_PHASES) {
            throw new IllegalArgumentException("cannot resample " + inputRate + " Hz to " + outputRate + " Hz: ratio "
                    + up + "/" + down + " needs too many filter phases");
        }
        this.phases = design(up, down);
        this.pending = new float[4096];
        this.pendingLength = TAPS / 2 - 1; // zero history before the first sample
        this.position = (long) (TAPS / 2 - 1) * up;
    }

    private static float[][] design(int up, int down) {
        double cutoff = 0.5 * CUTOFF * Math.min(1.0, (double) up / down); // cycles per input sample
        float[][] table = new float[up][TAPS];
        double i0Beta = besselI0(KAISER_BETA);
        double half = TAPS / 2.0;
        for (int p = 0; p < up; p++) {
            double frac = (double) p / up;
            double sum = 0;
            for (int j = 0; j < TAPS; j++) {
                // distance from the output instant to input tap j (taps run from i - TAPS/2 + 1 to i + TAPS/2)
                double t = frac + (TAPS / 2 - 1) - j;
                double x = 2 * cutoff * t;
                double sinc = x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
                double r = t / half;
                double window = Math.abs(r) >= 1 ? 0 : besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / i0Beta;
                double h = 2 * cutoff * sinc * window;
                table[p][j] = (float) h;
                sum += h;
            }
            for (int j = 0; j < TAPS; j++) {
                table[p][j] = (float) (table[p][j] / sum);
            }
        }
        return table;
    }

    private static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        for (int k = 1; k < 50; k++) {
            term *= (x / (2 * k)) * (x / (2 * k));
            sum += term;
            if (term < 1e-12 * sum) {
                break;
            }
        }
        return sum;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** Output samples {@code inputLength} more input samples will yield at most. */
    public int maxOutput(int inputLength) {
        return (int) (((long) (pendingLength + inputLength) * up) / down) + 2;
    }

    /**
     * Resamples {@code length} samples of {@code in} and writes the output to {@code out} from {@code outOffset};
     * {@code out} must hold {@link #maxOutput(int)} samples.
     *
     * @return samples written
     */
    public int process(float[] in, int offset, int length, float[] out, int outOffset) {
        if (pendingLength + length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + length));
        }
        System.arraycopy(in, offset, pending, pendingLength, length);
        pendingLength += length;
        int written = 0;
        while (true) {
            long index = position / up;
            int phase = (int) (position % up);
            long first = index - (TAPS / 2 - 1);
            if (index + TAPS / 2 >= pendingLength) {
                break;
            }
            float[] h = phases[phase];
            float acc = 0;
            int base = (int) first;
            for (int j = 0; j < TAPS; j++) {
                acc += pending[base + j] * h[j];
            }
            out[outOffset + written++] = acc;
            position += down;
        }
        // keep only what the next outputs still need
        long keepFrom = position / up - (TAPS / 2 - 1);
        if (keepFrom > 0) {
            int drop = (int) Math.min(keepFrom, pendingLength);
            System.arraycopy(pending, drop, pending, 0, pendingLength - drop);
            pendingLength -= drop;
            position -= (long) drop * up;
        }
        return written;
    }
}
