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
        // A duplicate from just behind the newest gets the number it was sent with.
        assertThat(r.rewrite(1, (start + 3 * 65_536 - 5) & 0xFFFF, 0, 0)).isTrue();
        assertThat(r.outSeq()).isEqualTo((3 * 65_536 - 5) & 0xFFFF);
    }

    @ParameterizedTest(name = "viewer starts at {0}, source at {1}")
    @CsvSource({"0, 0", "65530, 12", "17, 65533", "65535, 65535"})
    void skippedPacketsTakeNoSequenceNumbers(int viewerStart, int sourceStart) {
        StreamRewriter r = new StreamRewriter(VIDEO_CLOCK, viewerStart, 0);
        int expected = viewerStart;
        for (int i = 0; i < 40; i++) {
            int in = (sourceStart + i) & 0xFFFF;
            if (i % 4 == 1 || i % 4 == 3) { // a dropped temporal layer: every other packet
                r.skip(1, in);
                continue;
            }
            assertThat(r.rewrite(1, in, i * 3000, i)).isTrue();
            assertThat(r.outSeq()).as("packet %d", i).isEqualTo(expected);
            expected = (expected + 1) & 0xFFFF;
        }
    }

    @Test
    void aLatePacketGetsTheNumberReservedWhenItsGapWasSeenEvenAfterLaterSkips() {
        StreamRewriter r = new StreamRewriter(VIDEO_CLOCK, 100, 0);
        r.rewrite(1, 10, 0, 0);   // 100
        r.rewrite(1, 12, 0, 0);   // 102: 11 is missing, 101 is kept for it
        r.skip(1, 13);            // dropped: 14 takes 103
        r.rewrite(1, 14, 0, 0);

        assertThat(r.outSeq()).isEqualTo(103);
        assertThat(r.rewrite(1, 11, 0, 0)).as("the reordered packet").isTrue();
        assertThat(r.outSeq()).isEqualTo(101);
        assertThat(r.rewrite(1, 13, 0, 0)).as("a duplicate of a skipped packet").isFalse();
        assertThat(r.rewrite(1, 12, 0, 0)).as("a duplicate").isTrue();
        assertThat(r.outSeq()).isEqualTo(102);
    }

    @Test
    void aSkipOfAnotherSourceOrOfAnOldPacketChangesNothing() {
        StreamRewriter r = new StreamRewriter(VIDEO_CLOCK, 0, 0);
        r.rewrite(2, 50, 0, 0);
        r.skip(1, 51);
        r.skip(2, 49);
        r.rewrite(2, 51, 0, 0);

        assertThat(r.outSeq()).isEqualTo(1);
    }

    @Test
    void aSwitchUsesTheTimestampFromSenderReportsWhenItMovesTimeForward() {
        StreamRewriter r = new StreamRewriter(VIDEO_CLOCK, 0, 10_000);
        r.rewrite(1, 1, 0, 0);
        r.nextSwitchTimestamp(13_000);
        r.rewrite(2, 500, 777, 1_000_000_000L); // the wall-clock gap alone would say 10000 + 90000

        assertThat(r.outTs()).isEqualTo(13_000);
        r.nextSwitchTimestamp(9_000); // behind what was sent: ignored
        r.rewrite(3, 7, 0, 1_000_000_000L);

        assertThat(r.outTs()).isEqualTo(13_001);
    }
}
