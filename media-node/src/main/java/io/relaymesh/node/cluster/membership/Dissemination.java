package io.relaymesh.node.cluster.membership;

import io.relaymesh.node.cluster.membership.MemberTable.Entry;
import io.relaymesh.node.cluster.wire.Ack;
import io.relaymesh.node.cluster.wire.Gossip;
import io.relaymesh.node.cluster.wire.MemberUpdate;
import io.relaymesh.node.cluster.wire.MessageType;
import io.relaymesh.node.cluster.wire.Ping;
import io.relaymesh.node.cluster.wire.PingRequest;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * How membership updates spread (SWIM section 4.1): piggybacked on every ping, ping request and ack, and pushed to
 * a few random members each gossip round; members declared DEAD a short while ago still get gossip, so that one
 * declared wrongly learns of it and refutes. The pending updates and their retransmission limit live in
 * {@link Broadcasts}.
 */
final class Dissemination {

    private final SwimConfig config;
    private final LocalMember self;
    private final MemberTable table;
    private final Broadcasts broadcasts;
    private final Outbox outbox;
    private final Scheduler scheduler;
    private final LongSupplier nanoTime;

    Dissemination(SwimConfig config, LocalMember self, MemberTable table, Broadcasts broadcasts, Outbox outbox,
                  Scheduler scheduler, LongSupplier nanoTime) {
        this.config = config;
        this.self = self;
        this.table = table;
        this.broadcasts = broadcasts;
        this.outbox = outbox;
        this.scheduler = scheduler;
        this.nanoTime = nanoTime;
    }

    /** Queues an update about this node for gossip (updates about others are queued by the table). */
    void spread(MemberUpdate update) {
        broadcasts.add(update);
    }

    /** Pushes pending updates to {@code gossipFanout} random members; reschedules itself. */
    void gossipTick() {
        if (!self.running()) {
            return;
        }
        scheduler.schedule(config.gossipInterval().toNanos(), this::gossipTick);
        if (broadcasts.isEmpty()) {
            return;
        }
        long now = nanoTime.getAsLong();
        long deadWindow = config.gossipToDeadTime().toNanos();
        for (Entry e : table.sample(config.gossipFanout(), e -> e.isUp() || e.inStateNanos(now) < deadWindow)) {
            List<MemberUpdate> updates = take(outbox.maxBody(e.id()));
            if (updates.isEmpty()) {
                break;
            }
            sendGossip(e, updates);
        }
        table.publish();
    }

    /**
     * Sends {@code update} straight to up to {@code k} random up members, besides gossiping it: for the rare
     * updates (a refutation, a leave) that must not die out before they reach everyone.
     */
    void tellRandomMembers(int k, MemberUpdate update) {
        for (Entry e : table.sample(k, Entry::isUp)) {
            sendGossip(e, List.of(update));
        }
    }

    void sendGossip(Entry to, List<MemberUpdate> updates) {
        Gossip g = new Gossip(updates);
        outbox.send(MessageType.GOSSIP, to.id(), to.address(), g.encodedLength(), g::writeTo);
    }

    void sendPing(String targetId, InetSocketAddress to, int probeId) {
        Ping ping = new Ping(probeId, take(outbox.maxBody(targetId) - Ping.FIXED_LENGTH));
        outbox.send(MessageType.PING, targetId, to, ping.encodedLength(), ping::writeTo);
    }

    void sendAck(String destination, InetSocketAddress to, int probeId) {
        Ack ack = new Ack(probeId, take(outbox.maxBody(destination) - Ack.FIXED_LENGTH));
        outbox.send(MessageType.ACK, destination, to, ack.encodedLength(), ack::writeTo);
    }

    /** Asks {@code helper} to probe {@code target} on this node's behalf, under this node's {@code probeId}. */
    void sendPingRequest(Entry helper, int probeId, Entry target) {
        PingRequest shell = new PingRequest(probeId, target.id(), target.address(), List.of());
        PingRequest request = new PingRequest(probeId, target.id(), target.address(),
                take(outbox.maxBody(helper.id()) - shell.encodedLength()));
        outbox.send(MessageType.PING_REQ, helper.id(), helper.address(), request.encodedLength(), request::writeTo);
    }

    /**
     * The pending updates that fit a body of {@code budget} bytes (one goes to the list's count), each sent at most
     * {@code retransmitMultiplier * ceil(log10(N + 1))} times in all, N counting the up members and this node.
     */
    private List<MemberUpdate> take(int budget) {
        int up = table.upCount() + 1;
        int limit = config.retransmitMultiplier() * (int) Math.ceil(Math.log10(up + 1));
        return broadcasts.take(budget - 1, MemberUpdate.MAX_LIST, Math.max(1, limit));
    }
}
