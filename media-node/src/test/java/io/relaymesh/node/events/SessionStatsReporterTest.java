package io.relaymesh.node.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.relaymesh.node.sfu.SessionStatsProbe.SessionStats;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SessionStatsReporterTest {

    private final List<Event> events = new ArrayList<>();
    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    private final SessionStatsReporter reporter = new SessionStatsReporter(null,
            new EventEmitter("eu-0", Clock.systemUTC(), new EventIds(Clock.systemUTC(), new SplittableRandom(3)), events::add),
            nanos::get);

    private static SessionStats publisher(long bytesIn, long expected, long lost, double jitter) {
        return new SessionStats("s1", "whip", "demo", "alice", bytesIn, 500, 0, 0, expected, lost, jitter, -1);
    }

    @Test
    void firstSnapshotOnlyRemembersASession() {
        reporter.report(List.of(publisher(1000, 10, 0, 1)));
        assertThat(events).isEmpty();
    }

    @Test
    void ratesAndLossAreComputedOverTheInterval() {
        reporter.report(List.of(publisher(1000, 100, 1, 1)));
        nanos.addAndGet(2_000_000_000L);
        reporter.report(List.of(publisher(501_000, 300, 11, 4.5)));
        EventData.SessionStats s = (EventData.SessionStats) events.getFirst().data();
        assertThat(s.intervalMillis()).isEqualTo(2000);
        assertThat(s.bitrateInBps()).as("500000 bytes in 2 s").isEqualTo(2_000_000);
        assertThat(s.bitrateOutBps()).isZero();
        assertThat(s.packetsLost()).isEqualTo(11);
        assertThat(s.lossFraction()).as("10 of 200 lost in the interval").isEqualTo(0.05);
        assertThat(s.jitterMillis()).isEqualTo(4.5);
        assertThat(events.getFirst().sessionId()).isEqualTo("s1");
        assertThat(events.getFirst().room()).isEqualTo("demo");
    }

    @Test
    void aSessionThatGoneIsForgotten() {
        reporter.report(List.of(publisher(1000, 100, 1, 1)));
        nanos.addAndGet(1_000_000_000L);
        reporter.report(List.of());
        nanos.addAndGet(1_000_000_000L);
        reporter.report(List.of(publisher(2000, 200, 1, 1)));
        assertThat(events).as("no rate against a sample from before the gap").isEmpty();
    }
}
