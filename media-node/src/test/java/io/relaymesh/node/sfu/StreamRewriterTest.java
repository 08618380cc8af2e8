package io.relaymesh.node.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StreamRewriterTest {

    private static final int VIDEO_CLOCK = 90_000;
    private static final long FRAME_NANOS = 33_333_333L;
    private static final int FRAME_TICKS = 3000;

    @Test
    void firstSourceStartsAtTheViewersInitialNumbers() {
        StreamRewriter r = new StreamRewriter(VIDEO_CLOCK, 1000, 5_000_000);

        assertThat(r.rewrite(1, 40_000, 123_456, 0)).isTrue();

        assertThat(r.outSeq()).isEqualTo(1000);
        assertThat(r.outTs()).isEqualTo(5_000_000);
        assertThat(r.epoch()).isEqualTo(1);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 0xC0FFEE})
    void manySourceSwitchesWithRandomStartsStayContinuous(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int initialSeq = random.nextInt(1 << 16);
        StreamRewriter r = new StreamRewriter(VIDEO_CLOCK, initialSeq, random.nextInt());
        int expectedSeq = initialSeq;
        int previousTs = 0;
        long now = 1_000_000_000L;
        long lastSentNanos = now;
        boolean first = true;
        for (int epoch = 1; epoch <= 50; epoch++) {
            // Random starts close to the wrap points half of the time, so wrap-around happens inside sources.
            int inSeq = random.nextBoolean() ? 65_536 - random.nextInt(1, 40) : random.nextInt(1 << 16);
            int inTs = random.nextBoolean() ? -random.nextInt(1, 20) * FRAME_TICKS : random.nextInt();
            int packets = random.nextInt(1, 80);
            for (int i = 0; i < packets; i++) {
                int frame = i / 2; // two packets per frame
                assertThat(r.rewrite(epoch, (inSeq + i) & 0xFFFF, inTs + frame * FRAME_TICKS, now)).isTrue();
                assertThat(r.outSeq()).as("epoch %d packet %d", epoch, i).isEqualTo(expectedSeq);
                if (!first) {
                    int step = r.outTs() - previousTs; // modular: wraps of the 32-bit timestamp are fine
                    long expectedStep = i == 0 ? Math.max(1, (now - lastSentNanos) * VIDEO_CLOCK / 1_000_000_000L)
                            : i % 2 == 0 ? FRAME_TICKS : 0;
                    assertThat(step).as("timestamp step, epoch %d packet %d", epoch, i).isEqualTo(expectedStep);
                }
                first = false;
                lastSentNanos = now;
                previousTs = r.outTs();
                expectedSeq = (expectedSeq + 1) & 0xFFFF;
                if (i % 2 == 1) {
                    now += FRAME_NANOS;
                }
            }
            now += random.nextLong(0, 2_000_000_000L); // a pause before the next source starts
        }
    }

    @Test
    void timeAdvancesByTheWallClockGapAcrossASwitch() {
        StreamRewriter r = new StreamRewriter(VIDEO_CLOCK, 0, 10_000);
        r.rewrite(1, 500, 777, 0);
        // The next source starts 250 ms later with an unrelated timestamp.
        r.rewrite(2, 9, -123_456, 250_000_000L);

        assertThat(r.outTs() - 10_000).isEqualTo(22_500); // 0.25 s at 90 kHz
        assertThat(r.outSeq()).isEqualTo(1);
        assertThat(r.tsOffset()).isEqualTo(10_000 + 22_500 + 123_456);
    }

    @Test
    void aSwitchInTheSameInstantStillMovesTimeForwardByOneTick() {
        StreamRewriter r = new StreamRewriter(48_000, 0, 0);
        r.rewrite(1, 1, 960, 5_000);
        r.rewrite(2, 7, 0, 5_000);

        assertThat(r.outTs()).isEqualTo(1);
    }

    @Test
    void packetsOfTheCurrentSourceOlderThanTheSwitchPointAreDropped() {
        StreamRewriter r = new StreamRewriter(VIDEO_CLOCK, 100, 0);
        r.rewrite(1, 7, 0, 0);
        r.rewrite(2, 65_534, 90_000, 10_000_000L); // the new source starts right before its seq wraps

        assertThat(r.rewrite(2, 65_533, 87_000, 11_000_000L)).as("sent before the switch point").isFalse();
        assertThat(r.rewrite(2, 65_500, 87_000, 11_000_000L)).isFalse();
        assertThat(r.rewrite(2, 1, 93_000, 12_000_000L)).isTrue(); // 65534, 65535, 0, 1: three ahead
        assertThat(r.outSeq()).isEqualTo(104);
        assertThat(r.rewrite(2, 65_535, 90_000, 12_000_000L)).as("late but after the switch point").isTrue();
        assertThat(r.outSeq()).isEqualTo(102);
    }

    @Test
    void packetsOfAnOlderSourceAreDropped() {
        StreamRewriter r = new StreamRewriter(VIDEO_CLOCK, 0, 0);
        r.rewrite(3, 10, 0, 0);

        assertThat(r.rewrite(2, 11, 0, 0)).isFalse();
        assertThat(r.epoch()).isEqualTo(3);
    }

    @Test
    void aSourceKeepsFlowingLongAfterItsSequenceNumbersWrapped() {
        StreamRewriter r = new StreamRewriter(VIDEO_CLOCK, 0, 0);
        int start = 60_000;
        for (int i = 0; i < 3 * 65_536; i++) {
            assertThat(r.rewrite(1, (start + i) & 0xFFFF, i * 30, i)).as("packet %d", i).isTrue();
            assertThat(r.outSeq()).isEqualTo(i & 0xFFFF);
        }
        // A late packet from just behind the newest is still mapped, and NACKs for it translate.
        assertThat(r.rewrite(1, (start + 3 * 65_536 - 5) & 0xFFFF, 0, 0)).isTrue();
        assertThat(r.incomingSeq((3 * 65_536 - 5) & 0xFFFF)).isEqualTo((start + 3 * 65_536 - 5) & 0xFFFF);
    }

    @ParameterizedTest(name = "viewer starts at {0}, source at {1}")
    @CsvSource({"0, 0", "65530, 12", "17, 65533", "65535, 65535"})
    void incomingSeqTranslatesNacksWithinTheCurrentSource(int viewerStart, int sourceStart) {
        StreamRewriter r = new StreamRewriter(VIDEO_CLOCK, viewerStart, 0);
        for (int i = 0; i < 20; i++) {
            r.rewrite(1, (sourceStart + i) & 0xFFFF, i * 3000, i);
        }

        for (int i = 0; i < 20; i++) {
            assertThat(r.incomingSeq((viewerStart + i) & 0xFFFF)).isEqualTo((sourceStart + i) & 0xFFFF);
        }
        assertThat(r.incomingSeq((viewerStart + 20) & 0xFFFF)).as("not sent yet").isEqualTo(-1);
        assertThat(r.incomingSeq((viewerStart - 1) & 0xFFFF)).as("before the source started").isEqualTo(-1);
    }

    @Test
    void incomingSeqRefusesNumbersSentFromThePreviousSource() {
        StreamRewriter r = new StreamRewriter(VIDEO_CLOCK, 0, 0);
        for (int i = 0; i < 5; i++) {
            r.rewrite(1, 1000 + i, 0, 0);
        }
        r.rewrite(2, 50, 0, 1_000_000L);
        r.rewrite(2, 51, 0, 1_000_000L);

        assertThat(r.incomingSeq(3)).as("sent from source 1").isEqualTo(-1);
        assertThat(r.incomingSeq(5)).isEqualTo(50);
        assertThat(r.incomingSeq(6)).isEqualTo(51);
    }

    @Test
    void incomingSeqBeforeAnyPacketIsUnknown() {
        assertThat(new StreamRewriter(VIDEO_CLOCK, 0, 0).incomingSeq(0)).isEqualTo(-1);
    }
}
