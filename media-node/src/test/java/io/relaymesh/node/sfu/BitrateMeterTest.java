package io.relaymesh.node.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one-second bitrate window, and when its reading is a measurement rather than a ramp or a decay. */
class BitrateMeterTest {

    private static final long MS = 1_000_000L;

    @Test
    void aSteadyStreamReadsItsRateAndIsSteadyOnceItFilledTheWindow() {
        BitrateMeter meter = new BitrateMeter();
        long now = 50_000 * MS;
        for (int i = 0; i < 50; i++, now += 20 * MS) { // 1,000 bytes every 20 ms: 400 kbit/s
            meter.add(i % 2, 1_000, now);
            assertThat(meter.steady(now)).as("after %d ms", i * 20).isEqualTo(i * 20 >= 900);
        }
        assertThat(meter.bitsPerSecond(BitrateMeter.TEMPORAL_IDS, now)).isBetween(360_000L, 400_000L);
        assertThat(meter.bitsPerSecond(0, now)).as("temporal layer 0 only: every other packet").isBetween(160_000L, 200_000L);
        assertThat(meter.temporalLayers(now)).isEqualTo(2);
    }

    @Test
    void aPauseEndsTheRunAndAFiveFpsStreamDoesNot() {
        BitrateMeter meter = new BitrateMeter();
        long now = 50_000 * MS;
        for (int i = 0; i < 15; i++, now += 200 * MS) { // a frame every 200 ms
            meter.add(0, 3_000, now);
        }
        assertThat(meter.steady(now)).as("5 fps is still a steady stream").isTrue();
        now += 700 * MS;
        assertThat(meter.steady(now)).as("paused for 900 ms").isFalse();
        assertThat(meter.bitsPerSecond(0, now)).as("the decaying reading").isPositive();
        meter.add(0, 3_000, now);
        assertThat(meter.steady(now)).as("resumed: a new run").isFalse();
    }
}
