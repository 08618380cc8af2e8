package io.relaymesh.node.cluster.membership;

import io.relaymesh.node.cluster.wire.MemberState;
import io.relaymesh.node.cluster.wire.MemberUpdate;
import io.relaymesh.node.cluster.wire.NodeLoad;
import io.relaymesh.node.cluster.wire.NodeMetadata;
import io.relaymesh.node.cluster.wire.ZoneRtts;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's own record: its metadata, its incarnation and whether it takes part in the protocol. Only this
 * node raises its incarnation: to version new metadata, to announce a leave, and to refute what others say
 * about it.
 */
final class LocalMember {

    private static final Logger LOG = LoggerFactory.getLogger(LocalMember.class);

    private final String id;
    private NodeMetadata metadata;
    private long incarnation;
    private boolean running;

    LocalMember(NodeMetadata metadata, Clock clock) {
        this.metadata = metadata;
        this.id = metadata.nodeId();
        // Milliseconds since the epoch: a restarted node starts above every incarnation of its earlier life.
        this.incarnation = clock.millis();
    }

    String id() {
        return id;
    }

    NodeMetadata metadata() {
        return metadata;
    }

    long incarnation() {
        return incarnation;
    }

    boolean running() {
        return running;
    }

    void running(boolean running) {
        this.running = running;
    }

    /** This node as ALIVE at its current incarnation. */
    MemberUpdate alive() {
        return new MemberUpdate(MemberState.ALIVE, incarnation, metadata);
    }

    /**
     * Takes new load and the RTTs it measures to other zones (per zone, microseconds; published settled:
     * {@link ZoneRtts#settle}); returns the ALIVE update at the incarnation that versions them.
     */
    MemberUpdate withLoad(NodeLoad load, Map<String, Long> zoneRttMicros) {
        metadata = metadata.withLoad(load).withZoneRtts(ZoneRtts.settle(metadata.zoneRtts(), zoneRttMicros));
        incarnation++;
        return alive();
    }

    /** The LEFT update of a graceful leave, above every update this node sent before. */
    MemberUpdate leaving() {
        incarnation++;
        return new MemberUpdate(MemberState.LEFT, incarnation, metadata);
    }

    /**
     * Answers an update about this node: someone says it is suspect or dead at its incarnation or above, or
     * knows it ALIVE at a higher incarnation (from before a restart). Either is refuted by an ALIVE above it.
     *
     * @return the refuting update, or null when {@code about} needs no answer
     */
    MemberUpdate refute(MemberUpdate about) {
        boolean accusation = about.state() != MemberState.ALIVE && about.incarnation() >= incarnation;
        boolean olderLifeAhead = about.state() == MemberState.ALIVE && about.incarnation() > incarnation;
        if (!accusation && !olderLifeAhead) {
            return null;
        }
        incarnation = about.incarnation() + 1;
        LOG.info("refuting {} about this node: incarnation now {}", about.state(), incarnation);
        return alive();
    }

    /** This node as the member list shows it: ALIVE while running, LEFT once stopped. */
    Member toMember() {
        return new Member(id, running ? MemberState.ALIVE : MemberState.LEFT, incarnation, metadata, Optional.empty(),
                true);
    }
}
