package io.relaymesh.node.rtmp;

import java.util.Optional;

/** The node's RTMP connections as the HTTP API sees them. */
public interface RtmpSessions {

    /** The room a connection publishes to (empty while it has not published yet). */
    Optional<ConnectionView> find(String connectionId);

    /** Ends the connection (its tracks end in the room); false when there is none. */
    boolean close(String connectionId, String reason);

    /** Live connections. */
    int connectionCount();

    /** What the API may know about a connection. */
    record ConnectionView(String id, Optional<String> room) {
    }
}
