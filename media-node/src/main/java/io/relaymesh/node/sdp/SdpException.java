package io.relaymesh.node.sdp;

import io.relaymesh.node.protocol.ProtocolException;

/**
 * An SDP body (RFC 8866) or trickle fragment (RFC 8840) that is malformed, too large, or cannot be answered.
 * The message names the line number when the problem is tied to one line, and always says what is wrong.
 */
public final class SdpException extends ProtocolException {

    public SdpException(String reason) {
        super(reason);
    }

    /** Prefixes the reason of a value-level error with the line it came from. */
    static SdpException atLine(int lineNumber, SdpException cause) {
        return new SdpException("line " + lineNumber + ": " + cause.getMessage());
    }
}
