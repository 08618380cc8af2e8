package io.relaymesh.node.cluster.membership;

/** Why a received cluster datagram was dropped (counted per reason). */
public enum DropReason {
    /** Not a well-formed frame (bad magic, version, lengths, oversize, trailing bytes). */
    MALFORMED,
    /** The HMAC does not verify: a forged message, a corrupted one, or a node with another secret. */
    BAD_MAC,
    /** Addressed to another node id (a message captured and redirected here). */
    WRONG_DESTINATION,
    /** Carries this node's own id: a loop, or another node configured with the same zone and index. */
    OWN_ID,
    /** A sequence number already seen from that sender (or older than its replay window). */
    REPLAYED,
    /** Dated before the message age limit. */
    STALE,
    /** Dated beyond the clock skew limit. */
    FUTURE,
    /** Authentic frame whose body does not parse. */
    MALFORMED_BODY,
    /** An application message on a channel nobody listens to. */
    UNKNOWN_CHANNEL,
    /** An update about a new member when the member table is full. */
    TABLE_FULL
}
