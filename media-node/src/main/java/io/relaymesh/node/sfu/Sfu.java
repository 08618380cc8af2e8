package io.relaymesh.node.sfu;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.ScheduledFuture;
import io.relaymesh.node.transport.WebRtcTransport;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The selective forwarding unit: rooms and the sessions in them, all owned by the transport's event loop, and
 * the timer that drives feedback (NACKs every tick, reports every second).
 */
public final class Sfu implements AutoCloseable {

    /** RTCP report interval per session (RFC 3550 allows less than 5 s at these rates; browsers use ~1 s). */
    static final long REPORT_INTERVAL_NANOS = 1_000_000_000L;
    /** Feedback timer period. */
    static final long TICK_NANOS = 20_000_000L;
    /** Seconds between 1900-01-01 (NTP epoch) and 1970-01-01. */
    private static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;

    private final WebRtcTransport transport;
    private final Clock wallClock;
    private final String cname;
    private final Map<String, Room> rooms = new HashMap<>();
    private final List<SfuSession> sessions = new ArrayList<>();
    private final ScheduledFuture<?> timer;
    private BiConsumer<String, String> closedListener = (id, reason) -> { };
    private int epoch;
    private int firSequence;

    private final SfuCounters counters = new SfuCounters();
    private final SfuListener listener;

    public Sfu(WebRtcTransport transport, Clock wallClock, String cname, SfuListener listener) {
        this.transport = transport;
        this.listener = counters.countingThen(listener);
        this.wallClock = wallClock;
        this.cname = cname;
        this.timer = transport.eventLoop().scheduleAtFixedRate(this::tick, TICK_NANOS, TICK_NANOS, TimeUnit.NANOSECONDS);
    }

    /** Called (on the event loop) with session id and reason whenever a session ends. */
    void onSessionClosed(BiConsumer<String, String> listener) {
        this.closedListener = listener;
    }

    Room room(String name) {
        return rooms.computeIfAbsent(name, n -> new Room(n, listener));
    }

    void register(SfuSession session) {
        sessions.add(session);
    }

    void sessionClosed(String sessionId, String reason) {
        for (int i = 0; i < sessions.size(); i++) {
            SfuSession s = sessions.get(i);
            if (s.sessionId().equals(sessionId)) {
                sessions.remove(i);
                if (s.room().isEmpty()) {
                    rooms.remove(s.room().name(), s.room());
                }
                break;
            }
        }
        closedListener.accept(sessionId, reason);
    }

    private void tick() {
        long now = transport.nanoTime();
        for (int i = 0; i < sessions.size(); i++) {
            sessions.get(i).tick(now);
        }
        transport.flush();
    }

    SfuListener listener() {
        return listener;
    }

    /** Sessions, tracks and feedback counts, for metrics (any thread). */
    public SfuCounters counters() {
        return counters;
    }

    long nanoTime() {
        return transport.nanoTime();
    }

    ByteBufAllocator allocator() {
        return transport.allocator();
    }

    String cname() {
        return cname;
    }

    int nextEpoch() {
        return ++epoch;
    }

    int nextFirSequence() {
        return firSequence++ & 0xFF;
    }

    /** Now as a 64-bit NTP timestamp (RFC 3550 section 4). */
    long wallClockNtp() {
        long millis = wallClock.millis();
        long seconds = millis / 1000 + NTP_UNIX_OFFSET_SECONDS;
        long fraction = ((millis % 1000) << 32) / 1000;
        return (seconds << 32) | fraction;
    }

    WebRtcTransport transport() {
        return transport;
    }

    /** Rooms with their publisher and viewer counts (read on the event loop). */
    Map<String, Room> rooms() {
        return rooms;
    }

    @Override
    public void close() {
        timer.cancel(false);
    }
}
