package io.relaymesh.node.relay;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.relaymesh.node.cluster.ClusterNode;
import io.relaymesh.node.cluster.membership.Member;
import io.relaymesh.node.cluster.membership.MembershipListener;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.sfu.Cascade;
import io.relaymesh.node.sfu.Cascade.TrackDescription;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cascading between media nodes: announces this node's tracks to the cluster, plays other nodes' tracks of the
 * rooms local viewers watch ({@link #watch}) and serves tracks to child nodes, along one relay tree per track
 * ({@link RelayTree}: the publisher's node, one entry node per other zone, the zone's other nodes). Each tracked
 * stream crosses each link once and is published into the local room as a {@code RelayedTrack}, which stays
 * there while the parent it comes from changes.
 *
 * <p>This class is the wiring: the sockets, the control channel, the timer, and the API. The node's two roles
 * live in {@link RelayChild} (subscribing to parents, re-parenting, receiving) and {@link RelayParent} (serving
 * children); {@link RelayContext} is what they share.
 *
 * <p>Threads: all state lives on the SFU's event loop, and the relay sockets are registered on that same loop, so
 * a relayed packet goes from the socket through the SFU's forwarding path without a lock or a task hand-off.
 * Control messages arrive on the cluster loop, are parsed there and handed over.
 *
 * <p>Media datagrams are SRTP packets (AEAD_AES_128_GCM, {@link RelayKeys}) whose SSRC is the relay channel the
 * subscriber chose; GCM authenticates the SSRC, so the channel needs no separate header.
 */
public final class RelayNode implements AutoCloseable {

    /** Cluster application channel of the relay control messages. */
    public static final int CONTROL_CHANNEL = 0x5201;
    static final long ANNOUNCE_NANOS = 1_000_000_000L;
    static final long KEEPALIVE_NANOS = 1_000_000_000L;
    static final long SUBSCRIPTION_TIMEOUT_NANOS = 5_000_000_000L;
    /** A parent that neither sent media nor answered a keepalive for this long is given up on. */
    static final long PARENT_TIMEOUT_NANOS = 3_000_000_000L;
    /** How long a parent given up on is left out of the choice of entries (unless it is the publisher). */
    static final long UNRESPONSIVE_NANOS = 10_000_000_000L;
    /** After a parent other than the publisher refused, the next try. */
    static final long RETRY_NANOS = 1_000_000_000L;
    static final long RECONCILE_NANOS = 250_000_000L;
    private static final int RECEIVE_BUFFER_SIZE = 2048;
    /** Kernel send and receive buffers of every relay socket. */
    private static final int SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(RelayNode.class);

    private final RelayContext ctx;
    private final RelayChild child;
    private final RelayParent parent;
    private ScheduledFuture<?> timer;
    private long nextAnnounceNanos;

    private RelayNode(RelayContext ctx) {
        this.ctx = ctx;
        this.child = new RelayChild(ctx);
        this.parent = new RelayParent(ctx, child);
        ctx.subscriptionsChanged = this::countSubscriptions;
    }

    /**
     * Binds the relay port on the SFU's event loop and starts announcing and listening.
     *
     * @param secret the cluster secret (the same on every member); relay keys are derived from it
     */
    public static RelayNode start(ClusterNode cluster, Cascade cascade, Secret secret, RelaySettings settings)
            throws InterruptedException {
        return start(cluster, cascade, secret, settings, new RelayCounters());
    }

    /** As {@link #start(ClusterNode, Cascade, Secret, RelaySettings)}, counting into {@code counters}. */
    public static RelayNode start(ClusterNode cluster, Cascade cascade, Secret secret, RelaySettings settings,
                                  RelayCounters counters) throws InterruptedException {
        RelayContext ctx = new RelayContext(cluster, cascade, secret, settings, new SecureRandom().nextLong(),
                counters);
        RelayNode node = new RelayNode(ctx);
        boolean epoll = Epoll.isAvailable();
        SocketProtocolFamily family = settings.bind().getAddress() instanceof Inet6Address
                ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
        ChannelFactory<DatagramChannel> factory = () -> epoll ? new EpollDatagramChannel(family)
                : new NioDatagramChannel(family);
        Bootstrap sockets = new Bootstrap()
                .group(ctx.loop)
                .channelFactory(factory)
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER_BYTES)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER_BYTES)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RECEIVE_BUFFER_SIZE)
                        // a datagram shorter than the buffer does not mean the queue is empty: read a batch per
                        // wake-up (up to 16), so what a socket queued is read before the next socket's, in order
                        .respectMaybeMoreData(false))
                .option(ChannelOption.ALLOCATOR, cascade.allocator());
        if (epoll) {
            sockets.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        IoEventLoop ioLoop = ctx.loop instanceof IoEventLoop l && epoll && PeerSocket.supported(l) ? l : null;
        ctx.peers = new PeerSockets(ioLoop == null ? null : (local, remote) -> PeerSocket.open(ioLoop, local, remote,
                SOCKET_BUFFER_BYTES, RECEIVE_BUFFER_SIZE, cascade.allocator(), node::receive, counters));
        try {
            // SO_REUSEPORT would let a second process bind the same port and take half the traffic: claim the
            // port exclusively first, so a port in use fails here as it would without the option.
            InetSocketAddress bind = epoll ? exclusivePort(settings.bind()) : settings.bind();
            ctx.socket = sockets.clone().handler(node.new Inbound()).bind(bind).sync().channel();
        } catch (Exception e) {
            throw new IllegalStateException("cannot bind the relay UDP port " + settings.bind() + ": "
                    + e.getMessage(), e);
        }
        ctx.relayAddress = new InetSocketAddress(settings.advertisedIp(),
                ((InetSocketAddress) ctx.socket.localAddress()).getPort());
        ctx.peers.bindTo((InetSocketAddress) ctx.socket.localAddress());
        cluster.onMessage(CONTROL_CHANNEL, node::onControl);
        cluster.addListener(new MembershipListener() {
            @Override
            public void memberDown(Member member) {
                ctx.loop.execute(() -> node.memberDown(member.id()));
            }
        });
        ctx.loop.submit(() -> {
            node.timer = ctx.loop.scheduleAtFixedRate(node::reconcile, 0, RECONCILE_NANOS, TimeUnit.NANOSECONDS);
        }).sync();
        LOG.info("media relay of {} on UDP {}", ctx.self, ctx.relayAddress);
        return node;
    }

    /** Binds {@code bind} without sharing for a moment: the address to bind (with its port when 0 was asked). */
    private static InetSocketAddress exclusivePort(InetSocketAddress bind) throws java.io.IOException {
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(null)) {
            probe.setReuseAddress(false);
            probe.bind(bind);
            return new InetSocketAddress(bind.getAddress(), probe.getLocalPort());
        }
    }

    /** Where other nodes send this node's relayed media. */
    public InetSocketAddress relayAddress() {
        return ctx.relayAddress;
    }

    /** This node's id in the cluster. */
    public String self() {
        return ctx.self;
    }

    /** The counters metrics read; any thread. */
    public RelayCounters counters() {
        return ctx.counters;
    }

    /**
     * Says a local viewer watches {@code room}: while any handle of the room is open (and {@link
     * RelaySettings#linger()} after the last one closes), this node plays every track other nodes publish in it.
     * Any thread; closing the handle twice is harmless.
     */
    public AutoCloseable watch(String room) {
        ctx.loop.execute(() -> child.watch(room));
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                ctx.loop.execute(() -> child.unwatch(room));
            }
        };
    }

    /** The counters, read on the event loop. */
    public CompletableFuture<RelayStats> stats() {
        CompletableFuture<RelayStats> result = new CompletableFuture<>();
        ctx.loop.execute(() -> {
            Map<String, RelayStats.Link> links = new HashMap<>();
            Set<String> nodes = new HashSet<>();
            child.inLinks().forEach(l -> nodes.add(l.node));
            parent.outLinks().forEach(l -> nodes.add(l.node));
            for (String n : nodes) {
                long pOut = 0, bOut = 0, pIn = 0, bIn = 0, kOut = 0, kIn = 0, nOut = 0, rtx = 0;
                for (OutLink l : parent.outLinks()) {
                    if (l.node.equals(n)) {
                        pOut += l.packets;
                        bOut += l.bytes;
                        kIn += l.keyframeRequests;
                        rtx += l.retransmitted;
                    }
                }
                for (InLink l : child.inLinks()) {
                    if (l.node.equals(n)) {
                        pIn += l.packets;
                        bIn += l.bytes;
                        kOut += l.keyframeRequests;
                        nOut += l.nacks;
                    }
                }
                links.put(n, new RelayStats.Link(pOut, bOut, pIn, bIn, kOut, kIn, nOut, rtx));
            }
            result.complete(new RelayStats(child.subscriptionsIn(), parent.subscriptionsOut(), links,
                    ctx.directory.all().size(), ctx.dropped, ctx.refused));
        });
        return result;
    }

    /** The tracks relayed through this node: received (with their parent) or served to children. */
    public CompletableFuture<List<RelayRoute>> routes() {
        CompletableFuture<List<RelayRoute>> result = new CompletableFuture<>();
        ctx.loop.execute(() -> {
            Map<String, RelayRoute> byKey = new HashMap<>();
            Map<String, TreeSet<String>> children = new HashMap<>();
            Map<String, Long> out = new HashMap<>();
            Map<String, String[]> local = new HashMap<>();
            for (Outgoing o : parent.outgoing()) {
                children.computeIfAbsent(o.trackKey, k -> new TreeSet<>()).add(o.node);
                out.merge(o.trackKey, o.packets, Long::sum);
                if (o.feed == null) {
                    local.put(o.trackKey, new String[] {o.room});
                }
            }
            for (Feed f : child.feeds()) {
                byKey.put(f.key, new RelayRoute(f.key, f.track.track().room(), f.track.node(),
                        f.in == null ? null : f.in.parent, List.copyOf(children.getOrDefault(f.key, new TreeSet<>())),
                        f.packetsIn, out.getOrDefault(f.key, 0L)));
            }
            for (Map.Entry<String, String[]> e : local.entrySet()) {
                byKey.putIfAbsent(e.getKey(), new RelayRoute(e.getKey(), e.getValue()[0], ctx.self, null,
                        List.copyOf(children.get(e.getKey())), 0, out.getOrDefault(e.getKey(), 0L)));
            }
            result.complete(byKey.values().stream().sorted((x, y) -> x.track().compareTo(y.track())).toList());
        });
        return result;
    }

    /**
     * Packets sent to child nodes per layer index (all subscriptions together), and whether each layer flows to at
     * least one child now: what the demand changed. Read on the event loop.
     */
    CompletableFuture<LayersOut> layersOut() {
        CompletableFuture<LayersOut> result = new CompletableFuture<>();
        ctx.loop.execute(() -> {
            long[] packets = new long[Cascade.MAX_LAYERS];
            boolean[] flowing = new boolean[Cascade.MAX_LAYERS];
            for (Outgoing o : parent.outgoing()) {
                for (int layer = 0; layer < Cascade.MAX_LAYERS; layer++) {
                    packets[layer] += o.viewer.packetsSent(layer);
                    flowing[layer] |= o.viewer.flowing(layer);
                }
            }
            result.complete(new LayersOut(packets, flowing));
        });
        return result;
    }

    /** See {@link #layersOut()}. */
    record LayersOut(long[] packets, boolean[] flowing) {
    }

    private void countSubscriptions() {
        ctx.counters.subscriptions(child.subscriptionsIn(), parent.subscriptionsOut());
    }

    // ---- control messages (parsed on the cluster loop, handled on the SFU loop) ----

    private void onControl(String sender, ByteBuf payload) {
        if (!payload.isReadable()) {
            return;
        }
        try {
            int type = payload.getUnsignedByte(payload.readerIndex());
            switch (type) {
                case RelayMessageType.ANNOUNCE -> {
                    TrackAnnouncement a = TrackAnnouncement.parse(payload);
                    ctx.loop.execute(() -> ctx.directory.onAnnouncement(sender, a, ctx.now()));
                }
                case RelayMessageType.SUBSCRIBE -> {
                    Subscribe s = Subscribe.parse(payload);
                    ctx.loop.execute(() -> parent.onSubscribe(sender, s));
                }
                default -> {
                    ChannelSignal s = ChannelSignal.parse(payload);
                    ctx.loop.execute(() -> onSignal(sender, s));
                }
            }
        } catch (ProtocolException e) {
            LOG.debug("bad relay control message from {}: {}", sender, e.getMessage());
            ctx.counters.drop(RelayCounters.Drop.BAD_CONTROL);
            ctx.loop.execute(() -> ctx.dropped++);
        }
    }

    private void onSignal(String sender, ChannelSignal s) {
        if (s.type() == RelayMessageType.ENDED || s.type() == RelayMessageType.ALIVE) {
            child.onParentSignal(sender, s);
        } else {
            parent.onChildSignal(sender, s);
        }
    }

    // ---- timers and membership ----

    private void reconcile() {
        if (ctx.closed) {
            return;
        }
        long now = ctx.now();
        ctx.directory.expire(now);
        if (now - nextAnnounceNanos >= 0) {
            nextAnnounceNanos = now + ANNOUNCE_NANOS;
            announce();
        }
        child.reconcile(now);
        parent.reconcile(now);
        ctx.peers.expire(now);
        parent.reconnect();
        countSubscriptions();
    }

    /**
     * Announces this node's own tracks to every up member; also when it has none, so every relay node's boot id
     * is known (a zone entry needs it, to be subscribed to, whatever it publishes).
     */
    private void announce() {
        List<TrackDescription> tracks = new ArrayList<>();
        for (TrackDescription t : ctx.cascade.localTracks()) {
            if (TrackAnnouncement.announceable(t)) {
                tracks.add(t);
            }
        }
        List<TrackAnnouncement> messages = TrackAnnouncement.split(ctx.bootId, ctx.relayAddress, tracks);
        for (Member m : ctx.cluster.members()) {
            if (!m.isUp() || m.id().equals(ctx.self)) {
                continue;
            }
            for (TrackAnnouncement a : messages) {
                ByteBuf out = ctx.cascade.allocator().buffer(a.encodedLength());
                a.writeTo(out);
                ctx.cluster.send(m.id(), CONTROL_CHANNEL, out);
            }
        }
    }

    private void memberDown(String node) {
        ctx.directory.remove(node);
        long now = ctx.now();
        child.memberDown(node, now);
        parent.memberDown(node);
        child.reparentOrphans(now);
    }

    /** Stops relaying: ends relayed tracks, stops sending, closes the relay port. Any thread; idempotent. */
    @Override
    public void close() {
        try {
            ctx.loop.submit(() -> {
                if (ctx.closed) {
                    return;
                }
                ctx.closed = true;
                if (timer != null) {
                    timer.cancel(false);
                }
                child.close();
                parent.close();
                ctx.peers.closeAll();
            }).await(5, TimeUnit.SECONDS);
            ctx.socket.close().await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A datagram read by a peer socket (lent). */
    private void receive(ByteBuf datagram) {
        if (!ctx.closed) {
            child.receive(datagram);
        }
    }

    /** Reads relay datagrams on the relay socket (from peers without a socket of their own here). */
    private final class Inbound extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (RelayNode.this.ctx.closed) {
                    return;
                }
                if (msg instanceof DatagramPacket packet) {
                    child.receive(packet.content());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.trace("relay socket error: {}", cause.toString());
        }
    }
}
