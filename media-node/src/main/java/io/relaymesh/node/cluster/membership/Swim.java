package io.relaymesh.node.cluster.membership;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.relaymesh.node.cluster.wire.Ack;
import io.relaymesh.node.cluster.wire.AppMessage;
import io.relaymesh.node.cluster.wire.ClusterKey;
import io.relaymesh.node.cluster.wire.Envelope;
import io.relaymesh.node.cluster.wire.Gossip;
import io.relaymesh.node.cluster.wire.MemberUpdate;
import io.relaymesh.node.cluster.wire.MessageType;
import io.relaymesh.node.cluster.wire.NodeLoad;
import io.relaymesh.node.cluster.wire.NodeMetadata;
import io.relaymesh.node.cluster.wire.Ping;
import io.relaymesh.node.cluster.wire.PingRequest;
import io.relaymesh.node.cluster.wire.Sync;
import io.relaymesh.node.protocol.ProtocolException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * SWIM membership (Das, Gupta, Motivala 2002) with the refinements of suspicion and incarnations: the whole
 * protocol of one node, independent of sockets and threads. Datagrams come in through {@link #receive} and go
 * out through a {@link DatagramSink}; timers run on a {@link Scheduler}; time and randomness are injected.
 * Every method must be called on the one protocol thread, except {@link #members()}, {@link #counters()} and
 * {@link #joined()}.
 *
 * <p>Each probe interval the node probes the next member of a shuffled round-robin list: a PING, then after
 * the probe timeout PING_REQs to {@code k} other members, and if no ack (direct or relayed) came by the end
 * of the interval, the target becomes SUSPECT. A SUSPECT member that does not refute (by gossiping ALIVE with a
 * higher incarnation) within the suspicion timeout is declared DEAD by every member that heard the suspicion.
 * Updates travel piggybacked on every probe and ack, and in GOSSIP rounds to a few random members; full state
 * is exchanged (SYNC) on join and periodically with a random member.
 *
 * <p>This class owns the lifecycle and the public API and dispatches received messages; the roles are its parts:
 * {@link FailureDetector} (probes), {@link MemberTable} (members, precedence, suspicion timers),
 * {@link Dissemination} (piggybacked and gossiped updates), {@link StateSync} (join and anti-entropy) and
 * {@link LocalMember} (this node's incarnation and refutations).
 */
public final class Swim {

    /** Members a refutation is sent to directly, besides being gossiped. */
    static final int MAX_DIRECT_REFUTATIONS = 64;

    private final SwimConfig config;
    private final Scheduler scheduler;
    private final LocalMember self;
    private final MessageGate gate;
    private final Outbox outbox;
    private final DropCounters drops = new DropCounters();
    private final Map<Integer, AppHandler> appHandlers = new HashMap<>();
    private final MemberTable table;
    private final Dissemination dissemination;
    private final FailureDetector detector;
    private final StateSync sync;

    /**
     * @param config    protocol parameters
     * @param key       the cluster message key
     * @param self      this node's metadata
     * @param nanoTime  monotonic time for timers and RTT
     * @param clock     wall clock for message sequences and freshness
     * @param random    randomness for probe order, helpers and gossip targets
     * @param scheduler runs timers on the protocol thread
     * @param out       sends datagrams
     * @param alloc     allocates outgoing datagrams
     * @param seeds     members to join through
     */
    public Swim(SwimConfig config, ClusterKey key, NodeMetadata self, LongSupplier nanoTime, Clock clock,
                RandomGenerator random, Scheduler scheduler, DatagramSink out, ByteBufAllocator alloc,
                SeedResolver seeds) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(key, "key");
        this.self = new LocalMember(Objects.requireNonNull(self, "self"), clock);
        this.scheduler = scheduler;
        String selfId = self.nodeId();
        this.gate = new MessageGate(key, selfId, clock, config, drops);
        this.outbox = new Outbox(key, selfId, clock, alloc, out);
        Broadcasts broadcasts = new Broadcasts();
        ProbeOrder probeOrder = new ProbeOrder(random);
        this.table = new MemberTable(config, this.self, nanoTime, random, scheduler, broadcasts, probeOrder, drops);
        this.dissemination = new Dissemination(config, this.self, table, broadcasts, outbox, scheduler, nanoTime);
        this.detector = new FailureDetector(config, this.self, table, dissemination, probeOrder, scheduler, nanoTime,
                random);
        this.sync = new StateSync(config, this.self, table, outbox, scheduler, random, seeds);
    }

    /** Starts probing, gossiping and joining through the seeds. */
    public void start() {
        self.running(true);
        table.publish();
        sync.joinTick();
        scheduler.schedule(config.probeInterval().toNanos(), detector::probeTick);
        scheduler.schedule(config.gossipInterval().toNanos(), dissemination::gossipTick);
        scheduler.schedule(config.joinRetryInterval().toNanos(), sync::syncTick);
        scheduler.schedule(MemberTable.REAP_INTERVAL_NANOS, table::reapTick);
    }

    /** Announces a graceful leave to a few members and stops. */
    public void leave() {
        if (!self.running()) {
            return;
        }
        dissemination.tellRandomMembers(2 * config.gossipFanout(), self.leaving());
        self.running(false);
    }

    /** Stops without a word, as a crashed process would. */
    public void stop() {
        self.running(false);
    }

    public String selfId() {
        return self.id();
    }

    public long incarnation() {
        return self.incarnation();
    }

    public NodeMetadata metadata() {
        return self.metadata();
    }

    public void addListener(MembershipListener listener) {
        table.addListener(listener);
    }

    public void onMessage(int channel, AppHandler handler) {
        appHandlers.put(channel, handler);
    }

    /** Completes once another member is up (this node has joined a cluster). */
    public CompletableFuture<Void> joined() {
        return table.joined();
    }

    public DropCounters counters() {
        return drops;
    }

    /** Every member this node knows, itself included, as of the last protocol event. Any thread. */
    public List<Member> members() {
        return table.published();
    }

    /**
     * Publishes new load, and with it the RTTs this node measures to the other zones (bumping the incarnation,
     * which versions the metadata).
     */
    public void updateLoad(NodeLoad load) {
        dissemination.spread(self.withLoad(load, table.zoneRttMicros()));
        table.changed();
        table.publish();
    }

    /**
     * Sends an authenticated application datagram to an up member; ownership of {@code payload} passes here.
     *
     * @return false when the member is not up or not known
     * @throws IllegalArgumentException when the payload does not fit one datagram
     */
    public boolean send(String memberId, int channel, ByteBuf payload) {
        try {
            MemberTable.Entry e = table.get(memberId);
            if (e == null || !e.isUp()) {
                return false;
            }
            AppMessage m = new AppMessage(channel, payload);
            if (m.encodedLength() > outbox.maxBody(memberId)) {
                throw new IllegalArgumentException("application payload of " + payload.readableBytes()
                        + " bytes exceeds " + maxAppPayload(memberId));
            }
            outbox.send(MessageType.APP, memberId, e.address(), m.encodedLength(), m::writeTo);
            return true;
        } finally {
            payload.release();
        }
    }

    /** Largest application payload to {@code memberId}. */
    public int maxAppPayload(String memberId) {
        return outbox.maxBody(memberId) - AppMessage.FIXED_LENGTH;
    }

    /** Handles one datagram; the caller keeps ownership of {@code datagram}. */
    public void receive(ByteBuf datagram, InetSocketAddress from) {
        if (!self.running()) {
            return;
        }
        Envelope env = gate.admit(datagram, from);
        if (env == null) {
            return;
        }
        try {
            dispatch(env, from);
        } catch (ProtocolException e) {
            gate.drop(DropReason.MALFORMED_BODY, from, env.type() + ": " + e.getMessage());
        }
        table.publish();
    }

    private void dispatch(Envelope env, InetSocketAddress from) throws ProtocolException {
        switch (env.type()) {
            case PING -> {
                Ping ping = Ping.parse(env.body());
                merge(ping.updates());
                dissemination.sendAck(env.sender(), from, ping.probeId());
            }
            case PING_REQ -> {
                PingRequest request = PingRequest.parse(env.body());
                merge(request.updates());
                detector.relay(request, env.sender(), from);
            }
            case ACK -> {
                Ack ack = Ack.parse(env.body());
                merge(ack.updates());
                detector.acked(ack.probeId(), env.sender());
            }
            case SYNC -> {
                Sync s = Sync.parse(env.body());
                merge(s.updates());
                if (s.replyWanted()) {
                    sync.sendState(env.sender(), from, false);
                }
            }
            case GOSSIP -> merge(Gossip.parse(env.body()).updates());
            case APP -> {
                AppMessage m = AppMessage.parse(env.body());
                AppHandler handler = appHandlers.get(m.channel());
                if (handler == null) {
                    gate.drop(DropReason.UNKNOWN_CHANNEL, from, "channel " + m.channel());
                } else {
                    handler.onMessage(env.sender(), m.payload());
                }
            }
        }
    }

    /** Applies received updates: those about other members to the table, those about this node by refuting them. */
    private void merge(List<MemberUpdate> updates) {
        for (MemberUpdate u : updates) {
            if (!u.nodeId().equals(self.id())) {
                table.apply(u);
                continue;
            }
            MemberUpdate alive = self.refute(u);
            if (alive != null) {
                table.health().refuted();
                dissemination.spread(alive);
                table.changed();
                // Gossip alone dies out in a few rounds and may miss a member whose suspicion timer is running;
                // a refutation is rare, so it also goes straight to (up to 64) members.
                dissemination.tellRandomMembers(MAX_DIRECT_REFUTATIONS, alive);
            }
        }
    }
}
