package io.relaymesh.node.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReceiveStatisticsTest {

    private static final int CLOCK = 90_000;

    @ParameterizedTest(name = "start {0}, {1} packets")
    @CsvSource({"0, 10", "65530, 10", "65535, 200000", "12345, 140000"})
    void extendedHighestSeqCountsCycles(int start, int packets) {
        ReceiveStatistics s = new ReceiveStatistics(CLOCK);
        for (int i = 0; i < packets; i++) {
            s.onPacket((start + i) & 0xFFFF, 0, 0);
        }

        assertThat(s.extendedHighestSeq()).isEqualTo((long) start + packets - 1);
        assertThat(s.expected()).isEqualTo(packets);
        assertThat(s.cumulativeLost()).isZero();
    }

    @Test
    void lossIsCumulativeAndFractionPerReportIntervalAsA3Defines() {
        ReceiveStatistics s = new ReceiveStatistics(CLOCK);
        // Interval 1: 65500..65599 across the wrap (100 expected), 25 lost.
        for (int i = 0; i < 100; i++) {
            if (i % 4 != 3) {
                s.onPacket((65_500 + i) & 0xFFFF, 0, 0);
            }
        }
        assertThat(s.cumulativeLost()).isEqualTo(25 - 1); // the last lost one (i=99) is beyond the highest seen
        assertThat(s.fractionLostSinceLastReport()).isEqualTo((24 << 8) / 99);

        // Interval 2: 51 expected (the 99th is now known lost), 50 received.
        for (int i = 100; i < 150; i++) {
            s.onPacket((65_500 + i) & 0xFFFF, 0, 0);
        }
        assertThat(s.fractionLostSinceLastReport()).isEqualTo((1 << 8) / 51);
        assertThat(s.cumulativeLost()).isEqualTo(25);

        // Interval 3: duplicates make "received" exceed "expected": fraction is 0, cumulative may go down.
        s.onPacket((65_500 + 149) & 0xFFFF, 0, 0);
        s.onPacket((65_500 + 149) & 0xFFFF, 0, 0);
        assertThat(s.fractionLostSinceLastReport()).isZero();
        assertThat(s.cumulativeLost()).isEqualTo(23);
    }

    @Test
    void aLargeJumpIsTakenOnlyWhenTheNextPacketConfirmsIt() {
        ReceiveStatistics s = new ReceiveStatistics(CLOCK);
        s.onPacket(100, 0, 0);
        s.onPacket(101, 0, 0);

        assertThat(s.onPacket(40_000, 0, 0)).isFalse();
        assertThat(s.extendedHighestSeq()).isEqualTo(101);
        assertThat(s.onPacket(40_001, 0, 0)).as("sequential: the source restarted").isTrue();
        assertThat(s.extendedHighestSeq()).isEqualTo(40_001);
        assertThat(s.expected()).isEqualTo(1);
    }

    @Test
    void jitterFollowsA8OnASyntheticArrivalTrace() {
        ReceiveStatistics s = new ReceiveStatistics(CLOCK);
        // 30 fps, timestamps 3000 apart; arrivals alternate 0 and +2 ms late around the nominal 33.33 ms.
        long[] lateNanos = {0, 2_000_000, 0, 2_000_000, 0, 5_000_000, 0, 0, 1_000_000, 0};
        double expected = 0;
        long previousTransit = 0;
        for (int i = 0; i < lateNanos.length; i++) {
            int ts = 1_000 + i * 3000;
            long arrival = 5_000_000_000L + i * 33_333_333L + lateNanos[i];
            s.onPacket(i, ts, arrival);
            long transit = arrival * CLOCK / 1_000_000_000L - ts;
            if (i > 0) {
                expected += (Math.abs(transit - previousTransit) - expected) / 16.0;
            }
            previousTransit = transit;
        }

        assertThat(s.jitter()).isEqualTo((long) expected);
        // 2 ms swings are 180 ticks of the 90 kHz clock: jitter has grown towards them, in those ticks.
        assertThat(s.jitter()).isBetween(40L, 180L);
    }

    @Test
    void steadyArrivalsHaveNoJitter() {
        ReceiveStatistics s = new ReceiveStatistics(48_000);
        for (int i = 0; i < 100; i++) {
            s.onPacket(i, i * 960, 1_000_000_000L + i * 20_000_000L);
        }

        assertThat(s.jitter()).isZero();
    }

    @Test
    void lastSrAndDelaySinceLastSr() {
        ReceiveStatistics s = new ReceiveStatistics(CLOCK);
        assertThat(s.lastSr()).isZero();
        assertThat(s.delaySinceLastSr(123)).isZero();

        long ntp = 0xE1234567_89ABCDEFL;
        s.onSenderReport(ntp, 2_000_000_000L);

        assertThat(s.lastSr()).isEqualTo(0x456789ABL); // middle 32 bits
        assertThat(s.delaySinceLastSr(2_000_000_000L + 1_500_000_000L)).isEqualTo(65_536L * 3 / 2);
    }
}
