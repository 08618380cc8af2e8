package io.relaymesh.node.dtls;

/**
 * Which side of the DTLS handshake an endpoint plays.
 *
 * <p>The media node answers browser offers with {@code a=setup:passive} (RFC 5763 section 5), so towards
 * browsers it is the {@link #SERVER}; {@link #CLIENT} is used for node-to-node relays and tests.
 */
public enum DtlsRole {
    /** Waits for the ClientHello; picks the SRTP profile. */
    SERVER,
    /** Sends the ClientHello; offers the SRTP profiles. */
    CLIENT
}
