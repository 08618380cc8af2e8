package io.relaymesh.node.protocol;

/**
 * A wire-format violation found while parsing untrusted input (STUN, DTLS, RTP, RTCP, SDP, ...).
 *
 * <p>Parsers throw it with a human-readable reason instead of letting an {@code IndexOutOfBoundsException}
 * escape. Malformed packets are routine on the open internet, so the stack trace is not captured: building
 * one for every garbage datagram would turn a flood of junk into a CPU problem.
 */
public class ProtocolException extends Exception {

    public ProtocolException(String reason) {
        super(reason, null, false, false);
    }

    public ProtocolException(String reason, Throwable cause) {
        super(reason, cause, false, false);
    }
}
