package io.relaymesh.node.relay;

import io.relaymesh.node.srtp.SrtpSession;
import java.net.InetSocketAddress;

/**
 * This node's sending side of a link to one child node's process life, shared by all channels to it. Media goes
 * out through the peer socket connected to the child's relay address ({@link PeerSockets}), so a packet is
 * written as a bare {@code ByteBuf}: no {@code DatagramPacket} envelope and no address conversion per packet.
 * Event loop only.
 */
final class OutLink {

    final String node;
    final SrtpSession session;
    final RelayCounters.Peer counters;
    InetSocketAddress address;
    /** The socket connected to {@link #address}; null or closed until (re)made by the relay. */
    PeerSockets.Peer peer;
    int channels;
    /** SSRCs the channels use (a channel has one per layer stream): bounded by the SRTP session. */
    int ssrcs;
    long packets;
    long bytes;
    long keyframeRequests;
    long retransmitted;

    OutLink(String node, SrtpSession session, RelayCounters.Peer counters) {
        this.node = node;
        this.session = session;
        this.counters = counters;
    }

    /** Whether the peer socket can take packets for the current address now. */
    boolean ready() {
        PeerSockets.Peer p = peer;
        return p != null && p.active() && p.remote.equals(address);
    }
}
