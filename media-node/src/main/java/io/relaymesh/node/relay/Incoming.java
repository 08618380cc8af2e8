package io.relaymesh.node.relay;

/** A stream this node receives: one feed's track from one parent on one channel. Event loop only. */
final class Incoming {

    final Feed feed;
    final String parent;
    final long parentBoot;
    final int channel;
    final InLink link;
    /** The feed's source number for its splice: a new one per parent subscription. */
    final int source;
    long keepaliveNanos;
    /** Last media or keepalive answer from the parent. */
    long heardNanos;
    /** The demand the last SUBSCRIBE carried. */
    int sentDemand = -1;

    Incoming(Feed feed, String parent, long parentBoot, int channel, InLink link, int source) {
        this.feed = feed;
        this.parent = parent;
        this.parentBoot = parentBoot;
        this.channel = channel;
        this.link = link;
        this.source = source;
    }
}
