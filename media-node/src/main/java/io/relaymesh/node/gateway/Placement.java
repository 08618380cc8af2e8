package io.relaymesh.node.gateway;

import io.relaymesh.node.cluster.membership.Member;
import java.util.List;
import java.util.Objects;

/**
 * Where a new session may go: media nodes in the order to try them, or, when none can take it, why.
 *
 * @param candidates nodes to try, best first; empty when refused
 * @param reason     why nothing is available (empty string when there are candidates)
 */
public record Placement(List<Member> candidates, String reason) {

    public Placement {
        candidates = List.copyOf(candidates);
        Objects.requireNonNull(reason, "reason");
    }

    static Placement of(List<Member> candidates) {
        return new Placement(candidates, "");
    }

    static Placement refused(String reason) {
        return new Placement(List.of(), reason);
    }

    public boolean refused() {
        return candidates.isEmpty();
    }
}
