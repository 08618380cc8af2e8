package io.relaymesh.node.relay;

import java.util.Map;

/**
 * A snapshot of the relay's counters.
 *
 * @param subscriptionsIn  streams this node receives from other nodes (one per remote track it plays)
 * @param subscriptionsOut streams this node sends to other nodes (one per remote node and track)
 * @param links            per remote node id: what went out to it and came in from it
 * @param directoryTracks  live remote tracks in the directory
 * @param dropped          media datagrams dropped on receipt (unknown channel, failed authentication, replay)
 * @param refused          subscriptions refused (unknown track, stale boot id, channel or link limits)
 */
public record RelayStats(int subscriptionsIn, int subscriptionsOut, Map<String, Link> links, int directoryTracks,
                         long dropped, long refused) {

    public RelayStats {
        links = Map.copyOf(links);
    }

    /** Counters of one link. */
    public record Link(long packetsOut, long bytesOut, long packetsIn, long bytesIn, long keyframeRequestsOut,
                       long keyframeRequestsIn, long nacksOut, long retransmitted) {
    }

    public Link link(String node) {
        return links.getOrDefault(node, new Link(0, 0, 0, 0, 0, 0, 0, 0));
    }
}
