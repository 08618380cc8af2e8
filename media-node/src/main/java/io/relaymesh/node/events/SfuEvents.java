package io.relaymesh.node.events;

import io.relaymesh.node.sfu.SfuListener;
import java.util.Locale;

/**
 * Turns what the SFU reports into {@link Event}s and hands them to a sink. Runs on the media event loop: it
 * builds a small record and calls {@link EventSink#accept}, which never blocks; serialization and disk I/O
 * happen on the sink's own thread.
 */
public final class SfuEvents implements SfuListener {

    private final EventEmitter emitter;

    public SfuEvents(EventEmitter emitter) {
        this.emitter = emitter;
    }

    @Override
    public void sessionOpened(SessionInfo s) {
        emitter.emit(s.room(), s.peer(), s.sessionId(), new EventData.SessionConnecting(s.protocol()));
    }

    @Override
    public void sessionConnected(SessionInfo s, long setupMillis) {
        emitter.emit(s.room(), s.peer(), s.sessionId(), new EventData.SessionConnected(s.protocol(), setupMillis));
    }

    @Override
    public void sessionClosed(SessionInfo s, SessionSummary t, String reason) {
        emitter.emit(s.room(), s.peer(), s.sessionId(), new EventData.SessionDisconnected(s.protocol(),
                t.durationMillis(), t.bytesIn(), t.bytesOut(), t.packetsIn(), t.packetsOut(), t.roundTripMillis(),
                reason));
    }

    @Override
    public void peerJoined(String room, String peer) {
        emitter.emit(room, peer, null, new EventData.PeerJoined());
    }

    @Override
    public void peerLeft(String room, String peer) {
        emitter.emit(room, peer, null, new EventData.PeerLeft());
    }

    @Override
    public void trackStarted(TrackInfo t) {
        emitter.emit(t.room(), t.peer(), t.sessionId(),
                new EventData.TrackStarted(t.trackId(), kind(t), t.codec()));
    }

    @Override
    public void trackEnded(TrackInfo t) {
        emitter.emit(t.room(), t.peer(), t.sessionId(), new EventData.TrackEnded(t.trackId(), kind(t), t.codec()));
    }

    @Override
    public void sessionWarning(SessionInfo s, String code, String message) {
        emitter.emit(s.room(), s.peer(), s.sessionId(), new EventData.SessionWarning(code, message));
    }

    private static String kind(TrackInfo t) {
        return t.kind().name().toLowerCase(Locale.ROOT);
    }
}
