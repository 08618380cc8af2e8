package io.relaymesh.node.cluster.membership;

import io.relaymesh.node.cluster.membership.MemberTable.Entry;
import io.relaymesh.node.cluster.wire.MemberState;
import io.relaymesh.node.cluster.wire.MemberUpdate;
import io.relaymesh.node.cluster.wire.MessageType;
import io.relaymesh.node.cluster.wire.Sync;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Full-state push-pull (SYNC): how a node joins, through the seeds, while it knows no member that is up; and
 * anti-entropy afterwards, with a random member every sync interval and with a seed every few rounds, which heals
 * partitions whose halves both live on.
 */
final class StateSync {

    /** Datagrams one full-state sync may take. */
    static final int MAX_SYNC_DATAGRAMS = 64;
    /** Seed addresses contacted per join attempt. */
    static final int MAX_SEEDS_PER_JOIN = 16;
    /** Every this many sync rounds, the sync goes to a seed instead: heals partitions whose halves both live. */
    private static final int SEED_SYNC_EVERY = 6;
    /**
     * The first sync rounds come every join retry interval instead of every sync interval: when many nodes start
     * at once, an update can die out while its holders know few members; early full-state exchanges repair that.
     */
    private static final int FAST_SYNC_ROUNDS = 5;

    private final SwimConfig config;
    private final LocalMember self;
    private final MemberTable table;
    private final Outbox outbox;
    private final Scheduler scheduler;
    private final RandomGenerator random;
    private final SeedResolver seeds;
    private int syncRounds;

    StateSync(SwimConfig config, LocalMember self, MemberTable table, Outbox outbox, Scheduler scheduler,
              RandomGenerator random, SeedResolver seeds) {
        this.config = config;
        this.self = self;
        this.table = table;
        this.outbox = outbox;
        this.scheduler = scheduler;
        this.random = random;
        this.seeds = seeds;
    }

    /** While no other member is up, offers this node's state to the seeds; reschedules itself. */
    void joinTick() {
        if (!self.running()) {
            return;
        }
        scheduler.schedule(config.joinRetryInterval().toNanos(), this::joinTick);
        if (table.upCount() > 0) {
            return; // joined: no need to bother the seeds
        }
        seeds.resolve(addresses -> {
            if (!self.running()) {
                return;
            }
            int n = 0;
            for (InetSocketAddress a : addresses) {
                if (n++ == MAX_SEEDS_PER_JOIN) {
                    break;
                }
                if (!a.equals(self.metadata().clusterAddress())) {
                    sendState("", a, true);
                }
            }
        });
    }

    /** Exchanges the full state with a random ALIVE member, or every few rounds with a seed; reschedules itself. */
    void syncTick() {
        if (!self.running()) {
            return;
        }
        syncRounds++;
        scheduler.schedule((syncRounds < FAST_SYNC_ROUNDS ? config.joinRetryInterval() : config.syncInterval())
                .toNanos(), this::syncTick);
        if (syncRounds % SEED_SYNC_EVERY == 0) {
            seeds.resolve(addresses -> {
                if (self.running() && !addresses.isEmpty()) {
                    sendState("", addresses.get(random.nextInt(addresses.size())), true);
                }
            });
            return;
        }
        List<Entry> peer = table.sample(1, e -> e.state() == MemberState.ALIVE);
        if (!peer.isEmpty()) {
            sendState(peer.getFirst().id(), peer.getFirst().address(), true);
        }
    }

    /**
     * Pushes the full state (every known member and this node) to {@code to}, in as many datagrams as needed;
     * the last one asks for the receiver's state in return when {@code replyWanted}.
     *
     * @param destination the receiver's node id, or empty when it is not known (a seed)
     */
    void sendState(String destination, InetSocketAddress to, boolean replyWanted) {
        List<MemberUpdate> all = table.fullState();
        int budget = outbox.maxBody(destination) - 2; // flags and count
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
            outbox.send(MessageType.SYNC, destination, to, sync.encodedLength(), sync::writeTo);
        }
    }
}
