package io.relaymesh.node.gateway;

import io.relaymesh.node.cluster.membership.Member;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Finds the media node that hosts a room's publishers when the gateway's own {@link RoomDirectory} does not know. */
@FunctionalInterface
public interface RoomLocator {

    /** Knows nothing: placement relies on the directory alone. */
    RoomLocator NONE = (room, nodes) -> CompletableFuture.completedFuture(Optional.empty());

    /**
     * @param nodes live media nodes to ask
     * @return the id of a node with a publisher in {@code room}; empty when none answered yes. Never fails.
     */
    CompletableFuture<Optional<String>> locate(String room, List<Member> nodes);
}
