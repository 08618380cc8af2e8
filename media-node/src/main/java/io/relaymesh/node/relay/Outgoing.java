package io.relaymesh.node.relay;

import io.relaymesh.node.sfu.RemoteViewer;

/**
 * A stream this node sends: one track (its own, or a feed it relays) to one child on the channel it chose. Event
 * loop only.
 */
final class Outgoing {

    final String node;
    final int channel;
    final long subscriberBoot;
    final long publisherBoot;
    final String trackId;
    final String room;
    final String trackKey;
    final OutLink link;
    /** The relayed track served, null for this node's own track. */
    final Feed feed;
    RemoteViewer viewer;
    long refreshedNanos;
    /** The layers the child needs (bit i: layer index i), from its last SUBSCRIBE. */
    int demand;
    long packets;

    Outgoing(String node, int channel, long subscriberBoot, long publisherBoot, String trackId, String room,
             String trackKey, OutLink link, Feed feed, long refreshedNanos, int demand) {
        this.demand = demand;
        this.node = node;
        this.channel = channel;
        this.subscriberBoot = subscriberBoot;
        this.publisherBoot = publisherBoot;
        this.trackId = trackId;
        this.room = room;
        this.trackKey = trackKey;
        this.link = link;
        this.feed = feed;
        this.refreshedNanos = refreshedNanos;
    }
}
