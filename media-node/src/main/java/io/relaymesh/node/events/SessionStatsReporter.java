package io.relaymesh.node.events;

import io.relaymesh.node.sfu.SessionStatsProbe.SessionStats;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits a {@code session.stats} event per live session every interval: rates from the difference between two
 * snapshots of the session's counters, loss over the interval, jitter and round-trip time as last measured.
 * The snapshot is taken on the media event loop; the arithmetic and emitting run on this reporter's thread.
 */
public final class SessionStatsReporter implements AutoCloseable {

    /** How often a live session reports, unless configured otherwise. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(SessionStatsReporter.class);

    private final Supplier<CompletableFuture<List<SessionStats>>> probe;
    private final EventEmitter emitter;
    private final LongSupplier nanoTime;
    private final Map<String, Previous> previous = new HashMap<>();
    private ScheduledExecutorService timer;

    private record Previous(SessionStats stats, long atNanos) {
    }

    public SessionStatsReporter(Supplier<CompletableFuture<List<SessionStats>>> probe, EventEmitter emitter,
                                LongSupplier nanoTime) {
        this.probe = probe;
        this.emitter = emitter;
        this.nanoTime = nanoTime;
    }

    /** Starts reporting every {@code interval} on a daemon thread of its own. */
    public SessionStatsReporter start(Duration interval) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relaymesh-session-stats");
            t.setDaemon(true);
            return t;
        });
        long period = interval.toNanos();
        timer.scheduleAtFixedRate(this::tick, period, period, TimeUnit.NANOSECONDS);
        return this;
    }

    private void tick() {
        try {
            report(probe.get().get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("session stats snapshot failed: {}", e.toString());
        }
    }

    /**
     * Emits one event per session in {@code snapshot} that was also in the previous one (a rate needs two
     * points); forgets sessions that are gone. Called on one thread at a time.
     */
    void report(List<SessionStats> snapshot) {
        long now = nanoTime.getAsLong();
        Map<String, Previous> seen = new HashMap<>();
        for (SessionStats s : snapshot) {
            Previous before = previous.get(s.sessionId());
            seen.put(s.sessionId(), new Previous(s, now));
            if (before == null || now <= before.atNanos()) {
                continue;
            }
            long nanos = now - before.atNanos();
            SessionStats b = before.stats();
            long bitrateIn = (long) ((s.bytesIn() - b.bytesIn()) * 8e9 / nanos);
            long bitrateOut = (long) ((s.bytesOut() - b.bytesOut()) * 8e9 / nanos);
            double lossFraction = -1;
            if (s.packetsExpected() >= 0 && b.packetsExpected() >= 0) {
                long expected = s.packetsExpected() - b.packetsExpected();
                long lost = s.packetsLost() - b.packetsLost();
                lossFraction = expected <= 0 ? 0 : Math.max(0, Math.min(1, (double) lost / expected));
            }
            emitter.emit(s.room(), s.peer(), s.sessionId(), new EventData.SessionStats(s.protocol(),
                    nanos / 1_000_000, bitrateIn, bitrateOut, s.packetsLost(), lossFraction, s.jitterMillis(),
                    s.roundTripMillis()));
        }
        previous.clear();
        previous.putAll(seen);
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
