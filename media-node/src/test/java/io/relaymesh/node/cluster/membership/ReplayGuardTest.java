package io.relaymesh.node.cluster.membership;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplayGuardTest {

    private static final long NOW = 1_900_000_000_000_000L;
    private static final long SECOND = 1_000_000L;
    private final ReplayGuard guard = new ReplayGuard(30 * SECOND, 60 * SECOND, 4);

    @Test
    void aSequenceIsAcceptedOnceAndReorderingWithinTheWindowIsFine() {
        assertThat(guard.check("a", NOW, NOW)).isNull();
        assertThat(guard.check("a", NOW, NOW)).isEqualTo(DropReason.REPLAYED);
        assertThat(guard.check("a", NOW + 10, NOW)).isNull();
        assertThat(guard.check("a", NOW + 5, NOW)).as("late but new").isNull();
        assertThat(guard.check("a", NOW + 5, NOW)).isEqualTo(DropReason.REPLAYED);
        assertThat(guard.check("b", NOW, NOW)).as("windows are per sender").isNull();
    }

    @Test
    void sequencesBelowTheWindowAreRefused() {
        for (int i = 1; i <= ReplayGuard.WINDOW + 10; i++) {
            assertThat(guard.check("a", NOW + i * 100L, NOW)).isNull();
        }
        assertThat(guard.check("a", NOW + 100, NOW)).as("fell out of the window").isEqualTo(DropReason.REPLAYED);
        assertThat(guard.check("a", NOW + 50, NOW)).as("older than everything remembered").isEqualTo(DropReason.REPLAYED);
        assertThat(guard.check("a", NOW + (ReplayGuard.WINDOW + 10) * 100L, NOW)).isEqualTo(DropReason.REPLAYED);
        assertThat(guard.check("a", NOW + (ReplayGuard.WINDOW + 5) * 100L + 1, NOW)).as("new, inside").isNull();
    }

    @Test
    void staleAndFutureMessagesAreRefusedWhateverTheWindow() {
        assertThat(guard.check("a", NOW - 31 * SECOND, NOW)).isEqualTo(DropReason.STALE);
        assertThat(guard.check("a", NOW + 61 * SECOND, NOW)).isEqualTo(DropReason.FUTURE);
        assertThat(guard.check("a", NOW - 29 * SECOND, NOW)).isNull();
    }

    @Test
    void theSenderMapIsBounded() {
        for (int i = 0; i < 100; i++) {
            guard.check("s" + i, NOW, NOW);
        }
        assertThat(guard.senders()).isEqualTo(4);
    }
}
