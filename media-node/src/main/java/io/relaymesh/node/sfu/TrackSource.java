package io.relaymesh.node.sfu;

/**
 * Where a {@link PublishedTrack}'s packets come from: a WebRTC publisher, an RTMP or SIP ingest, or (later) a
 * relay from another node. The track asks it for keyframes; a source that cannot produce one on demand (RTMP)
 * ignores the request.
 */
interface TrackSource {

    /** The publishing peer's id in its room. */
    String peer();

    /** Asks the source for a keyframe of {@code track} (already rate-limited by the track). */
    void sendKeyframeRequest(PublishedTrack track);

    /**
     * Whether a keyframe request makes the source encode a keyframe (a browser): then a request is not repeated
     * while its keyframe is on the way. An ingest only raises a flag, so it is asked as often as viewers need.
     */
    default boolean encodesOnRequest() {
        return true;
    }
}
