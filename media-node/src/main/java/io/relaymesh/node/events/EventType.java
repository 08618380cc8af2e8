package io.relaymesh.node.events;

import java.util.Locale;

/**
 * The kinds of event, with their name on the wire ({@code type} field) and the role that emits them. The
 * schema of each is documented in {@code docs/EVENTS.md}; a test fails when the two differ.
 */
public enum EventType {
    /** The gateway picked a media node for a new session (or failed to). */
    SESSION_ROUTED("session.routed", Origin.GATEWAY),
    /** A session's offer was accepted; ICE and DTLS have not completed yet. */
    SESSION_CONNECTING("session.connecting", Origin.MEDIA),
    /** ICE and DTLS completed: media can flow. */
    SESSION_CONNECTED("session.connected", Origin.MEDIA),
    /** The session ended, with its totals. */
    SESSION_DISCONNECTED("session.disconnected", Origin.MEDIA),
    /** Something about a live session the application should know although it keeps running. */
    SESSION_WARNING("session.warning", Origin.MEDIA),
    /** Periodic quality and rate figures of a live session. */
    SESSION_STATS("session.stats", Origin.MEDIA),
    /** A peer became present in a room (its first session there). */
    PEER_JOINED("peer.joined", Origin.MEDIA),
    /** A peer's last session in a room ended. */
    PEER_LEFT("peer.left", Origin.MEDIA),
    /** A published track started flowing. */
    TRACK_STARTED("track.started", Origin.MEDIA),
    /** A published track ended. */
    TRACK_ENDED("track.ended", Origin.MEDIA),
    /** A node became a member of the cluster. */
    NODE_JOINED("node.joined", Origin.CLUSTER),
    /** A node left the cluster (or was dropped as silent). */
    NODE_LEFT("node.left", Origin.CLUSTER);

    /** Who emits an event type. */
    public enum Origin {
        /** The gateway role. */
        GATEWAY,
        /** Every node that runs the SFU (media, standalone). */
        MEDIA,
        /** The cluster membership (media and gateway nodes). */
        CLUSTER
    }

    private final String wireName;
    private final Origin origin;

    EventType(String wireName, Origin origin) {
        this.wireName = wireName;
        this.origin = origin;
    }

    /** The value of the {@code type} field. */
    public String wireName() {
        return wireName;
    }

    public Origin origin() {
        return origin;
    }

    /** The type whose wire name is {@code name}. */
    public static EventType fromWireName(String name) {
        for (EventType t : values()) {
            if (t.wireName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown event type '" + name + "'");
    }

    @Override
    public String toString() {
        return wireName.toLowerCase(Locale.ROOT);
    }
}
