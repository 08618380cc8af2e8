package io.relaymesh.node.cluster.membership;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.relaymesh.node.cluster.wire.Ack;
import io.relaymesh.node.cluster.wire.AppMessage;
import io.relaymesh.node.cluster.wire.ClusterKey;
import io.relaymesh.node.cluster.wire.Envelope;
import io.relaymesh.node.cluster.wire.Gossip;
import io.relaymesh.node.cluster.wire.MemberState;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 */
public final class Swim {

    private static final Logger LOG = LoggerFactory.getLogger(Swim.class);
    /** Datagrams one full-state sync may take. */
    static final int MAX_SYNC_DATAGRAMS = 64;
    /** Members a refutation is sent to directly, besides being gossiped. */
    static final int MAX_DIRECT_REFUTATIONS = 64;
    /** Seed addresses contacted per join attempt. */
    static final int MAX_SEEDS_PER_JOIN = 16;
    private static final long REAP_INTERVAL_NANOS = 1_000_000_000L;
    /** Every this many sync rounds, the sync goes to a seed instead: heals partitions whose halves both live. */
    private static final int SEED_SYNC_EVERY = 6;
    /**
     * The first sync rounds come every join retry interval instead of every sync interval: when many nodes start
     * at once, an update can die out while its holders know few members; early full-state exchanges repair that.
     */
    private static final int FAST_SYNC_ROUNDS = 5;

    private final SwimConfig config;
    private final LongSupplier nanoTime;
    private final RandomGenerator random;
    private final Scheduler scheduler;
    private final SeedResolver seeds;
    private final String selfId;

    private final Map<String, Entry> members = new HashMap<>();
    private final Broadcasts broadcasts = new Broadcasts();
    private final MessageGate gate;
    private final Outbox outbox;
    private final DropCounters drops = new DropCounters();
    private final List<MembershipListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Integer, AppHandler> appHandlers = new HashMap<>();
    private final Relays relays = new Relays();
    private final ProbeOrder probeOrder;
    private final CompletableFuture<Void> joined = new CompletableFuture<>();

    private NodeMetadata self;
    private long incarnation;
    private int nextProbeId;
    private Probe current;
    private int syncRounds;
    private boolean running;
    private volatile List<Member> snapshot = List.of();
    private boolean dirty = true;

    /** A member as this node tracks it. */
    private static final class Entry {
        final String id;
        MemberState state;
        long incarnation;
        NodeMetadata metadata;
        long stateSinceNanos;
        long suspicionDeadlineNanos;
        long rttNanos = -1;

        Entry(String id) {
            this.id = id;
        }
    }

    private static final class Probe {
        final String targetId;
        final int probeId;
        final long sentNanos;
        boolean acked;

