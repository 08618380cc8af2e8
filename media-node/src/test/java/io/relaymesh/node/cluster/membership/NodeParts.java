package io.relaymesh.node.cluster.membership;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.relaymesh.node.cluster.wire.Ack;
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
import io.relaymesh.node.config.Role;
import io.relaymesh.node.protocol.ProtocolException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The parts of one node ({@code z1-0}) wired as {@link Swim} wires them, on a virtual-time scheduler, with every
 * datagram it sends decoded (through the real framing and HMAC) into {@link #sent}. Tests drive the parts directly.
 */
final class NodeParts {

    static final Instant EPOCH = Instant.parse("2030-01-01T00:00:00Z");
    private static final ClusterKey KEY = ClusterKey.derive(SimulatedNetwork.SECRET);

    /** A datagram the node sent, decoded; {@code body} is the parsed message (Ping, Ack, PingRequest...). */
    record Sent(MessageType type, String destination, InetSocketAddress to, Object body) {
    }

    private record Timer(long at, long order, Runnable task) {
    }

    private final PriorityQueue<Timer> timers = new PriorityQueue<>(
            (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
    private long order;
    private long now;

    final List<Sent> sent = new ArrayList<>();
    final SwimConfig config;
    final LocalMember self;
    final DropCounters drops = new DropCounters();
    final MemberTable table;
    final Dissemination dissemination;
    final FailureDetector detector;

    NodeParts(SwimConfig config) {
        this.config = config;
        Clock clock = Clock.fixed(EPOCH, ZoneOffset.UTC);
        SplittableRandom random = new SplittableRandom(42);
        Scheduler scheduler = (delay, task) -> timers.add(new Timer(now + delay, order++, task));
        self = new LocalMember(metadata(0), clock);
        self.running(true);
        Broadcasts broadcasts = new Broadcasts();
        ProbeOrder probeOrder = new ProbeOrder(random);
        table = new MemberTable(config, self, () -> now, random, scheduler, broadcasts, probeOrder, drops);
        Outbox outbox = new Outbox(KEY, self.id(), clock, new UnpooledByteBufAllocator(false), this::decode);
        dissemination = new Dissemination(config, self, table, broadcasts, outbox, scheduler, () -> now);
        detector = new FailureDetector(config, self, table, dissemination, probeOrder, scheduler, () -> now, random);
    }

    static NodeMetadata metadata(int index) {
        return new NodeMetadata("z1", index, Set.of(Role.MEDIA), SimulatedNetwork.address(index + 1), Optional.empty(),
                Optional.empty(), NodeLoad.IDLE, "test");
    }

    static MemberUpdate update(MemberState state, int index, long incarnation) {
        return new MemberUpdate(state, incarnation, metadata(index));
    }

    long nowNanos() {
        return now;
    }

    /** Runs the timers due within {@code duration} of virtual time, in time order. */
    void advance(Duration duration) {
        long until = now + duration.toNanos();
        while (!timers.isEmpty() && timers.peek().at <= until) {
            Timer t = timers.poll();
            now = Math.max(now, t.at); // a timer overdue after a stall runs late, at the time it finally runs
            t.task.run();
        }
        now = until;
    }

    /** Lets {@code duration} pass without running any timer, as on a starved thread: the next advance runs them late. */
    void stall(Duration duration) {
        now += duration.toNanos();
    }

    List<Sent> sent(MessageType type) {
        return sent.stream().filter(s -> s.type == type).toList();
    }

    private void decode(ByteBuf datagram, InetSocketAddress to) {
        try {
            Envelope env = Envelope.parse(datagram);
            if (!env.authenticatedBy(KEY, datagram)) {
                throw new AssertionError("the node sent a datagram whose tag does not verify");
            }
            Object body = switch (env.type()) {
                case PING -> Ping.parse(env.body());
                case ACK -> Ack.parse(env.body());
                case PING_REQ -> PingRequest.parse(env.body());
                case GOSSIP -> Gossip.parse(env.body());
                case SYNC -> Sync.parse(env.body());
                case APP -> env.type();
            };
            sent.add(new Sent(env.type(), env.destination(), to, body));
        } catch (ProtocolException e) {
            throw new AssertionError("the node sent a malformed datagram", e);
        } finally {
            datagram.release();
        }
    }
}
