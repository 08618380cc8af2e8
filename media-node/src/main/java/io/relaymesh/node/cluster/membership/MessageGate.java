package io.relaymesh.node.cluster.membership;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.cluster.wire.ClusterKey;
import io.relaymesh.node.cluster.wire.Envelope;
import io.relaymesh.node.protocol.ProtocolException;
import java.net.InetSocketAddress;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks every received datagram passes before the protocol looks at it, cheapest first: the frame parses,
 * the tag verifies, the sender is not this node, the message is for this node, and its sequence is fresh and new.
 * A datagram that fails one is counted by reason and dropped.
 */
final class MessageGate {

    private static final Logger LOG = LoggerFactory.getLogger(MessageGate.class);

    private final ClusterKey key;
    private final String selfId;
    private final Clock clock;
    private final ReplayGuard replay;
    private final DropCounters drops;

    MessageGate(ClusterKey key, String selfId, Clock clock, SwimConfig config, DropCounters drops) {
        this.key = key;
        this.selfId = selfId;
        this.clock = clock;
        this.drops = drops;
        this.replay = new ReplayGuard(config.maxMessageAge().toNanos() / 1000, config.maxClockSkew().toNanos() / 1000,
                2 * config.maxMembers());
    }

    /** The envelope of an acceptable datagram, or null when it was dropped. */
    Envelope admit(ByteBuf datagram, InetSocketAddress from) {
        Envelope env;
        try {
            env = Envelope.parse(datagram);
        } catch (ProtocolException e) {
            drop(DropReason.MALFORMED, from, e.getMessage());
            return null;
        }
        if (!env.authenticatedBy(key, datagram)) {
            drop(DropReason.BAD_MAC, from, "tag does not verify (sender claims " + env.sender() + ")");
            return null;
        }
        if (env.sender().equals(selfId)) {
            drop(DropReason.OWN_ID, from, "a message with this node's own id");
            return null;
        }
        if (!env.destination().isEmpty() && !env.destination().equals(selfId)) {
            drop(DropReason.WRONG_DESTINATION, from, "addressed to " + env.destination());
            return null;
        }
        DropReason stale = replay.check(env.sender(), env.sequence(), Outbox.micros(clock));
        if (stale != null) {
            drop(stale, from, "sequence " + env.sequence() + " from " + env.sender());
            return null;
        }
        return env;
    }

    void drop(DropReason reason, InetSocketAddress from, String detail) {
        drops.count(reason);
        if (LOG.isTraceEnabled()) {
            LOG.trace("cluster datagram from {} dropped ({}): {}", from, reason, detail);
        }
    }
}
