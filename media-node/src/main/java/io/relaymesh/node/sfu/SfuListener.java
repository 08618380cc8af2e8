package io.relaymesh.node.sfu;

/**
 * What happens in the SFU that the rest of the node (events, metrics) cares about. Called on the media event
 * loop: implementations must return quickly and never block (hand work to another thread).
 */
public interface SfuListener {

    /** Listens to nothing. */
    SfuListener NONE = new SfuListener() {
    };

    /** An offer was accepted; media is not flowing yet. */
    default void sessionOpened(SessionInfo session) {
    }

    /** ICE and DTLS completed: media can flow. */
    default void sessionConnected(SessionInfo session, long setupMillis) {
    }

    /**
     * Something about a live session the application should know although it keeps running, e.g. an RTMP
     * stream with B-frames. {@code code} is a stable identifier, {@code message} a sentence for people.
     */
    default void sessionWarning(SessionInfo session, String code, String message) {
    }

    /** The session ended; {@code summary} has its totals. */
    default void sessionClosed(SessionInfo session, SessionSummary summary, String reason) {
    }

    /** A peer became present in a room (its first session there). */
    default void peerJoined(String room, String peer) {
    }

    /** A peer's last session in a room ended. */
    default void peerLeft(String room, String peer) {
    }

    /** A published track started flowing. */
    default void trackStarted(TrackInfo track) {
    }

    /** A published track ended. */
    default void trackEnded(TrackInfo track) {
    }

    /**
     * One session.
     *
     * @param protocol whip, whep, rtmp, sip, ...
     */
    record SessionInfo(String sessionId, String protocol, String room, String peer) {
    }

    /**
     * Totals of a session when it ends.
     *
     * @param roundTripMillis last measured round-trip time, or -1
     */
    record SessionSummary(long durationMillis, long bytesIn, long bytesOut, long packetsIn, long packetsOut,
                          long roundTripMillis) {
    }

    /**
     * A published track.
     *
     * @param kind  audio or video
     * @param codec e.g. VP8, OPUS
     */
    record TrackInfo(String trackId, String room, String peer, String sessionId, MediaKind kind, String codec) {
    }
}
