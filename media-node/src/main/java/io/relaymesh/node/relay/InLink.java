package io.relaymesh.node.relay;

import io.relaymesh.node.srtp.SrtpSession;

/**
 * This node's receiving side of a link to one parent's process life, shared by all channels on it. Event loop
 * only.
 */
final class InLink {

    final String node;
    /** Keeps the socket connected to the parent in use (not idled out) while media comes in on it. */
    PeerSockets.Peer peer;
    final SrtpSession session;
    final RelayCounters.Peer counters;
    int channels;
    long packets;
    long bytes;
    long keyframeRequests;
    long nacks;

    InLink(String node, SrtpSession session, RelayCounters.Peer counters) {
        this.node = node;
        this.session = session;
        this.counters = counters;
    }
}
