package io.relaymesh.node.cluster;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.relaymesh.node.cluster.membership.AppHandler;
import io.relaymesh.node.cluster.membership.DropCounters;
import io.relaymesh.node.cluster.membership.Member;
import io.relaymesh.node.cluster.membership.MembershipListener;
import io.relaymesh.node.cluster.membership.SeedResolver;
import io.relaymesh.node.cluster.membership.Swim;
import io.relaymesh.node.cluster.wire.ClusterKey;
import io.relaymesh.node.cluster.wire.NodeLoad;
import io.relaymesh.node.cluster.wire.NodeMetadata;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member of the relaymesh cluster overlay: the cluster UDP port (Netty, epoll when available) and the
 * {@link Swim} membership protocol on one event loop thread. Every public method may be called from any
 * thread.
 *
 * <p>A node prints its address as {@code relaymesh://<node-id>@host:port} ({@link #address()}); any member's
 * address works as a seed for new nodes.
 */
public final class ClusterNode implements AutoCloseable {

    /** Receive buffers hold any cluster datagram (at most {@code Envelope.MAX_DATAGRAM}) and some. */
    static final int RECEIVE_BUFFER_SIZE = 2048;

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

    private final EventLoopGroup group;
    private final Channel channel;
    private final EventLoop loop;
    private final Swim swim;
    private final String id;
    private final InetSocketAddress advertised;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private ClusterNode(EventLoopGroup group, Channel channel, Swim swim, InetSocketAddress advertised) {
        this.group = group;
        this.channel = channel;
        this.loop = channel.eventLoop();
        this.swim = swim;
        this.id = swim.selfId();
        this.advertised = advertised;
    }

    /** Binds the cluster port and starts joining through the seeds (see {@link #joined()}). */
    public static ClusterNode start(ClusterSettings settings) throws InterruptedException {
        return start(settings, Clock.systemUTC(), System::nanoTime, new SecureRandom());
    }

    /** As {@link #start(ClusterSettings)}, with time and randomness supplied (tests). */
    public static ClusterNode start(ClusterSettings settings, Clock clock, LongSupplier nanoTime,
                                    RandomGenerator random) throws InterruptedException {
        InetAddress bindIp = settings.bind().getAddress();
        boolean epoll = Epoll.isAvailable();
        SocketProtocolFamily family = bindIp instanceof Inet6Address ? SocketProtocolFamily.INET6
                : SocketProtocolFamily.INET;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("relaymesh-cluster", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Inbound inbound = new Inbound();
        Channel channel;
        try {
            channel = new Bootstrap()
                    .group(group)
                    .channelFactory(() -> epoll ? new EpollDatagramChannel(family) : new NioDatagramChannel(family))
                    .option(ChannelOption.SO_RCVBUF, 1024 * 1024)
                    .option(ChannelOption.SO_SNDBUF, 1024 * 1024)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RECEIVE_BUFFER_SIZE))
                    .option(ChannelOption.ALLOCATOR, ByteBufAllocator.DEFAULT)
                    .handler(inbound)
                    .bind(settings.bind()).sync().channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot bind the cluster UDP port " + settings.bind() + ": "
                    + e.getMessage(), e);
        }
        int port = ((InetSocketAddress) channel.localAddress()).getPort();
        InetSocketAddress advertised = new InetSocketAddress(settings.advertisedIp(), port);
        NodeMetadata metadata = new NodeMetadata(settings.zone(), settings.nodeIndex(), settings.roles(), advertised,
                settings.httpAddress(), settings.webrtcAddress(), NodeLoad.IDLE, settings.version());
        EventLoop loop = channel.eventLoop();
        Swim swim = new Swim(settings.swim(), ClusterKey.derive(settings.secret()), metadata, nanoTime, clock, random,
                (delay, task) -> loop.schedule(task, delay, TimeUnit.NANOSECONDS),
                (datagram, to) -> channel.writeAndFlush(new DatagramPacket(datagram, to), channel.voidPromise()),
                channel.alloc(), seedResolver(settings.seeds(), loop));
        inbound.swim = swim;
        ClusterNode node = new ClusterNode(group, channel, swim, advertised);
        loop.submit(swim::start).sync();
        LOG.info("cluster node {} on UDP {} ({}), joining through {}", node.id, node.address(),
                epoll ? "epoll" : "nio", settings.seeds().isEmpty() ? "no seeds (first member)" : settings.seeds());
        return node;
    }

    /** Resolves seeds on a virtual thread at each attempt (DNS may block) and hands the result to the loop. */
    private static SeedResolver seedResolver(List<InetSocketAddress> seeds, EventLoop loop) {
        if (seeds.isEmpty()) {
            return SeedResolver.NONE;
        }
        return consumer -> Thread.ofVirtual().name("relaymesh-cluster-seeds").start(() -> {
            List<InetSocketAddress> out = new ArrayList<>();
            for (InetSocketAddress seed : seeds) {
                try {
                    for (InetAddress a : InetAddress.getAllByName(seed.getHostString())) {
                        out.add(new InetSocketAddress(a, seed.getPort()));
                    }
                } catch (UnknownHostException e) {
                    LOG.debug("seed {} does not resolve: {}", seed, e.getMessage());
                }
            }
            if (!loop.isShuttingDown()) {
                loop.execute(() -> consumer.accept(out));
            }
        });
    }

    /** This node's id (zone-index). */
    public String id() {
        return id;
    }

    /** Where other members reach this node's cluster port. */
    public InetSocketAddress clusterAddress() {
        return advertised;
    }

    /** The address to give other nodes as a seed: {@code relaymesh://<node-id>@host:port}. */
    public String address() {
        String host = advertised.getAddress() instanceof Inet6Address
                ? "[" + advertised.getAddress().getHostAddress() + "]" : advertised.getAddress().getHostAddress();
        return "relaymesh://" + id + "@" + host + ":" + advertised.getPort();
    }

    /** Every known member, this node included, sorted by id; DEAD and LEFT ones stay listed for a while. */
    public List<Member> members() {
        return swim.members();
    }

    public Optional<Member> member(String memberId) {
        return swim.members().stream().filter(m -> m.id().equals(memberId)).findFirst();
    }

    /** Listeners run on the cluster event loop: keep them short. */
    public void addListener(MembershipListener listener) {
        swim.addListener(listener);
    }

    /** Completes when this node has joined (another member is up). */
    public CompletableFuture<Void> joined() {
        return swim.joined();
    }

    public DropCounters counters() {
        return swim.counters();
    }

    /** Gossips this node's new load (newer metadata wins everywhere). */
    public void updateLocalLoad(NodeLoad load) {
        loop.execute(() -> swim.updateLoad(load));
    }

    /** Receives authenticated application datagrams of {@code channel} on the cluster event loop. */
    public void onMessage(int channel, AppHandler handler) {
        loop.execute(() -> swim.onMessage(channel, handler));
    }

    /**
     * Sends one authenticated datagram on {@code channel} to an up member (unreliable, like UDP). Ownership of
     * {@code payload} passes here.
     *
     * @return completes with false when the member is not up
     */
    public CompletableFuture<Boolean> send(String memberId, int channel, ByteBuf payload) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    result.complete(swim.send(memberId, channel, payload));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) { // loop shut down
            payload.release();
            result.completeExceptionally(e);
        }
        return result;
    }

    /** Leaves gracefully (members learn at once instead of after the suspicion timeout) and closes the port; idempotent. */
    @Override
    public void close() {
        shutdown(true);
    }

    /** Closes the port without a word, as a crashed process would: members detect it by probing (fault drills). */
    public void closeWithoutLeaving() {
        shutdown(false);
    }

    private void shutdown(boolean leave) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            loop.submit(() -> {
                if (leave) {
                    swim.leave();
                } else {
                    swim.stop();
                }
            }).await(5, TimeUnit.SECONDS);
            channel.close().await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            LOG.info("cluster node {} closed ({}); dropped datagrams: {}", id, leave ? "left" : "stopped",
                    swim.counters().snapshot());
        }
    }

    private static final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        volatile Swim swim;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            Swim s = swim;
            if (s != null) {
                s.receive(packet.content(), packet.sender());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("cluster socket error: {}", cause.toString());
        }
    }
}