        Probe(String targetId, int probeId, long sentNanos) {
            this.targetId = targetId;
            this.probeId = probeId;
            this.sentNanos = sentNanos;
        }
    }

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
        this.self = Objects.requireNonNull(self, "self");
        this.nanoTime = nanoTime;
        this.random = random;
        this.scheduler = scheduler;
        this.seeds = seeds;
        this.selfId = self.nodeId();
        this.probeOrder = new ProbeOrder(random);
        this.gate = new MessageGate(key, selfId, clock, config, drops);
        this.outbox = new Outbox(key, selfId, clock, alloc, out);
        // Milliseconds since the epoch: a restarted node starts above every incarnation of its earlier life.
        this.incarnation = clock.millis();
    }

    /** Starts probing, gossiping and joining through the seeds. */
    public void start() {
        running = true;
        publish();
        joinTick();
        schedule(config.probeInterval().toNanos(), this::probeTick);
        schedule(config.gossipInterval().toNanos(), this::gossipTick);
        schedule(config.joinRetryInterval().toNanos(), this::syncTick);
        schedule(REAP_INTERVAL_NANOS, this::reapTick);
    }

    /** Announces a graceful leave to a few members and stops. */
    public void leave() {
        if (!running) {
            return;
        }
        incarnation++;
        MemberUpdate left = new MemberUpdate(MemberState.LEFT, incarnation, self);
        for (Entry e : randomMembers(2 * config.gossipFanout(), e -> e.state.isUp())) {
            Gossip g = new Gossip(List.of(left));
            send(MessageType.GOSSIP, e.id, e.metadata.clusterAddress(), g.encodedLength(), g::writeTo);
        }
        running = false;
    }

    /** Stops without a word, as a crashed process would. */
    public void stop() {
        running = false;
    }

    public String selfId() {
        return selfId;
    }

    public long incarnation() {
        return incarnation;
    }

    public NodeMetadata metadata() {
        return self;
    }

    public void addListener(MembershipListener listener) {
        listeners.add(listener);
    }

    public void onMessage(int channel, AppHandler handler) {
        appHandlers.put(channel, handler);
    }

    /** Completes once another member is up (this node has joined a cluster). */
    public CompletableFuture<Void> joined() {
        return joined;
    }

    public DropCounters counters() {
        return drops;
    }

    /** Every member this node knows, itself included, as of the last protocol event. Any thread. */
    public List<Member> members() {
        return snapshot;
    }

    /** Publishes new load (bumping the incarnation, which versions the metadata). */
    public void updateLoad(NodeLoad load) {
        self = self.withLoad(load);
        incarnation++;
        broadcasts.add(new MemberUpdate(MemberState.ALIVE, incarnation, self));
        dirty = true;
        publish();
    }

    /**
     * Sends an authenticated application datagram to an up member; ownership of {@code payload} passes here.
     *
     * @return false when the member is not up or not known
     * @throws IllegalArgumentException when the payload does not fit one datagram
     */
    public boolean send(String memberId, int channel, ByteBuf payload) {
        try {
            Entry e = members.get(memberId);
            if (e == null || !e.state.isUp()) {
                return false;
            }
            AppMessage m = new AppMessage(channel, payload);
            if (m.encodedLength() > maxBody(memberId)) {
                throw new IllegalArgumentException("application payload of " + payload.readableBytes()
                        + " bytes exceeds " + (maxBody(memberId) - AppMessage.FIXED_LENGTH));
            }
            send(MessageType.APP, memberId, e.metadata.clusterAddress(), m.encodedLength(), m::writeTo);
            return true;
        } finally {
            payload.release();
        }
    }

    /** Largest application payload to {@code memberId}. */
    public int maxAppPayload(String memberId) {
        return maxBody(memberId) - AppMessage.FIXED_LENGTH;
    }

    // ---------------------------------------------------------------- receiving

    /** Handles one datagram; the caller keeps ownership of {@code datagram}. */
    public void receive(ByteBuf datagram, InetSocketAddress from) {
        if (!running) {
            return;
        }
        Envelope env = gate.admit(datagram, from);
        if (env == null) {
            return;
        }
        try {
            dispatch(env, from);
        } catch (ProtocolException e) {
            drop(DropReason.MALFORMED_BODY, from, env.type() + ": " + e.getMessage());
        }
        publish();
    }

    private void dispatch(Envelope env, InetSocketAddress from) throws ProtocolException {
        switch (env.type()) {
            case PING -> {
                Ping ping = Ping.parse(env.body());
                merge(ping.updates());
                sendAck(env.sender(), from, ping.probeId());
            }
            case PING_REQ -> {
                PingRequest request = PingRequest.parse(env.body());
                merge(request.updates());
                relay(request, env.sender(), from);
            }
            case ACK -> {
                Ack ack = Ack.parse(env.body());
                merge(ack.updates());
                acked(ack.probeId(), env.sender());
            }
            case SYNC -> {
                Sync sync = Sync.parse(env.body());
                merge(sync.updates());
                if (sync.replyWanted()) {
                    sendState(env.sender(), from, false);
                }
            }
            case GOSSIP -> merge(Gossip.parse(env.body()).updates());
            case APP -> {
                AppMessage m = AppMessage.parse(env.body());
                AppHandler handler = appHandlers.get(m.channel());
                if (handler == null) {
                    drop(DropReason.UNKNOWN_CHANNEL, from, "channel " + m.channel());
                } else {
                    handler.onMessage(env.sender(), m.payload());
                }
            }
        }
    }

    private void drop(DropReason reason, InetSocketAddress from, String detail) {
        gate.drop(reason, from, detail);
    }

    // ---------------------------------------------------------------- membership state

    private void merge(List<MemberUpdate> updates) {
        for (MemberUpdate u : updates) {
            apply(u);
        }
    }

    /** Applies an update if it supersedes what is known; returns whether it changed anything. */
    private boolean apply(MemberUpdate u) {
        String id = u.nodeId();
        if (id.equals(selfId)) {
            aboutSelf(u);
            return false;
        }
        Entry e = members.get(id);
        boolean known = e != null;
        if (!known) {
            if (members.size() >= config.maxMembers()) {
                drops.count(DropReason.TABLE_FULL);
                return false;
            }
            e = new Entry(id);
        } else if (!supersedes(u, e)) {
            return false;
        }
        MemberState before = known ? e.state : MemberState.DEAD;
        NodeMetadata beforeMeta = e.metadata;
        long now = nanoTime.getAsLong();
        if (!known) {
            members.put(id, e);
            if (u.state().isUp()) {
                probeOrder.insert(id);
            }
        }
        if (before != u.state()) {
            e.stateSinceNanos = now;
        }
        e.state = u.state();
        e.incarnation = u.incarnation();
        e.metadata = u.metadata();
        if (u.state() == MemberState.SUSPECT) {
            startSuspicion(e, now);
        }
        broadcasts.add(u);
        dirty = true;
        boolean wasUp = known && before.isUp();
        if (!wasUp && e.state.isUp()) {
            if (known) {
                probeOrder.insert(id);
            }
            LOG.info("cluster member {} up ({}, incarnation {})", id, e.state, e.incarnation);
            notify(e, MembershipListener::memberUp);
            if (!joined.isDone()) {
                joined.complete(null);
            }
        } else if (wasUp && !e.state.isUp()) {
            LOG.info("cluster member {} {} (incarnation {})", id, e.state == MemberState.LEFT ? "left" : "is dead",
                    e.incarnation);
            notify(e, MembershipListener::memberDown);
        } else if (wasUp && (before != e.state || !e.metadata.equals(beforeMeta))) {
            notify(e, MembershipListener::memberUpdated);
        }
        return true;
    }

    /** SWIM's precedence rules: a higher incarnation wins; at equal incarnation DEAD > SUSPECT > ALIVE. */
    private static boolean supersedes(MemberUpdate u, Entry e) {
        return switch (u.state()) {
            case ALIVE -> u.incarnation() > e.incarnation;
            case SUSPECT -> u.incarnation() > e.incarnation
                    || (u.incarnation() == e.incarnation && e.state == MemberState.ALIVE);
            case DEAD, LEFT -> u.incarnation() > e.incarnation
                    || (u.incarnation() == e.incarnation && e.state.isUp());
        };
    }

    /** Someone says this node is suspect or dead, or knows a higher incarnation of it: refute. */
    private void aboutSelf(MemberUpdate u) {
        boolean accusation = u.state() != MemberState.ALIVE && u.incarnation() >= incarnation;
        boolean olderLifeAhead = u.state() == MemberState.ALIVE && u.incarnation() > incarnation;
        if (accusation || olderLifeAhead) {
            incarnation = u.incarnation() + 1;
            LOG.info("refuting {} about this node: incarnation now {}", u.state(), incarnation);
            MemberUpdate alive = new MemberUpdate(MemberState.ALIVE, incarnation, self);
            broadcasts.add(alive);
            dirty = true;
            // Gossip alone dies out in a few rounds and may miss a member whose suspicion timer is running;
            // a refutation is rare, so it also goes straight to (up to 64) members.
            for (Entry e : randomMembers(MAX_DIRECT_REFUTATIONS, e -> e.state.isUp())) {
                sendGossip(e, List.of(alive));
            }
        }
    }

    private void startSuspicion(Entry e, long now) {
        e.suspicionDeadlineNanos = now + config.suspicionTimeout().toNanos();
        String id = e.id;
        long inc = e.incarnation;
        schedule(config.suspicionTimeout().toNanos(), () -> suspicionExpired(id, inc));
    }

    private void suspicionExpired(String id, long inc) {
        Entry e = members.get(id);
        if (!running || e == null || e.state != MemberState.SUSPECT || e.incarnation != inc) {
            return;
        }
        apply(new MemberUpdate(MemberState.DEAD, inc, e.metadata));
        publish();
    }

    private void suspect(String id) {
        Entry e = members.get(id);
        if (e != null && e.state == MemberState.ALIVE) {
            LOG.debug("suspecting {}", id);
            MemberUpdate suspicion = new MemberUpdate(MemberState.SUSPECT, e.incarnation, e.metadata);
            apply(suspicion);
            sendGossip(e, List.of(suspicion)); // so that it can refute at once, if it is alive after all
        }
    }

    private void notify(Entry e, java.util.function.BiConsumer<MembershipListener, Member> call) {
        Member m = toMember(e);
        for (MembershipListener l : listeners) {
            try {
                call.accept(l, m);
            } catch (RuntimeException ex) {
                LOG.warn("membership listener failed", ex);
            }
        }
    }

    private Member toMember(Entry e) {
        return new Member(e.id, e.state, e.incarnation, e.metadata,
                e.rttNanos < 0 ? java.util.Optional.empty() : java.util.Optional.of(java.time.Duration.ofNanos(e.rttNanos)),
                false);
    }

    private void publish() {
        if (!dirty) {
            return;
        }
        dirty = false;
        List<Member> list = new ArrayList<>(members.size() + 1);
        list.add(new Member(selfId, running ? MemberState.ALIVE : MemberState.LEFT, incarnation, self,
                java.util.Optional.empty(), true));
        for (Entry e : members.values()) {
            list.add(toMember(e));
        }
        list.sort(java.util.Comparator.comparing(Member::id));
        snapshot = List.copyOf(list);
    }

    // ---------------------------------------------------------------- probing

    private void probeTick() {
        if (!running) {
            return;
        }
        schedule(config.probeInterval().toNanos(), this::probeTick);
        relays.expire(nanoTime.getAsLong());
        Entry target = nextProbeTarget();
        if (target == null) {
            return;
        }
        Probe probe = new Probe(target.id, nextProbeId(), nanoTime.getAsLong());
        current = probe;
        sendPing(target.id, target.metadata.clusterAddress(), probe.probeId);
        schedule(config.probeTimeout().toNanos(), () -> indirectProbe(probe));
        schedule(config.probeInterval().toNanos(), () -> probeDeadline(probe));
    }

    private Entry nextProbeTarget() {
        String id = probeOrder.next(m -> {
            Entry e = members.get(m);
            return e != null && e.state.isUp();
        }, () -> members.values().stream().filter(e -> e.state.isUp()).map(e -> e.id).toList());
        return id == null ? null : members.get(id);
    }

    private void indirectProbe(Probe probe) {
        if (!running || probe.acked || current != probe) {
            return;
        }
        Entry target = members.get(probe.targetId);
        if (target == null || !target.state.isUp()) {
            return;
        }
        for (Entry helper : randomMembers(config.indirectProbes(),
                e -> e.state == MemberState.ALIVE && !e.id.equals(probe.targetId))) {
            int budget = maxBody(helper.id);
            PingRequest shell = new PingRequest(probe.probeId, target.id, target.metadata.clusterAddress(), List.of());
            PingRequest request = new PingRequest(probe.probeId, target.id, target.metadata.clusterAddress(),
                    takeBroadcasts(budget - shell.encodedLength()));
            send(MessageType.PING_REQ, helper.id, helper.metadata.clusterAddress(), request.encodedLength(),
                    request::writeTo);
        }
    }

    private void probeDeadline(Probe probe) {
        if (running && !probe.acked) {
            suspect(probe.targetId);
            publish();
        }
    }

    private void acked(int probeId, String sender) {
        Relays.Relay relay = relays.remove(probeId);
        if (relay != null) {
            sendAck(relay.originId(), relay.origin(), relay.originProbeId());
            return;
        }
        Probe probe = current;
        if (probe == null || probe.probeId != probeId || probe.acked) {
            return;
        }
        probe.acked = true;
        if (sender.equals(probe.targetId)) {
            Entry e = members.get(sender);
            if (e != null) {
                long sample = nanoTime.getAsLong() - probe.sentNanos;
                e.rttNanos = e.rttNanos < 0 ? sample : e.rttNanos + (sample - e.rttNanos) / 8;
                dirty = true;
            }
        }
    }

    private void relay(PingRequest request, String originId, InetSocketAddress origin) {
        int probeId = nextProbeId();
        long now = nanoTime.getAsLong();
        relays.add(probeId, new Relays.Relay(origin, originId, request.probeId(), now + config.probeInterval().toNanos()),
                now);
        sendPing(request.targetId(), request.targetAddress(), probeId);
    }

    private int nextProbeId() {
        if (nextProbeId == 0) {
            nextProbeId = random.nextInt() | 1;
        }
        return nextProbeId++;
    }

    // ---------------------------------------------------------------- gossip, sync, join, reaping

    private void gossipTick() {
        if (!running) {
            return;
        }
        schedule(config.gossipInterval().toNanos(), this::gossipTick);
        if (broadcasts.isEmpty()) {
            return;
        }
        long now = nanoTime.getAsLong();
        long deadWindow = config.gossipToDeadTime().toNanos();
        for (Entry e : randomMembers(config.gossipFanout(),
                e -> e.state.isUp() || now - e.stateSinceNanos < deadWindow)) {
            List<MemberUpdate> updates = takeBroadcasts(maxBody(e.id));
            if (updates.isEmpty()) {
                break;
            }
            Gossip g = new Gossip(updates);
            send(MessageType.GOSSIP, e.id, e.metadata.clusterAddress(), g.encodedLength(), g::writeTo);
        }
        publish();
    }

    private void syncTick() {
        if (!running) {
            return;
        }
        syncRounds++;
        schedule((syncRounds < FAST_SYNC_ROUNDS ? config.joinRetryInterval() : config.syncInterval()).toNanos(),
                this::syncTick);
        if (syncRounds % SEED_SYNC_EVERY == 0) {
            seeds.resolve(addresses -> {
                if (running && !addresses.isEmpty()) {
                    sendState("", addresses.get(random.nextInt(addresses.size())), true);
                }
            });
            return;
        }
        List<Entry> peer = randomMembers(1, e -> e.state == MemberState.ALIVE);
        if (!peer.isEmpty()) {
            sendState(peer.getFirst().id, peer.getFirst().metadata.clusterAddress(), true);
        }
    }

    private void joinTick() {
        if (!running) {
            return;
        }
        schedule(config.joinRetryInterval().toNanos(), this::joinTick);
        for (Entry e : members.values()) {
            if (e.state.isUp()) {
                return; // joined: no need to bother the seeds
            }
        }
        seeds.resolve(addresses -> {
            if (!running) {
                return;
            }
            int n = 0;
            for (InetSocketAddress a : addresses) {
                if (n++ == MAX_SEEDS_PER_JOIN) {
                    break;
                }
                if (!a.equals(self.clusterAddress())) {
                    sendState("", a, true);
                }
            }
        });
    }

    private void reapTick() {
        if (!running) {
            return;
        }
        schedule(REAP_INTERVAL_NANOS, this::reapTick);
        long now = nanoTime.getAsLong();
        long retention = config.deadRetention().toNanos();
        if (members.values().removeIf(e -> !e.state.isUp() && now - e.stateSinceNanos > retention)) {
            dirty = true;
            publish();
        }
    }

    /** Pushes the full state (every known member and this node) to {@code to}, in as many datagrams as needed. */
    private void sendState(String destination, InetSocketAddress to, boolean replyWanted) {
        List<MemberUpdate> all = new ArrayList<>(members.size() + 1);
        all.add(new MemberUpdate(MemberState.ALIVE, incarnation, self));
        for (Entry e : members.values()) {
            all.add(new MemberUpdate(e.state, e.incarnation, e.metadata));
        }
        int budget = maxBody(destination) - 2; // flags and count
        int i = 0;
        for (int datagrams = 0; i < all.size() && datagrams < MAX_SYNC_DATAGRAMS; datagrams++) {
            List<MemberUpdate> part = new ArrayList<>();
            int used = 0;
            while (i < all.size() && part.size() < MemberUpdate.MAX_LIST
                    && used + all.get(i).encodedLength() <= budget) {
                used += all.get(i).encodedLength();
                part.add(all.get(i++));
            }
            Sync sync = new Sync(replyWanted && i >= all.size(), part);
            send(MessageType.SYNC, destination, to, sync.encodedLength(), sync::writeTo);
        }
    }

    // ---------------------------------------------------------------- sending

    private void sendGossip(Entry to, List<MemberUpdate> updates) {
        Gossip g = new Gossip(updates);
        send(MessageType.GOSSIP, to.id, to.metadata.clusterAddress(), g.encodedLength(), g::writeTo);
    }

    private void sendPing(String targetId, InetSocketAddress to, int probeId) {
        int budget = maxBody(targetId) - Ping.FIXED_LENGTH;
        Ping ping = new Ping(probeId, takeBroadcasts(budget));
        send(MessageType.PING, targetId, to, ping.encodedLength(), ping::writeTo);
    }

    private void sendAck(String destination, InetSocketAddress to, int probeId) {
        int budget = maxBody(destination) - Ping.FIXED_LENGTH;
        Ack ack = new Ack(probeId, takeBroadcasts(budget));
        send(MessageType.ACK, destination, to, ack.encodedLength(), ack::writeTo);
    }

    private List<MemberUpdate> takeBroadcasts(int budget) {
        int up = 1;
        for (Entry e : members.values()) {
            if (e.state.isUp()) {
                up++;
            }
        }
        int limit = config.retransmitMultiplier() * (int) Math.ceil(Math.log10(up + 1));
        return broadcasts.take(budget - 1, MemberUpdate.MAX_LIST, Math.max(1, limit));
    }

    private int maxBody(String destination) {
        return outbox.maxBody(destination);
    }

    private void send(MessageType type, String destination, InetSocketAddress to, int bodyLength,
                      Consumer<ByteBuf> body) {
        outbox.send(type, destination, to, bodyLength, body);
    }

    // ---------------------------------------------------------------- helpers

    private void schedule(long delayNanos, Runnable task) {
        scheduler.schedule(delayNanos, task);
    }

    /** Up to {@code k} distinct random members matching {@code filter} (reservoir sampling, one pass). */
    private List<Entry> randomMembers(int k, Predicate<Entry> filter) {
        List<Entry> picked = new ArrayList<>(k);
        int seen = 0;
        for (Entry e : members.values()) {
            if (!filter.test(e)) {
                continue;
            }
            seen++;
            if (picked.size() < k) {
                picked.add(e);
            } else {
                int j = random.nextInt(seen);
                if (j < k) {
                    picked.set(j, e);
                }
            }
        }
        return picked;
    }
}
