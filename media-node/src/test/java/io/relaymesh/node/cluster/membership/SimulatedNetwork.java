package io.relaymesh.node.cluster.membership;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.relaymesh.node.cluster.wire.ClusterKey;
import io.relaymesh.node.cluster.wire.MemberState;
import io.relaymesh.node.cluster.wire.NodeLoad;
import io.relaymesh.node.cluster.wire.NodeMetadata;
import io.relaymesh.node.config.Role;
import io.relaymesh.node.config.Secret;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiPredicate;
import java.util.function.BooleanSupplier;
import java.util.function.ToLongBiFunction;

/**
 * An in-memory network of {@link Swim} nodes in virtual time: one event queue runs every node's timers and
 * every datagram delivery, in time order, so a run is a pure function of its random seed. Datagrams can be
 * lost at random, delayed by a random latency, or blocked by a partition. Every datagram passes through the
 * real encoder, HMAC and parser.
 */
final class SimulatedNetwork {

    static final Secret SECRET = Secret.of("simulated-cluster-secret-0123456789abcdef");
    private static final Instant EPOCH = Instant.parse("2030-01-01T00:00:00Z");
    private static final int PORT = 7946;

    private final SplittableRandom random;
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final Map<InetSocketAddress, Node> byAddress = new HashMap<>();
    private final List<Transition> transitions = new ArrayList<>();
    private long now;
    private long order;
    private double loss;
    private long minLatencyNanos = 200_000;
    private long maxLatencyNanos = 2_000_000;
    private BiPredicate<Node, Node> blocked = (a, b) -> false;
    private ToLongBiFunction<Node, Node> extraLatencyNanos = (a, b) -> 0;
    private long delivered;
    private long dropped;

    /** A membership change one node observed. */
    record Transition(long atNanos, String observer, String subject, MemberState state) {
    }

