package io.relaymesh.node.transport;

import io.netty.buffer.ByteBuf;

/**
 * Receives what a {@link PeerConnection} delivers, on the transport's event loop. Buffers are lent: the
 * handler must {@code retain()} what it keeps past the call, and must not release what it was given.
 */
public interface MediaHandler {

    /** ICE and DTLS are done and SRTP keys are installed: media can flow both ways. */
    void onSecure(PeerConnection connection);

    /** A decrypted RTP packet (the readable region). */
    void onRtp(PeerConnection connection, ByteBuf packet);

    /** A decrypted RTCP compound packet (the readable region). */
    void onRtcp(PeerConnection connection, ByteBuf packet);

    /** The connection is gone (hang-up, consent expired, DTLS failure, shutdown); called once. */
    void onClosed(PeerConnection connection, String reason);
}
