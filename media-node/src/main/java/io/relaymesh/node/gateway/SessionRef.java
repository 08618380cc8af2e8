package io.relaymesh.node.gateway;

import io.relaymesh.node.cluster.wire.NodeMetadata;
import io.relaymesh.node.config.ZoneName;
import io.relaymesh.node.protocol.ProtocolException;
import java.util.regex.Pattern;

/**
 * The id of a session the gateway placed, as it appears in the {@code Location} the client gets:
 * {@code <nodeId>.<sessionId>}. The node id names the media node that owns the session, so the gateway routes
 * the session's later PATCH and DELETE there without keeping any state. Node ids ({@code zone-index}) never
 * contain a dot.
 *
 * @param nodeId    the media node (zone-index)
 * @param sessionId the session's id on that node
 */
public record SessionRef(String nodeId, String sessionId) {

    private static final Pattern NODE_ID = Pattern.compile(ZoneName.SYNTAX + "-[0-9]{1,5}");
    /** What a media node puts in its session URLs (its own ids are letters and digits). */
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    public SessionRef {
        if (nodeId == null || nodeId.length() > NodeMetadata.MAX_NODE_ID || !NODE_ID.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("not a node id: " + nodeId);
        }
        if (sessionId == null || !SESSION_ID.matcher(sessionId).matches()) {
            throw new IllegalArgumentException("not a session id: " + sessionId);
        }
    }

    /** Reads {@code <nodeId>.<sessionId>}; the reason names what is wrong. */
    public static SessionRef parse(String text) throws ProtocolException {
        if (text == null || text.isEmpty()) {
            throw new ProtocolException("empty session id");
        }
        int dot = text.indexOf('.');
        if (dot <= 0 || dot == text.length() - 1) {
            throw new ProtocolException("session id must be <node-id>.<session-id>, got: " + text);
        }
        String node = text.substring(0, dot);
        String session = text.substring(dot + 1);
        if (node.length() > NodeMetadata.MAX_NODE_ID || !NODE_ID.matcher(node).matches()) {
            throw new ProtocolException("session id names no valid node id: " + node);
        }
        if (!SESSION_ID.matcher(session).matches()) {
            throw new ProtocolException("session id has a malformed node session part: " + session);
        }
        return new SessionRef(node, session);
    }

    @Override
    public String toString() {
        return nodeId + "." + sessionId;
    }
}