    private record Event(long at, long order, Runnable task) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(order, o.order);
        }
    }

    /** One running incarnation of a node; a restart makes a new one at the same address. */
    final class Node {
        final String id;
        final InetSocketAddress address;
        final Swim swim;
        boolean running = true;

        Node(String id, InetSocketAddress address, Swim swim) {
            this.id = id;
            this.address = address;
            this.swim = swim;
        }

        List<Member> members() {
            return swim.members();
        }

        Optional<Member> view(String subject) {
            return swim.members().stream().filter(m -> m.id().equals(subject)).findFirst();
        }

        long upCount() {
            return swim.members().stream().filter(Member::isUp).count();
        }
    }

    SimulatedNetwork(long seed) {
        this.random = new SplittableRandom(seed);
    }

    void loss(double probability) {
        this.loss = probability;
    }

    void latency(Duration min, Duration max) {
        this.minLatencyNanos = min.toNanos();
        this.maxLatencyNanos = max.toNanos();
    }

    /** Adds a fixed one-way delay per (sender, receiver) on top of the random latency: a longer path. */
    void extraLatency(ToLongBiFunction<Node, Node> nanos) {
        this.extraLatencyNanos = nanos;
    }

    void partition(BiPredicate<Node, Node> blocked) {
        this.blocked = blocked;
    }

    long nowNanos() {
        return now;
    }

    List<Transition> transitions() {
        return transitions;
    }

    long delivered() {
        return delivered;
    }

    long dropped() {
        return dropped;
    }

    static InetSocketAddress address(int host) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, (byte) (host >> 8), (byte) host}),
                    PORT);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    Node start(int index, List<InetSocketAddress> seeds) {
        return start(index, seeds, SECRET, SwimConfig.DEFAULTS);
    }

    /** Starts node {@code z1-index} at 10.0.x.y:7946, joining through {@code seeds}. */
    Node start(int index, List<InetSocketAddress> seeds, Secret secret, SwimConfig config) {
        return start("z1", index, index + 1, seeds, secret, config);
    }

    /** Starts node {@code zone-index} at {@link #address address(host)}, joining through {@code seeds}. */
    Node start(String zone, int index, int host, List<InetSocketAddress> seeds) {
        return start(zone, index, host, seeds, SECRET, SwimConfig.DEFAULTS);
    }

    private Node start(String zone, int index, int host, List<InetSocketAddress> seeds, Secret secret,
                       SwimConfig config) {
        InetSocketAddress address = address(host);
        Node previous = byAddress.get(address);
        if (previous != null && previous.running) {
            throw new IllegalStateException("node " + index + " is running");
        }
        NodeMetadata metadata = new NodeMetadata(zone, index, Set.of(Role.MEDIA), address, Optional.empty(),
                Optional.empty(), NodeLoad.IDLE, "test");
        Node[] holder = new Node[1];
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return EPOCH.plusNanos(now);
            }
        };
        Swim swim = new Swim(config, ClusterKey.derive(secret), metadata, () -> now, clock,
                new SplittableRandom(random.nextLong()),
                (delay, task) -> at(now + delay, () -> {
                    if (holder[0].running) {
                        task.run();
                    }
                }),
                (datagram, to) -> transmit(holder[0], datagram, to),
                new UnpooledByteBufAllocator(false, true), // no leak tracking: every datagram is released right here
                consumer -> consumer.accept(seeds));
        Node node = new Node(metadata.nodeId(), address, swim);
        holder[0] = node;
        swim.addListener(new MembershipListener() {
            @Override
            public void memberUp(Member member) {
                record(member);
            }

            @Override
            public void memberDown(Member member) {
                record(member);
            }

            @Override
            public void memberUpdated(Member member) {
                record(member);
            }

            private void record(Member member) {
                transitions.add(new Transition(now, node.id, member.id(), member.state()));
            }
        });
        byAddress.put(address, node);
        swim.start();
        return node;
    }

    /** Stops a node without a word, as a crash would. */
    void kill(Node node) {
        node.running = false;
        node.swim.stop();
    }

    private void transmit(Node from, ByteBuf datagram, InetSocketAddress to) {
        try {
            Node target = byAddress.get(to);
            if (!from.running || target == null || random.nextDouble() < loss || blocked.test(from, target)) {
                dropped++;
                return;
            }
            byte[] bytes = new byte[datagram.readableBytes()];
            datagram.readBytes(bytes);
            long latency = minLatencyNanos + random.nextLong(maxLatencyNanos - minLatencyNanos + 1)
                    + extraLatencyNanos.applyAsLong(from, target);
            InetSocketAddress source = from.address;
            at(now + latency, () -> {
                Node receiver = byAddress.get(to);
                if (receiver == null || !receiver.running) {
                    dropped++;
                    return;
                }
                delivered++;
                ByteBuf in = Unpooled.wrappedBuffer(bytes);
                try {
                    receiver.swim.receive(in, source);
                } finally {
                    in.release();
                }
            });
        } finally {
            datagram.release();
        }
    }

    /** Delivers a raw datagram to {@code to} now (forgery and replay tests). */
    void inject(byte[] bytes, InetSocketAddress from, Node to) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        try {
            to.swim.receive(in, from);
        } finally {
            in.release();
        }
    }

    private void at(long time, Runnable task) {
        queue.add(new Event(time, order++, task));
    }

    /** Runs events for {@code duration} of virtual time. */
    void run(Duration duration) {
        long until = now + duration.toNanos();
        while (!queue.isEmpty() && queue.peek().at <= until) {
            Event e = queue.poll();
            now = e.at;
            e.task.run();
        }
        now = until;
    }

    /**
     * Runs until {@code condition} holds (checked after every event) or {@code max} passes.
     *
     * @return the virtual time it took, or null when it never held
     */
    Duration runUntil(BooleanSupplier condition, Duration max) {
        long start = now;
        long until = now + max.toNanos();
        if (condition.getAsBoolean()) {
            return Duration.ZERO;
        }
        while (!queue.isEmpty() && queue.peek().at <= until) {
            Event e = queue.poll();
            now = e.at;
            e.task.run();
            if (condition.getAsBoolean()) {
                return Duration.ofNanos(now - start);
            }
        }
        now = until;
        return null;
    }
}
