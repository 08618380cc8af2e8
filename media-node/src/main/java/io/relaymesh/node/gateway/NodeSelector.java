package io.relaymesh.node.gateway;

import io.relaymesh.node.cluster.membership.Member;
import io.relaymesh.node.cluster.wire.MemberState;
import io.relaymesh.node.cluster.wire.NodeLoad;
import io.relaymesh.node.config.NodeSettings;
import io.relaymesh.node.config.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the media nodes a new session may go to, from the gateway's view of the cluster. Pure: members in,
 * ordered candidates (or a refusal reason) out.
 *
 * <ol>
 *   <li>Only ALIVE members with the media role and an HTTP address count; SUSPECT ones are skipped (they may be
 *       dying).</li>
 *   <li>A node has room when its CPU is under {@link #cpuLimitPermille} (a limit of 1000, all of it, means no
 *       limit) and its live sessions under its gossiped capacity.</li>
 *   <li>The node already hosting the session's room comes first when it has room and is in the requested zone:
 *       its viewers get the room's tracks without a relay hop, and further publishers join it. In another zone,
 *       the session is placed in its own zone and the media relay brings the room's tracks there.</li>
 *   <li>Then the requested zone's nodes, least loaded first (the larger of CPU and session use), then the other
 *       zones, nearest first by the round-trip time this gateway measured to their members (zones with no
 *       measurement last).</li>
 * </ol>
 */
public final class NodeSelector {

    /** Nodes at or above the gateway's default {@code --placement-cpu-limit} (60 %) take no new sessions. */
    public static final int DEFAULT_CPU_LIMIT_PERMILLE = NodeSettings.DEFAULT_PLACEMENT_CPU_LIMIT * 10;

    private final int cpuLimitPermille;

    public NodeSelector(int cpuLimitPermille) {
        if (cpuLimitPermille < 1 || cpuLimitPermille > 1000) {
            throw new IllegalArgumentException("CPU limit must be 1..1000 per mille, got " + cpuLimitPermille);
        }
        this.cpuLimitPermille = cpuLimitPermille;
    }

    public NodeSelector() {
        this(DEFAULT_CPU_LIMIT_PERMILLE);
    }

    /**
     * @param members   the gateway's member list (itself included)
     * @param zone      the zone the session should be served from
     * @param roomHost  the node that hosts the session's room, when known
     */
    public Placement select(List<Member> members, String zone, Optional<String> roomHost) {
        List<Member> media = members.stream().filter(m -> m.metadata().roles().contains(Role.MEDIA)
                && m.metadata().httpAddress().isPresent()).toList();
        if (media.isEmpty()) {
            return Placement.refused("no media node has joined the cluster", zone);
        }
        List<Member> alive = media.stream().filter(m -> m.state() == MemberState.ALIVE).toList();
        if (alive.isEmpty()) {
            return Placement.refused("no live media node: all " + media.size() + " are suspect, dead or gone", zone);
        }
        List<Member> open = alive.stream().filter(this::hasRoom).toList();
        if (open.isEmpty()) {
            return Placement.refused("all " + alive.size() + " live media nodes are full (CPU at or above "
                    + cpuLimitPermille / 10 + " % or every session slot taken)", zone);
        }
        List<Member> ordered = new ArrayList<>();
        roomHost.flatMap(id -> open.stream().filter(m -> m.id().equals(id)).findFirst())
                .filter(m -> m.metadata().zone().equals(zone))
                .ifPresent(ordered::add);
        for (String z : zoneOrder(open, zone)) {
            open.stream()
                    .filter(m -> m.metadata().zone().equals(z) && !ordered.contains(m))
                    .sorted(Comparator.comparingDouble((Member m) -> use(m.metadata().load())).thenComparing(Member::id))
                    .forEach(ordered::add);
        }
        return Placement.of(ordered, zone, roomHost);
    }

    boolean hasRoom(Member m) {
        NodeLoad load = m.metadata().load();
        return (cpuLimitPermille >= 1000 || load.cpuPermille() < cpuLimitPermille)
                && load.sessions() < load.sessionCapacity();
    }

    /** The larger of CPU (relative to the limit) and session use: the resource nearest to running out. */
    private double use(NodeLoad load) {
        double cpu = load.cpuPermille() / (double) cpuLimitPermille;
        double sessions = load.sessionCapacity() == 0 ? 1 : load.sessions() / (double) load.sessionCapacity();
        return Math.max(cpu, sessions);
    }

    /** The requested zone first, then the others by the lowest RTT measured to any of their nodes. */
    static List<String> zoneOrder(List<Member> open, String zone) {
        Map<String, Long> nearest = new LinkedHashMap<>();
        for (Member m : open) {
            long rtt = m.rtt().map(Duration::toNanos).orElse(Long.MAX_VALUE);
            nearest.merge(m.metadata().zone(), rtt, Math::min);
        }
        List<String> out = new ArrayList<>();
        if (nearest.containsKey(zone)) {
            out.add(zone);
        }
        nearest.entrySet().stream()
                .filter(e -> !e.getKey().equals(zone))
                .sorted(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.add(e.getKey()));
        return out;
    }
}
