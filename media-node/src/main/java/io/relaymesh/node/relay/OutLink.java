package io.relaymesh.node.relay;

import io.netty.channel.Channel;
import io.relaymesh.node.srtp.SrtpSession;
import java.net.InetSocketAddress;

/**
 * This node's sending side of a link to one child node's process life, shared by all channels to it. Media goes
 * out through a UDP socket of its own connected to the child's relay address ({@link #connected}), so a packet is
 * written as a bare {@code ByteBuf}: no {@code DatagramPacket} envelope and no address conversion per packet.
 * Event loop only.
 */
final class OutLink {

    final String node;
    final SrtpSession session;
    final RelayCounters.Peer counters;
    InetSocketAddress address;
    /** Connected to {@link #address} (made again when it changes); null or closed until (re)made. */
    Channel connected;
    int channels;
    long packets;
    long bytes;
    long keyframeRequests;
    long retransmitted;

    OutLink(String node, SrtpSession session, RelayCounters.Peer counters) {
        this.node = node;
        this.session = session;
        this.counters = counters;
    }

    /** Whether the connected socket can take packets for the current address now. */
    boolean ready() {
        Channel c = connected;
        return c != null && c.isActive();
    }
}
