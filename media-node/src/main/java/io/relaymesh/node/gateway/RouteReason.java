package io.relaymesh.node.gateway;

/** Why the gateway put a session on the node it chose; the wire names appear in the {@code session.routed} event. */
public enum RouteReason {
    /** The node hosts the room's publisher, in the requested zone: its viewers need no relay hop. */
    PUBLISHER_NODE("publisher-node"),
    /** The least loaded node of the requested zone with room for a session. */
    LEAST_LOADED("least-loaded"),
    /** The requested zone had no node with room; the nearest other zone (by measured RTT) took it. */
    FALLBACK_ZONE("fallback-zone"),
    /** The caller named the node (the cluster-secret test hook). */
    PINNED("pinned");

    private final String wireName;

    RouteReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
