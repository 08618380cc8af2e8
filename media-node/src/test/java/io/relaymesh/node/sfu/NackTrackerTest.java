package io.relaymesh.node.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NackTrackerTest {

    private static final long MS = 1_000_000L;
    private static final long GRACE = 10 * MS;
    private static final long RETRY = 50 * MS;
    private static final long MAX_AGE = 1000 * MS;

    private final NackTracker tracker = new NackTracker(8, GRACE, RETRY, MAX_AGE, 3);
    private final int[] out = new int[16];

    private int[] due(long now) {
        return Arrays.copyOf(out, tracker.due(now, out));
    }

    @ParameterizedTest(name = "first seq {0}")
    @ValueSource(ints = {100, 65_533, 65_535})
    void aGapIsRequestedAfterTheReorderGraceAcrossTheWrap(int first) {
        tracker.onPacket(first, 0);
        tracker.onPacket((first + 4) & 0xFFFF, 0); // three lost

        assertThat(due(GRACE - 1)).as("still within the reorder grace").isEmpty();
        assertThat(due(GRACE)).containsExactly((first + 1) & 0xFFFF, (first + 2) & 0xFFFF, (first + 3) & 0xFFFF);
        assertThat(tracker.missingCount()).isEqualTo(3);
    }

    @Test
    void aReorderedPacketArrivingInTheGraceIsNeverRequested() {
        tracker.onPacket(10, 0);
        tracker.onPacket(12, 0);
        tracker.onPacket(11, 5 * MS);

        assertThat(due(GRACE)).isEmpty();
        assertThat(tracker.missingCount()).isZero();
    }

    @Test
    void retriesWaitTheRetryIntervalAndStopAfterMaxAttempts() {
        tracker.onPacket(1, 0);
        tracker.onPacket(3, 0);

        assertThat(due(GRACE)).containsExactly(2);
        assertThat(due(GRACE + RETRY - 1)).isEmpty();
        assertThat(due(GRACE + RETRY)).containsExactly(2);
        assertThat(due(GRACE + 2 * RETRY)).containsExactly(2);
        assertThat(due(GRACE + 3 * RETRY)).as("three attempts made").isEmpty();
        assertThat(tracker.missingCount()).isZero();
    }

    @Test
    void aRetransmissionThatArrivesStopsTheRetries() {
        tracker.onPacket(1, 0);
        tracker.onPacket(3, 0);
        assertThat(due(GRACE)).containsExactly(2);
        tracker.onPacket(2, GRACE + 20 * MS);

        assertThat(due(GRACE + RETRY)).isEmpty();
    }

    @Test
    void packetsTooOldToHelpAreForgotten() {
        NackTracker patient = new NackTracker(8, GRACE, RETRY, MAX_AGE, 1000);
        patient.onPacket(1, 0);
        patient.onPacket(3, 0);

        assertThat(patient.due(MAX_AGE, out)).isEqualTo(1);
        assertThat(patient.due(MAX_AGE + 1, out)).isZero();
        assertThat(patient.missingCount()).isZero();
    }

    @Test
    void aGapWiderThanTheCapacitySignalsAKeyframeRequestInstead() {
        tracker.onPacket(65_530, 0);

        assertThat(tracker.onPacket((65_530 + 10) & 0xFFFF, 0)).as("9 lost, capacity 8").isTrue();
        assertThat(tracker.missingCount()).isZero();
        assertThat(tracker.onPacket((65_530 + 12) & 0xFFFF, 0)).as("a small gap after it is NACKed again").isFalse();
        assertThat(due(GRACE)).containsExactly((65_530 + 11) & 0xFFFF);
    }

    @Test
    void whenFullTheOldestMissingNumbersMakeRoom() {
        tracker.onPacket(0, 0);
        tracker.onPacket(6, 0); // 1..5 missing
        assertThat(tracker.onPacket(11, 1)).isFalse(); // 7..10 missing: 9 in all, the oldest is dropped

        assertThat(tracker.missingCount()).isEqualTo(8);
        assertThat(due(GRACE + 1)).containsExactly(2, 3, 4, 5, 7, 8, 9, 10);
    }

    @Test
    void dueWritesNoMoreThanTheOutputHoldsAndKeepsTheRestForLater() {
        tracker.onPacket(0, 0);
        tracker.onPacket(5, 0);
        int[] small = new int[2];

        assertThat(tracker.due(GRACE, small)).isEqualTo(2);
        assertThat(small).containsExactly(1, 2);
        assertThat(due(GRACE)).containsExactly(3, 4);
    }

    @Test
    void duplicatesAndTheFirstPacketReportNothing() {
        assertThat(tracker.onPacket(7, 0)).isFalse();
        assertThat(tracker.onPacket(7, 0)).isFalse();
        assertThat(tracker.missingCount()).isZero();
    }
}
