package io.relaymesh.node.cluster.membership;

import io.relaymesh.node.cluster.wire.MemberState;
import io.relaymesh.node.cluster.wire.NodeMetadata;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A member as this node sees it at one moment (immutable).
 *
 * @param id          node id (zone-index)
 * @param state       ALIVE, SUSPECT, DEAD or LEFT
 * @param incarnation the member's incarnation (also the version of its metadata)
 * @param metadata    roles, zone, addresses, load, version
 * @param rtt         smoothed round-trip time of direct probes to it (EWMA, 1/8), when measured
 * @param local       whether this is the node itself
 */
public record Member(String id, MemberState state, long incarnation, NodeMetadata metadata, Optional<Duration> rtt,
                     boolean local) {

    public Member {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(rtt, "rtt");
    }

    public boolean isUp() {
        return state.isUp();
    }
}
