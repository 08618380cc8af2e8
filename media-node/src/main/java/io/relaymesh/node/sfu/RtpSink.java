package io.relaymesh.node.sfu;

import io.netty.buffer.ByteBuf;

/**
 * Where a {@link DownTrack} sends its viewer's packets: the viewer's connection in the node (which paces video,
 * see {@code transport.Pacer}), something that records or just protects and releases them in tests and benchmarks.
 * Event loop only.
 */
interface RtpSink {

    /**
     * Sends one plain RTP packet (readable bytes). Takes ownership of {@code packet}, which has
     * {@link io.relaymesh.node.transport.PeerConnection#SRTP_TAIL_ROOM} writable bytes for the SRTP trailer.
     */
    void sendRtp(ByteBuf packet);

    /**
     * Sends one packet at once, around any pacing (audio, probe padding); same contract as {@link #sendRtp}. A sink
     * that does not pace sends it like any other.
     */
    default void sendRtpNow(ByteBuf packet) {
        sendRtp(packet);
    }
}
