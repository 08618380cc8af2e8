package io.relaymesh.node.sdp;

/** An SDP answer: the description, its text, and what it negotiated. */
public record Answer(SessionDescription description, NegotiatedSession session) {

    /** The answer as {@code application/sdp} text. */
    public String sdp() {
        return description.toString();
    }
}
