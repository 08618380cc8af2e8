package io.relaymesh.node.events;

import io.relaymesh.node.cluster.membership.Member;
import io.relaymesh.node.cluster.membership.MembershipListener;
import io.relaymesh.node.cluster.wire.MemberState;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Membership changes as {@code node.joined} and {@code node.left} events, each reported once for the cluster
 * rather than once by every member that notices it:
 *
 * <ul>
 *   <li>{@code node.joined} is reported by the node that joined, once per process, when it first sees another
 *       member up ({@link #joined}). Only it knows that it is new: a node that joins an existing cluster learns
 *       every member at once, and those did not join.</li>
 *   <li>{@code node.left} is reported by the surviving member with the lowest node id (string order) among the
 *       members up in its view, not counting the one that left. Every member hears of the change by gossip and
 *       runs the same rule over nearly the same view, so one of them reports it; the one that left (crashed, or
 *       shutting down) cannot.</li>
 * </ul>
 *
 * <p>Views differ only while a change spreads (well under a second); a second change in that window (the
 * lowest member itself dying at the same moment) can make the report go missing or come twice. Consumers that
 * need exact counts reconcile with {@code GET /api/cluster}.
 */
public final class ClusterEvents implements MembershipListener {

    /** {@code node.left} reason: the member left on purpose (SIGTERM, drain, {@code close()}). */
    public static final String SHUTDOWN = "shutdown";
    /** {@code node.left} reason: the member stopped answering probes and was declared dead (crash, network). */
    public static final String FAILED = "failed";

    private final EventEmitter emitter;
    private final String localId;
    private final Supplier<List<Member>> members;
    /** Members whose departure this node has handled since they were last up (one membership thread calls). */
    private final Set<String> reportedDown = ConcurrentHashMap.newKeySet();

    /**
     * @param localId this node's id
     * @param members the members as this node sees them ({@code ClusterNode::members}), itself included
     */
    public ClusterEvents(EventEmitter emitter, String localId, Supplier<List<Member>> members) {
        this.emitter = Objects.requireNonNull(emitter, "emitter");
        this.localId = Objects.requireNonNull(localId, "localId");
        this.members = Objects.requireNonNull(members, "members");
    }

    /** This node has joined a cluster (another member is up): reports its own {@code node.joined}. */
    public void joined(String zone, String clusterAddress) {
        emitter.emit(null, null, null, new EventData.NodeJoined(localId, zone, clusterAddress));
    }

    @Override
    public void memberUp(Member member) {
        reportedDown.remove(member.id());
    }

    @Override
    public void memberDown(Member member) {
        // Membership may announce one departure more than once (DEAD rumours of several incarnations, DEAD after
        // LEFT); it is one departure until the member is seen up again.
        if (member.local() || !reportedDown.add(member.id())) {
            return;
        }
        if (!localId.equals(reporterFor(member.id(), members.get()))) {
            return;
        }
        String reason = member.state() == MemberState.LEFT ? SHUTDOWN : FAILED;
        emitter.emit(null, null, null, new EventData.NodeLeft(member.id(), member.metadata().zone(), reason));
    }

    /** The member that reports a change of {@code changed}: the lowest id among the other up members. */
    static String reporterFor(String changed, List<Member> view) {
        return view.stream()
                .filter(m -> m.isUp() && !m.id().equals(changed))
                .map(Member::id)
                .min(String::compareTo)
                .orElse(null);
    }
}
