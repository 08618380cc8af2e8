package io.relaymesh.node.sfu;

import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.token.TokenClaims;
import java.util.Optional;
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

    /** The answer to an offer. */
    record SessionAnswer(String sessionId, String answerSdp, String etag) {
    }

    /** What HTTP needs to know about a live session. */
    record SessionView(String sessionId, SessionKind kind, String room, String etag) {
    }

    /** Result of a PATCH: {@code restartFragment} is present for an ICE restart. */
    record PatchOutcome(Optional<String> restartFragment, String etag) {
    }
}
