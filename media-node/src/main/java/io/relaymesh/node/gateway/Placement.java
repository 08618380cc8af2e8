package io.relaymesh.node.gateway;

import io.relaymesh.node.cluster.membership.Member;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a new session may go: media nodes in the order to try them, or, when none can take it, why; with what the
 * choice was based on, so the gateway can say why a node was picked ({@link #reasonFor}).
 *
 * @param candidates nodes to try, best first; empty when refused
 * @param reason     why nothing is available (empty string when there are candidates)
 * @param zone       the zone the session was asked for
 * @param roomHost   the node known to host the session's room, when known
 * @param pinned     whether the caller named the node (test hook) rather than the selector choosing it
 */
public record Placement(List<Member> candidates, String reason, String zone, Optional<String> roomHost,
                        boolean pinned) {

    public Placement {
        candidates = List.copyOf(candidates);
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(roomHost, "roomHost");
    }

    static Placement of(List<Member> candidates, String zone, Optional<String> roomHost) {
        return new Placement(candidates, "", zone, roomHost, false);
    }

    static Placement pinned(List<Member> candidates, String zone) {
        return new Placement(candidates, "", zone, Optional.empty(), true);
    }

    static Placement refused(String reason, String zone) {
        return new Placement(List.of(), reason, zone, Optional.empty(), false);
    }

    public boolean refused() {
        return candidates.isEmpty();
    }

    /** Why {@code chosen}, one of the candidates, was a right place for the session. */
    public RouteReason reasonFor(Member chosen) {
        if (pinned) {
            return RouteReason.PINNED;
        }
        if (!chosen.metadata().zone().equals(zone)) {
            return RouteReason.FALLBACK_ZONE;
        }
        if (roomHost.isPresent() && roomHost.get().equals(chosen.id())) {
            return RouteReason.PUBLISHER_NODE;
        }
        return RouteReason.LEAST_LOADED;
    }
}
