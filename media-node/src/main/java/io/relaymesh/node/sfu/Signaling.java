package io.relaymesh.node.sfu;

import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.token.TokenClaims;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The node's WebRTC sessions as HTTP signalling sees them: an offer in, an answer out, then trickle, ICE
 * restart and hang-up on the session resource. Implemented by the SFU; the HTTP layer is a thin mapping.
 */
public interface Signaling {

    /** Kinds of session a client can open. */
    enum SessionKind {
        /** Publishes into a room (WHIP). */
        PUBLISH,
        /** Plays a room (WHEP). */
        PLAY
    }

    /**
     * Opens a session from an SDP offer.
     *
     * @throws ProtocolException when the offer is malformed or asks for something the node cannot serve; the
     *                           message says what
     */
    CompletionStage<SessionAnswer> open(SessionKind kind, TokenClaims claims, String offerSdp) throws ProtocolException;

    /** The session's public state, when it exists. */
    Optional<SessionView> find(String sessionId);

    /**
     * Applies a trickle-ice-sdpfrag to the session: new remote candidates (returns empty), or an ICE restart
     * (returns the answer fragment with the node's new credentials).
     */
    PatchOutcome patch(String sessionId, String sdpFragment) throws ProtocolException;

    /** Ends the session; false when there was none. */
    boolean close(String sessionId);

    /** Live sessions, from any thread. */
    int sessionCount();

    /**
     * What a playing (WHEP) session receives now: its estimate and, per track, the layers it gets and is moving to.
     * Empty when there is no such playing session.
     */
    default CompletionStage<Optional<ViewerStats>> viewerStats(String sessionId) {
        return CompletableFuture.completedFuture(Optional.empty());
    }

    /**
     * Caps the layers a playing session gets; false when there is no such playing session.
     */
    default CompletionStage<Boolean> preferences(String sessionId, LayerPreferences preferences) {
        return CompletableFuture.completedFuture(false);
    }

    /** The answer to an offer. */
    record SessionAnswer(String sessionId, String answerSdp, String etag) {
    }

    /** What HTTP needs to know about a live session. */
    record SessionView(String sessionId, SessionKind kind, String room, String etag) {
    }

    /** Result of a PATCH: {@code restartFragment} is present for an ICE restart. */
    record PatchOutcome(Optional<String> restartFragment, String etag) {
    }

    /**
     * A viewer's cap on the layers it gets, 0-based and inclusive ({@link #UNLIMITED}: no cap).
     *
     * @param maxSpatial  highest spatial (simulcast) layer, ranked low to high
     * @param maxTemporal highest temporal layer
     */
    record LayerPreferences(int maxSpatial, int maxTemporal) {

        public static final int UNLIMITED = Integer.MAX_VALUE;

        public LayerPreferences {
            if (maxSpatial < 0 || maxTemporal < 0) {
                throw new IllegalArgumentException("layer caps must be 0 or more, got maxSpatial " + maxSpatial
                        + ", maxTemporal " + maxTemporal);
            }
        }
    }

    /**
     * The parts of a viewer's estimate and its pacer (rates in bits per second, -1 where nothing is known yet).
     *
     * @param delayBasedBps      the delay-based estimate (transport-cc)
     * @param lossBasedBps       the loss-based bound (transport-cc)
     * @param acknowledgedBps    what the viewer acknowledged receiving recently
     * @param sendRateBps        what the node sent over the last 500 ms, media, retransmissions and padding
     * @param feedbackLoss       packets transport-cc feedback reported lost over the last loss window (0..1)
     * @param usage              the over-use detector's verdict: normal, underusing or overusing
     * @param probes             probe clusters started
     * @param pacingRateBps      the rate the pacer spreads video at, -1 when it does not pace (no estimate)
     * @param pacerQueuedBytes   bytes waiting in the pacer now
     * @param pacerLongestWaitMs the longest any packet waited in the pacer
     */
    record BandwidthDetail(long delayBasedBps, long lossBasedBps, long acknowledgedBps, long sendRateBps,
                           double feedbackLoss, String usage, long probes, long pacingRateBps, long pacerQueuedBytes,
                           double pacerLongestWaitMs) {
    }

    /**
     * What a viewer receives.
     *
     * @param estimateBps  send-side bandwidth estimate towards the viewer, -1 while unknown
     * @param rttMs        round-trip time from its receiver reports, null while unknown
     * @param lossFraction fraction of packets lost in its last receiver report (0..1)
     * @param tracks       video tracks first, then audio
     * @param bandwidth    how the estimate is made and what the pacer holds, null before the connection is up
     */
    record ViewerStats(String session, long estimateBps, Double rttMs, double lossFraction, List<TrackStats> tracks,
                       BandwidthDetail bandwidth) {

        public ViewerStats {
            tracks = List.copyOf(tracks);
        }
    }

    /**
     * One of a viewer's tracks.
     *
     * @param track          the published track it plays (its media id when none plays)
     * @param kind           video or audio
     * @param layers         simulcast layers the track has, or the spatial layers inside a single scalable VP9/AV1
     *                       stream (1 for a plain single stream, 0 when none plays)
     * @param spatial        layer rank forwarded now (0 lowest; of a scalable stream, the highest spatial layer the
     *                       filter forwards), -1 before the first keyframe
     * @param temporal       temporal layer forwarded now, -1 before the first keyframe
     * @param targetSpatial  layer rank being moved to (equal to spatial once there)
     * @param targetTemporal temporal layer being moved to
     * @param rid            the forwarded layer's rid, null without simulcast
     * @param width          the forwarded layer's width from its last keyframe (VP8) or from the stream's
     *                       scalability structure (VP9, AV1), null while unknown (and for audio)
     * @param height         likewise its height
     * @param bitrateBps     bits per second sent to the viewer over the last second
     * @param switches       spatial layer switches made so far
     */
    record TrackStats(String track, String kind, int layers, int spatial, int temporal, int targetSpatial,
                      int targetTemporal, String rid, Integer width, Integer height, long bitrateBps, long switches) {
    }
}
