package io.relaymesh.node.gateway;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which media node hosts each room's publishers, as far as this gateway knows: it learns from the publish
 * sessions it places and forgets a room when its last placed publisher hangs up or its node goes down. Until
 * media is relayed between nodes, a viewer must land on the publisher's node to see anything, so WHEP (and a
 * second publisher of the same room) prefers this node.
 *
 * <p>Rooms it did not place are found by asking the media nodes ({@link RoomLocator}) and then remembered
 * here. A publisher that vanishes without a DELETE stays listed until its node leaves.
 */
public final class RoomDirectory {

    private record Hosting(String nodeId, int publishers) {
    }

    private final Map<String, Hosting> rooms = new ConcurrentHashMap<>();

    /** A publisher of {@code room} was placed on {@code nodeId}. */
    public void published(String room, String nodeId) {
        rooms.merge(room, new Hosting(nodeId, 1), (old, fresh) -> old.nodeId().equals(nodeId)
                ? new Hosting(nodeId, old.publishers() + 1) : fresh);
    }

    /**
     * A media node said it hosts {@code room} (published through another gateway or before this one started).
     * Kept until that node goes down, or until a publisher placed here on that node hangs up.
     */
    public void discovered(String room, String nodeId) {
        rooms.putIfAbsent(room, new Hosting(nodeId, 0));
    }

    /** A publisher of {@code room} on {@code nodeId} hung up. */
    public void unpublished(String room, String nodeId) {
        rooms.computeIfPresent(room, (r, old) -> !old.nodeId().equals(nodeId) ? old
                : old.publishers() <= 1 ? null : new Hosting(nodeId, old.publishers() - 1));
    }

    /** Forgets every room of a node that went down. */
    public void nodeDown(String nodeId) {
        rooms.values().removeIf(h -> h.nodeId().equals(nodeId));
    }

    public Optional<String> hostOf(String room) {
        Hosting h = rooms.get(room);
        return h == null ? Optional.empty() : Optional.of(h.nodeId());
    }

    /** Rooms and their nodes (a copy), for the cluster API. */
    public Map<String, String> snapshot() {
        Map<String, String> out = new java.util.TreeMap<>();
        rooms.forEach((room, h) -> out.put(room, h.nodeId()));
        return out;
    }
}
