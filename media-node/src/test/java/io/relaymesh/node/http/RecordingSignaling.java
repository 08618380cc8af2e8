package io.relaymesh.node.http;

import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.sfu.Signaling;
import io.relaymesh.node.token.TokenClaims;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Signaling} that keeps sessions in a map and records what HTTP asked of it, so tests can check both
 * the HTTP answers and that a refused request never reached the SFU.
 *
 * <p>Offers steer it: an offer containing {@link #REJECT} makes {@code open} throw a {@link ProtocolException}
 * with the rest of that line as its reason; {@link #REJECT_LATER} fails the returned stage instead;
 * {@link #BREAK} fails it with an unexpected exception. A PATCH fragment carrying {@code a=ice-ufrag:} is an ICE
 * restart; one carrying {@link #REJECT} is refused.
 */
final class RecordingSignaling implements Signaling {

    static final String REJECT = "x-reject:";
    static final String REJECT_LATER = "x-reject-later:";
    static final String BREAK = "x-break";

    /** A call the HTTP layer made. */
    record Opened(SessionKind kind, TokenClaims claims, String offer) {
    }

    /** A PATCH the HTTP layer passed on. */
    record Patched(String sessionId, String fragment) {
    }

    private record Session(SessionKind kind, String room, String etag) {
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final List<Opened> opened = new CopyOnWriteArrayList<>();
    private final List<Patched> patched = new CopyOnWriteArrayList<>();
    private final List<String> closed = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, LayerPreferences> preferences = new ConcurrentHashMap<>();

    /** The statistics the fake reports for a playing session (fields chosen to cover every JSON shape). */
    static ViewerStats statsFor(String sessionId) {
        return new ViewerStats(sessionId, 1_234_567, null, 0.25, List.of(
                new TrackStats("pub:1", "video", 3, 1, 2, 2, 2, "h\"q", 640, 360, 456_789, 4),
                new TrackStats("0", "audio", 0, -1, -1, -1, -1, null, null, null, 0, 0)),
                new Signaling.BandwidthDetail(1_300_000, 1_500_000, 900_000, 950_000, 0.125, "overusing", 7, 3_250_000, 2400,
                        12.5));
    }

    @Override
    public CompletionStage<Optional<ViewerStats>> viewerStats(String sessionId) {
        Session s = sessions.get(sessionId);
        return CompletableFuture.completedFuture(s == null || s.kind() != SessionKind.PLAY ? Optional.empty()
                : Optional.of(statsFor(sessionId)));
    }

    @Override
    public CompletionStage<Boolean> preferences(String sessionId, LayerPreferences wanted) {
        Session s = sessions.get(sessionId);
        if (s == null || s.kind() != SessionKind.PLAY) {
            return CompletableFuture.completedFuture(false);
        }
        preferences.put(sessionId, wanted);
        return CompletableFuture.completedFuture(true);
    }

    /** Preferences the HTTP layer passed on, by session. */
    Map<String, LayerPreferences> preferences() {
        return preferences;
    }

    @Override
    public CompletionStage<SessionAnswer> open(SessionKind kind, TokenClaims claims, String offerSdp)
            throws ProtocolException {
        opened.add(new Opened(kind, claims, offerSdp));
        if (offerSdp.contains(REJECT_LATER)) {
            return CompletableFuture.failedFuture(new ProtocolException(reasonAfter(offerSdp, REJECT_LATER)));
        }
        if (offerSdp.contains(REJECT)) {
            throw new ProtocolException(reasonAfter(offerSdp, REJECT));
        }
        if (offerSdp.contains(BREAK)) {
            return CompletableFuture.failedFuture(new IllegalStateException("transport is shutting down"));
        }
        String id = "s" + ids.incrementAndGet() + "-" + kind.name().toLowerCase();
        String etag = "ice-1-" + id;
        sessions.put(id, new Session(kind, claims.room(), etag));
        return CompletableFuture.completedFuture(new SessionAnswer(id, answerFor(id), etag));
    }

    /** The answer SDP the fake gives for a session; tests compare response bodies with it. */
    static String answerFor(String sessionId) {
        return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=" + sessionId + "\r\nt=0 0\r\n";
    }

    @Override
    public Optional<SessionView> find(String sessionId) {
        Session s = sessions.get(sessionId);
        return s == null ? Optional.empty() : Optional.of(new SessionView(sessionId, s.kind(), s.room(), s.etag()));
    }

    @Override
    public PatchOutcome patch(String sessionId, String sdpFragment) throws ProtocolException {
        patched.add(new Patched(sessionId, sdpFragment));
        if (sdpFragment.contains(REJECT)) {
            throw new ProtocolException(reasonAfter(sdpFragment, REJECT));
        }
        Session s = sessions.get(sessionId);
        if (s == null) {
            throw new ProtocolException("no session " + sessionId);
        }
        if (!sdpFragment.contains("a=ice-ufrag:")) {
            return new PatchOutcome(Optional.empty(), s.etag());
        }
        String etag = s.etag() + "-restarted";
        sessions.put(sessionId, new Session(s.kind(), s.room(), etag));
        return new PatchOutcome(Optional.of(restartFragmentFor(sessionId)), etag);
    }

    /** The fragment the fake answers an ICE restart with. */
    static String restartFragmentFor(String sessionId) {
        return "a=ice-ufrag:new" + sessionId + "\r\na=ice-pwd:fresh-password-for-" + sessionId + "\r\n";
    }

    @Override
    public int sessionCount() {
        return sessions.size();
    }

    @Override
    public boolean close(String sessionId) {
        closed.add(sessionId);
        return sessions.remove(sessionId) != null;
    }

    List<Opened> opened() {
        return opened;
    }

    List<Patched> patched() {
        return patched;
    }

    List<String> closed() {
        return closed;
    }

    private static String reasonAfter(String text, String marker) {
        int start = text.indexOf(marker) + marker.length();
        int end = text.indexOf('\n', start);
        return text.substring(start, end < 0 ? text.length() : end).trim();
    }
}
