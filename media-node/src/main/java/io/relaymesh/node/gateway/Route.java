package io.relaymesh.node.gateway;

import io.relaymesh.node.gateway.SessionRouter.Endpoint;
import java.util.Objects;
import java.util.Optional;

/**
 * The gateway's decision for one new session: the node that took it, or why none did.
 *
 * @param endpoint      WHIP or WHEP
 * @param room          the session's room (from its token)
 * @param peer          the peer named by the token, when it names one
 * @param sessionId     the media node's id of the new session (its {@code session.*} events carry the same);
 *                      empty when routing failed
 * @param node          the node that took the session; empty when routing failed
 * @param nodeZone      that node's zone
 * @param requestedZone the zone the session was asked for (query, header, or the gateway's own)
 * @param reason        why that node; empty when routing failed
 * @param routingMillis time from the request to the placement decision (including asking media nodes for the
 *                      room), not the node's answer
 * @param failure       why no node took the session; empty on success
 */
public record Route(Endpoint endpoint, String room, Optional<String> peer, Optional<String> sessionId,
                    Optional<String> node, Optional<String> nodeZone, String requestedZone,
                    Optional<RouteReason> reason, long routingMillis, Optional<String> failure) {

    public Route {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(nodeZone, "nodeZone");
        Objects.requireNonNull(requestedZone, "requestedZone");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(failure, "failure");
        if (node.isPresent() == failure.isPresent()) {
            throw new IllegalArgumentException("a route has either a node or a failure: " + node + " / " + failure);
        }
    }

    public boolean failed() {
        return failure.isPresent();
    }
}
