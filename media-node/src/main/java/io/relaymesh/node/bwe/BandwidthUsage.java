package io.relaymesh.node.bwe;

/** What the over-use detector concludes about the path's queue. */
public enum BandwidthUsage {
    /** The queue is stable. */
    NORMAL,
    /** The queue is growing: the send rate is above the bottleneck's capacity. */
    OVERUSING,
    /** The queue is draining. */
    UNDERUSING
}
