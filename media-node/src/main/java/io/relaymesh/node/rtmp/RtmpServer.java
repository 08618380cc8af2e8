package io.relaymesh.node.rtmp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.relaymesh.node.rtmp.chunk.ChunkDecoder;
import io.relaymesh.node.token.TokenService;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTMP ingest server: a Netty TCP listener (default port 1935) whose connections publish into rooms.
 * Connections run on their own event loop, so AAC decoding and Opus encoding never delay the media loop.
 */
public final class RtmpServer implements RtmpSessions, AutoCloseable {

    /** A connection that sends nothing for this long is closed (a publisher sends every few milliseconds). */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    /** Connections accepted at once; more are refused at accept time. */
    static final int MAX_CONNECTIONS = 256;

    private static final Logger LOG = LoggerFactory.getLogger(RtmpServer.class);

    /** What every connection shares. */
    record Context(TokenService tokens, RoomPublisher publisher, ByteBufAllocator allocator,
                   ChunkDecoder.Limits limits, Consumer<RtmpConnection> onClosed) {
        void closed(RtmpConnection connection) {
            onClosed.accept(connection);
        }
    }

    private final EventLoopGroup group;
    private final Channel listener;
    private final Map<String, RtmpConnection> connections = new ConcurrentHashMap<>();

    private RtmpServer(EventLoopGroup group, Channel listener) {
        this.group = group;
        this.listener = listener;
    }

    /**
     * Listens on {@code port} of every address (0 picks a free port).
     *
     * @param threads event loop threads serving connections (each connection stays on one)
     */
    public static RtmpServer start(int port, int threads, TokenService tokens, RoomPublisher publisher)
            throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("relaymesh-rtmp", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        SecureRandom random = new SecureRandom();
        RtmpServer[] self = new RtmpServer[1];
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(epoll ? EpollServerSocketChannel.class : (Class<? extends ServerChannel>) NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 256 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        RtmpServer server = self[0];
                        if (server.connections.size() >= MAX_CONNECTIONS) {
                            LOG.warn("rtmp: refusing {}: {} connections already", ch.remoteAddress(), MAX_CONNECTIONS);
                            ch.close();
                            return;
                        }
                        byte[] idBytes = new byte[8];
                        random.nextBytes(idBytes);
                        String id = "rtmp-" + HexFormat.of().formatHex(idBytes);
                        Context context = new Context(tokens, publisher, ch.alloc(), ChunkDecoder.Limits.DEFAULT,
                                c -> server.connections.remove(c.id(), c));
                        RtmpConnection connection = new RtmpConnection(id, context, RandomGenerator.of("L64X128MixRandom"));
                        server.connections.put(id, connection);
                        ch.pipeline().addLast(new ReadTimeoutHandler(READ_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
                        ch.pipeline().addLast(connection);
                        LOG.debug("rtmp {}: connection from {}", id, ch.remoteAddress());
                    }
                });
        Channel listener;
        try {
            listener = bootstrap.bind(new InetSocketAddress(port)).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        RtmpServer server = new RtmpServer(group, listener);
        self[0] = server;
        return server;
    }

    /** The bound TCP port. */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public Optional<ConnectionView> find(String connectionId) {
        RtmpConnection c = connections.get(connectionId);
        return c == null ? Optional.empty() : Optional.of(new ConnectionView(c.id(), c.room()));
    }

    @Override
    public boolean close(String connectionId, String reason) {
        RtmpConnection c = connections.get(connectionId);
        if (c == null) {
            return false;
        }
        c.close(reason);
        return true;
    }

    @Override
    public int connectionCount() {
        return connections.size();
    }

    /** Stops listening and closes every connection (their tracks end). */
    @Override
    public void close() {
        listener.close().awaitUninterruptibly();
        for (RtmpConnection c : connections.values()) {
            c.close("node shutting down");
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
