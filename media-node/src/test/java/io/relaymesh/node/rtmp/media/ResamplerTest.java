package io.relaymesh.node.rtmp.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ResamplerTest {

    private static float[] resample(Resampler r, float[] in, int piece) {
        float[] out = new float[r.maxOutput(in.length) + in.length * 3];
        int written = 0;
        for (int at = 0; at < in.length; at += piece) {
            int n = Math.min(piece, in.length - at);
            written += r.process(in, at, n, out, written);
        }
        return Arrays.copyOf(out, written);
    }

    @ParameterizedTest(name = "{0} Hz -> 48000 Hz")
    @CsvSource({"44100", "32000", "22050", "16000", "8000", "96000"})
    void aOneKilohertzToneStaysOneKilohertz(int inputRate) {
        float[] in = Tones.sine(1000, inputRate, inputRate, 10_000);
        float[] out = resample(new Resampler(inputRate, 48_000), in, 1024);
        assertThat(out.length).as("one second in, one second out (minus the filter's look-ahead)")
                .isBetween(48_000 - Resampler.TAPS / 2 * 48_000 / inputRate - 1, 48_000);
        assertThat(Tones.frequency(out, 1000, out.length - 1000, 48_000)).isCloseTo(1000.0, within(0.5));
        double tone = Tones.power(out, 1000, 47_000, 1000, 48_000);
        assertThat(2 * Math.sqrt(tone)).as("amplitude kept").isCloseTo(10_000, within(300.0));
        assertThat(Tones.power(out, 1000, 47_000, 1100, 48_000)).as("no energy beside the tone")
                .isLessThan(tone * 1e-3);
    }

    @Test
    void aToneAboveTheOutputNyquistIsRemovedWhenDownsampling() {
        float[] in = Tones.sine(30_000, 96_000, 96_000, 10_000);
        float[] out = resample(new Resampler(96_000, 48_000), in, 960);
        // 30 kHz would alias to 18 kHz; the filter must have removed it
        double rms = 0;
        for (int i = 100; i < out.length; i++) {
            rms += out[i] * out[i];
        }
        rms = Math.sqrt(rms / (out.length - 100));
        assertThat(rms).isLessThan(100);
    }

    @Test
    void piecewiseProcessingEqualsOneBlock() {
        float[] in = Tones.sine(1234, 44_100, 20_000, 8000);
        float[] whole = resample(new Resampler(44_100, 48_000), in, in.length);
        float[] pieces = resample(new Resampler(44_100, 48_000), in, 7);
        assertThat(pieces).containsExactly(whole);
    }

    @Test
    void emptyInputYieldsNothing() {
        Resampler r = new Resampler(44_100, 48_000);
        assertThat(r.process(new float[0], 0, 0, new float[r.maxOutput(0)], 0)).isZero();
    }

    @Test
    void impossibleRatiosAreRefused() {
        assertThatThrownBy(() -> new Resampler(47_999, 48_000)).hasMessageContaining("too many filter phases");
        assertThatThrownBy(() -> new Resampler(0, 48_000)).isInstanceOf(IllegalArgumentException.class);
    }
}
