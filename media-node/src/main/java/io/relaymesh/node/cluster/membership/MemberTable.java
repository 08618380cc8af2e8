package io.relaymesh.node.cluster.membership;

import io.relaymesh.node.cluster.wire.MemberState;
import io.relaymesh.node.cluster.wire.MemberUpdate;
import io.relaymesh.node.cluster.wire.NodeMetadata;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The other members as this node knows them, and the rules that change them: SWIM's precedence of updates, the
 * suspicion timer that turns an unrefuted SUSPECT into DEAD, the tombstones of DEAD and LEFT members until they
 * are reaped. Every accepted update is queued for gossip, and listeners hear of every transition. Readers on other
 * threads see an immutable snapshot, {@link #published()}, renewed by {@link #publish()} after each protocol event.
 */
final class MemberTable {

    private static final Logger LOG = LoggerFactory.getLogger(MemberTable.class);
    static final long REAP_INTERVAL_NANOS = 1_000_000_000L;

    /** A member as this node tracks it; changed only by the table. */
    static final class Entry {
        private final String id;
        private MemberState state;
        private long incarnation;
        private NodeMetadata metadata;
        private long stateSinceNanos;
        private long rttNanos = -1;

        private Entry(String id) {
            this.id = id;
        }

        String id() {
            return id;
        }

        MemberState state() {
            return state;
        }

        boolean isUp() {
            return state.isUp();
        }

        InetSocketAddress address() {
            return metadata.clusterAddress();
        }

        /** How long it has been in its state, at {@code nowNanos}. */
        long inStateNanos(long nowNanos) {
            return nowNanos - stateSinceNanos;
        }

        MemberUpdate toUpdate() {
            return new MemberUpdate(state, incarnation, metadata);
        }

        Member toMember() {
            return new Member(id, state, incarnation, metadata,
                    rttNanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(rttNanos)), false);
        }
    }

    private final SwimConfig config;
    private final LocalMember self;
    private final LongSupplier nanoTime;
    private final RandomGenerator random;
    private final Scheduler scheduler;
    private final Broadcasts broadcasts;
    private final ProbeOrder probeOrder;
    private final DropCounters drops;
    private final Map<String, Entry> members = new HashMap<>();
    private final List<MembershipListener> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> joined = new CompletableFuture<>();
    private final LocalHealth health = new LocalHealth();
    private volatile List<Member> snapshot = List.of();
    private boolean dirty = true;

    MemberTable(SwimConfig config, LocalMember self, LongSupplier nanoTime, RandomGenerator random,
                Scheduler scheduler, Broadcasts broadcasts, ProbeOrder probeOrder, DropCounters drops) {
        this.config = config;
        this.self = self;
        this.nanoTime = nanoTime;
        this.random = random;
        this.scheduler = scheduler;
        this.broadcasts = broadcasts;
        this.probeOrder = probeOrder;
        this.drops = drops;
    }

    void addListener(MembershipListener listener) {
        listeners.add(listener);
    }

    /** Completes once another member is up. */
    CompletableFuture<Void> joined() {
        return joined;
    }

    /** The entry of {@code id}, or null when it is not known. */
    Entry get(String id) {
        return members.get(id);
    }

    boolean isUp(String id) {
        Entry e = members.get(id);
        return e != null && e.isUp();
    }

    List<String> upIds() {
        return members.values().stream().filter(Entry::isUp).map(Entry::id).toList();
    }

    /** Members up, this node not counted. */
    int upCount() {
        int up = 0;
        for (Entry e : members.values()) {
            if (e.isUp()) {
                up++;
            }
        }
        return up;
    }

    /**
     * Per other zone, this node's smoothed direct-probe RTT to its nearest up member there, in microseconds (zones
     * with no measured member are absent).
     */
    Map<String, Long> zoneRttMicros() {
        Map<String, Long> nearest = new HashMap<>();
        String ownZone = self.metadata().zone();
        for (Entry e : members.values()) {
            String zone = e.metadata.zone();
            if (e.isUp() && e.rttNanos >= 0 && !zone.equals(ownZone)) {
                nearest.merge(zone, e.rttNanos / 1_000, Math::min);
            }
        }
        return nearest;
    }

    /** The update of every known member, this node first: a full-state sync. */
    List<MemberUpdate> fullState() {
        List<MemberUpdate> all = new ArrayList<>(members.size() + 1);
        all.add(self.alive());
        for (Entry e : members.values()) {
            all.add(e.toUpdate());
        }
        return all;
    }

    /** Up to {@code k} distinct random members matching {@code filter} (reservoir sampling, one pass). */
    List<Entry> sample(int k, Predicate<Entry> filter) {
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

    /**
     * Applies an update about another member if it supersedes what is known.
     *
     * @return whether it changed anything
     */
    boolean apply(MemberUpdate u) {
        String id = u.nodeId();
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
            startSuspicion(e);
        }
        broadcasts.add(u);
        dirty = true;
        announce(e, known, before, beforeMeta);
        return true;
    }

    /** SWIM's precedence rules: a higher incarnation wins; at equal incarnation DEAD > SUSPECT > ALIVE. */
    static boolean supersedes(MemberUpdate u, Entry e) {
        return switch (u.state()) {
            case ALIVE -> u.incarnation() > e.incarnation;
            case SUSPECT -> u.incarnation() > e.incarnation
                    || (u.incarnation() == e.incarnation && e.state == MemberState.ALIVE);
            case DEAD, LEFT -> u.incarnation() > e.incarnation
                    || (u.incarnation() == e.incarnation && e.state.isUp());
        };
    }

    /** Tells the listeners what an applied update did to a member that was {@code before} (DEAD when new). */
    private void announce(Entry e, boolean known, MemberState before, NodeMetadata beforeMeta) {
        boolean wasUp = known && before.isUp();
        if (!wasUp && e.isUp()) {
            if (known) {
                probeOrder.insert(e.id); // came back; a new member was inserted when it was added
            }
            LOG.info("cluster member {} up ({}, incarnation {})", e.id, e.state, e.incarnation);
            notify(e, MembershipListener::memberUp);
            if (!joined.isDone()) {
                joined.complete(null);
            }
        } else if (wasUp && !e.isUp()) {
            LOG.info("cluster member {} {} (incarnation {})", e.id, e.state == MemberState.LEFT ? "left" : "is dead",
                    e.incarnation);
            notify(e, MembershipListener::memberDown);
        } else if (wasUp && (before != e.state || !e.metadata.equals(beforeMeta))) {
            notify(e, MembershipListener::memberUpdated);
        }
    }

    /**
     * Marks an ALIVE member SUSPECT after a failed probe and starts its suspicion timer.
     *
     * @return the suspicion, to be told to the member so that it can refute at once; null when it was not ALIVE
     */
    MemberUpdate suspect(String id) {
        Entry e = members.get(id);
        if (e == null || e.state != MemberState.ALIVE) {
            return null;
        }
        LOG.debug("suspecting {}", id);
        MemberUpdate suspicion = new MemberUpdate(MemberState.SUSPECT, e.incarnation, e.metadata);
        apply(suspicion);
        return suspicion;
    }

    private void startSuspicion(Entry e) {
        String id = e.id;
        long inc = e.incarnation;
        scheduler.schedule(health.scale(config.suspicionTimeout()), () -> suspicionExpired(id, inc));
    }

    /** This node's trust in its own timers, which scales the suspicion timeout it applies. */
    LocalHealth health() {
        return health;
    }

    /** DEAD, unless the member refuted (or was otherwise superseded) since the suspicion began. */
    private void suspicionExpired(String id, long inc) {
        Entry e = members.get(id);
        if (!self.running() || e == null || e.state != MemberState.SUSPECT || e.incarnation != inc) {
            return;
        }
        apply(new MemberUpdate(MemberState.DEAD, inc, e.metadata));
        publish();
    }

    /** Folds a probe's round trip into the member's smoothed RTT (EWMA, 1/8, as TCP's SRTT). */
    void recordRtt(String id, long sampleNanos) {
        Entry e = members.get(id);
        if (e != null) {
            e.rttNanos = e.rttNanos < 0 ? sampleNanos : e.rttNanos + (sampleNanos - e.rttNanos) / 8;
            dirty = true;
        }
    }

    /** Forgets DEAD and LEFT members kept longer than the retention; runs every second. */
    void reapTick() {
        if (!self.running()) {
            return;
        }
        scheduler.schedule(REAP_INTERVAL_NANOS, this::reapTick);
        long now = nanoTime.getAsLong();
        long retention = config.deadRetention().toNanos();
        if (members.values().removeIf(e -> !e.isUp() && e.inStateNanos(now) > retention)) {
            dirty = true;
            publish();
        }
    }

    /** Something the snapshot shows changed outside the table (this node's own record). */
    void changed() {
        dirty = true;
    }

    /** Renews the snapshot, when anything changed since the last one. */
    void publish() {
        if (!dirty) {
            return;
        }
        dirty = false;
        List<Member> list = new ArrayList<>(members.size() + 1);
        list.add(self.toMember());
        for (Entry e : members.values()) {
            list.add(e.toMember());
        }
        list.sort(Comparator.comparing(Member::id));
        snapshot = List.copyOf(list);
    }

    /** Every member, this node included, sorted by id, as of the last {@link #publish()}. Any thread. */
    List<Member> published() {
        return snapshot;
    }

    private void notify(Entry e, BiConsumer<MembershipListener, Member> call) {
        Member m = e.toMember();
        for (MembershipListener l : listeners) {
            try {
                call.accept(l, m);
            } catch (RuntimeException ex) {
                LOG.warn("membership listener failed", ex);
            }
        }
    }
}
