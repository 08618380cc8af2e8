package io.relaymesh.node.cluster.membership;

import io.relaymesh.node.cluster.membership.MemberTable.Entry;
import io.relaymesh.node.cluster.wire.MemberState;
import io.relaymesh.node.cluster.wire.MemberUpdate;
import io.relaymesh.node.cluster.wire.PingRequest;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * SWIM's failure detector (section 3.1): each probe interval one member, the next in {@link ProbeOrder}, gets a
 * PING; if no ack came within the probe timeout, {@code indirectProbes} other members are asked to ping it for
 * this node (PING_REQ); if no ack, direct or relayed, came by the end of the interval, the member becomes SUSPECT.
 * It also runs the indirect probes other members ask of this one ({@link Relays}) and measures round-trip times.
 * Interval and timeout stretch with this node's {@link LocalHealth}: a late tick counts against it, a direct ack
 * for it.
 */
final class FailureDetector {

    private final SwimConfig config;
    private final LocalMember self;
    private final MemberTable table;
    private final Dissemination dissemination;
    private final ProbeOrder probeOrder;
    private final Relays relays = new Relays();
    private final Scheduler scheduler;
    private final LongSupplier nanoTime;
    private final RandomGenerator random;
    private int nextProbeId;
    private Probe current;
    /** When the next probe tick is due, to notice a tick that fires late (a starved node: {@link LocalHealth}). */
    private long nextTickDueNanos = Long.MIN_VALUE;

    /** This node's probe of one member. */
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

    FailureDetector(SwimConfig config, LocalMember self, MemberTable table, Dissemination dissemination,
                    ProbeOrder probeOrder, Scheduler scheduler, LongSupplier nanoTime, RandomGenerator random) {
        this.config = config;
        this.self = self;
        this.table = table;
        this.dissemination = dissemination;
        this.probeOrder = probeOrder;
        this.scheduler = scheduler;
        this.nanoTime = nanoTime;
        this.random = random;
    }

    /** Starts the probe of the next member; reschedules itself every probe interval. */
    void probeTick() {
        if (!self.running()) {
            return;
        }
        LocalHealth health = table.health();
        long now = nanoTime.getAsLong();
        if (nextTickDueNanos != Long.MIN_VALUE && now - nextTickDueNanos > config.probeTimeout().toNanos()) {
            health.lateTimer();
        }
        long interval = health.scale(config.probeInterval());
        nextTickDueNanos = now + interval;
        scheduler.schedule(interval, this::probeTick);
        relays.expire(now);
        String targetId = probeOrder.next(table::isUp, table::upIds);
        if (targetId == null) {
            return;
        }
        Entry target = table.get(targetId);
        Probe probe = new Probe(targetId, nextProbeId(), nanoTime.getAsLong());
        current = probe;
        dissemination.sendPing(targetId, target.address(), probe.probeId);
        scheduler.schedule(health.scale(config.probeTimeout()), () -> indirectProbe(probe));
        scheduler.schedule(interval, () -> probeDeadline(probe));
    }

    private void indirectProbe(Probe probe) {
        if (!self.running() || probe.acked || current != probe) {
            return;
        }
        Entry target = table.get(probe.targetId);
        if (target == null || !target.isUp()) {
            return;
        }
        for (Entry helper : table.sample(config.indirectProbes(),
                e -> e.state() == MemberState.ALIVE && !e.id().equals(probe.targetId))) {
            dissemination.sendPingRequest(helper, probe.probeId, target);
        }
    }

    private void probeDeadline(Probe probe) {
        if (self.running() && !probe.acked) {
            MemberUpdate suspicion = table.suspect(probe.targetId);
            if (suspicion != null) {
                // Told to the member itself too, so that it can refute at once if it is alive after all.
                dissemination.sendGossip(table.get(probe.targetId), List.of(suspicion));
            }
            table.publish();
        }
    }

    /** An ACK with {@code probeId} came from {@code sender}: for a probe this node relays, or for its own. */
    void acked(int probeId, String sender) {
        Relays.Relay relay = relays.remove(probeId);
        if (relay != null) {
            dissemination.sendAck(relay.originId(), relay.origin(), relay.originProbeId());
            return;
        }
        Probe probe = current;
        if (probe == null || probe.probeId != probeId || probe.acked) {
            return;
        }
        probe.acked = true;
        if (sender.equals(probe.targetId)) {
            table.recordRtt(sender, nanoTime.getAsLong() - probe.sentNanos);
            table.health().probeAnswered();
        }
    }

    /** Runs an indirect probe {@code originId} asked for: pings the target under a probe id of this node's own. */
    void relay(PingRequest request, String originId, InetSocketAddress origin) {
        int probeId = nextProbeId();
        long now = nanoTime.getAsLong();
        relays.add(probeId, new Relays.Relay(origin, originId, request.probeId(), now + config.probeInterval().toNanos()),
                now);
        dissemination.sendPing(request.targetId(), request.targetAddress(), probeId);
    }

    private int nextProbeId() {
        if (nextProbeId == 0) {
            nextProbeId = random.nextInt() | 1;
        }
        return nextProbeId++;
    }
}
