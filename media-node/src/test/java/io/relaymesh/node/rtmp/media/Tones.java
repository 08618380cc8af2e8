package io.relaymesh.node.rtmp.media;

/** Measurements on test tones. */
final class Tones {

    private Tones() {
    }

    /** Frequency from the positive-going zero crossings (interpolated) between {@code from} and {@code to}. */
    static double frequency(float[] samples, int from, int to, int sampleRate) {
        double first = -1;
        double last = -1;
        int crossings = 0;
        for (int i = Math.max(from, 1); i < to; i++) {
            if (samples[i - 1] < 0 && samples[i] >= 0) {
                double at = i - 1 + samples[i - 1] / (samples[i - 1] - samples[i]);
                if (first < 0) {
                    first = at;
                } else {
                    crossings++;
                }
                last = at;
            }
        }
        return crossings == 0 ? 0 : crossings * sampleRate / (last - first);
    }

    /** Power of {@code frequency} in the samples (Goertzel). */
    static double power(float[] samples, int from, int to, double frequency, int sampleRate) {
        double w = 2 * Math.PI * frequency / sampleRate;
        double coefficient = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        for (int i = from; i < to; i++) {
            double s = samples[i] + coefficient * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        return (s1 * s1 + s2 * s2 - coefficient * s1 * s2) / ((double) (to - from) * (to - from));
    }

    static float[] sine(double frequency, int sampleRate, int length, double amplitude) {
        float[] out = new float[length];
        for (int i = 0; i < length; i++) {
            out[i] = (float) (amplitude * Math.sin(2 * Math.PI * frequency * i / sampleRate));
        }
        return out;
    }
}
