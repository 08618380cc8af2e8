package io.relaymesh.node.dtls;

import io.relaymesh.node.srtp.SrtpProfile;

/**
 * What a {@link DtlsEndpoint} reports about its connection.
 *
 * <p>All callbacks run on the endpoint's worker thread and must not block for long. {@link #onHandshakeComplete}
 * is called at most once; afterwards exactly one of {@link #onClosed} or {@link #onFailure} ends the
 * endpoint's life (also when the handshake never completed).
 */
public interface DtlsListener {

    /**
     * The handshake finished and the peer's certificate matched the SDP fingerprint.
     *
     * @param profile the SRTP protection profile both sides agreed on in {@code use_srtp}
     * @param keyingMaterial {@code profile.keyingMaterialLength()} bytes exported with the label
     *     {@code EXTRACTOR-dtls_srtp} (RFC 5764 section 4.2): client key, server key, client salt, server salt.
     *     The array belongs to the listener.
     */
    void onHandshakeComplete(SrtpProfile profile, byte[] keyingMaterial);

    /** The connection ended in order: {@link DtlsEndpoint#close()} was called or the peer sent close_notify. */
    void onClosed(String reason);

    /**
     * The handshake or the connection failed: fingerprint mismatch, no common SRTP profile, a fatal alert from
     * the peer, the handshake timeout, or a protocol error.
     *
     * @param reason one line for logs and session status
     * @param cause the underlying exception, or {@code null} when there is none
     */
    void onFailure(String reason, Throwable cause);
}
