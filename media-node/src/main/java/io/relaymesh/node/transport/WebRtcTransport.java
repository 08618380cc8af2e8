package io.relaymesh.node.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
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
import io.relaymesh.node.bwe.BweConfig;
import io.relaymesh.node.dtls.DtlsCertificate;
import io.relaymesh.node.dtls.DtlsEndpoint;
import io.relaymesh.node.dtls.DtlsListener;
import io.relaymesh.node.dtls.DtlsRole;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.srtp.SrtpProfile;
import io.relaymesh.node.stun.StunMessage;
import io.relaymesh.node.stun.StunMessageWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one UDP socket that carries every WebRTC session of the node, and the sessions on it.
 *
 * <p>Datagrams are told apart by {@link PacketKind}; STUN binding requests are matched to a connection by the
 * local ICE username fragment and authenticated with its password (ICE-lite, RFC 8445 section 2.5); every
 * other datagram is matched by the remote address a successful check validated. All state lives on one event
 * loop, so the packet path takes no locks.
 */
public final class WebRtcTransport implements AutoCloseable {

    /** RFC 7675: consent is lost 30 s after the last successful check. */
    public static final Duration CONSENT_TIMEOUT = Duration.ofSeconds(30);
    /** Receive buffers hold any datagram up to the common Ethernet MTU and some. */
    static final int RECEIVE_BUFFER_SIZE = 2048;
    /** How often transport-cc feedback goes to peers that send us media (the draft suggests 50-100 ms). */
    public static final Duration FEEDBACK_INTERVAL = Duration.ofMillis(50);

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcTransport.class);

    private final EventLoopGroup group;
    /** One socket per advertised local address, all on the same port: replies leave from the address the peer used. */
    private final List<Channel> channels;
    private final Channel primary;
    private final EventLoop loop;
    private final LongSupplier nanoTime;
    private final DtlsSettings dtlsSettings;
    private final ThreadFactory dtlsThreads = Thread.ofVirtual().name("relaymesh-dtls-", 0).factory();
    private final TransportCounters counters = new TransportCounters();
    private final TransportSequenceStamper stamper = new TransportSequenceStamper();
    private final Map<String, PeerConnection> byUfrag = new HashMap<>();
    private final Map<InetSocketAddress, PeerConnection> byAddress = new HashMap<>();
    private final Map<String, PeerConnection> byId = new HashMap<>();
    /** Connections whose pacer holds packets (see {@link #pace}). */
    private final List<PeerConnection> paced = new ArrayList<>();
    private final InetSocketAddress localAddress;
    /** Datagrams queued by {@link #write}; tells whether processing a datagram sent anything. Event loop only. */
    private long writesQueued;

    /**
     * What every DTLS endpoint of this transport uses.
     *
     * @param certificate  the node's certificate, whose fingerprint goes in every answer
     * @param srtpProfiles SRTP profiles in the node's order of preference
     * @param random       randomness for DTLS
     */
    public record DtlsSettings(DtlsCertificate certificate, List<SrtpProfile> srtpProfiles, SecureRandom random) {
        public DtlsSettings {
            srtpProfiles = List.copyOf(srtpProfiles);
            if (srtpProfiles.isEmpty()) {
                throw new IllegalArgumentException("at least one SRTP profile");
            }
        }
    }

    private WebRtcTransport(EventLoopGroup group, List<Channel> channels, LongSupplier nanoTime,
                            DtlsSettings dtlsSettings) {
        this.group = group;
        this.channels = List.copyOf(channels);
        this.primary = channels.getFirst();
        this.loop = primary.eventLoop();
        this.nanoTime = nanoTime;
        this.dtlsSettings = dtlsSettings;
        this.localAddress = (InetSocketAddress) primary.localAddress();
    }

    /**
     * Binds the UDP port (0 picks one) on each of {@code addresses} that is a local address, with epoll when
     * available. Binding each address rather than the wildcard makes replies leave from the address the peer
     * sent to, which ICE requires. Addresses that are not local (a public address in front of 1:1 NAT) are
     * served by a wildcard socket instead.
     */
    public static WebRtcTransport bind(List<InetAddress> addresses, int port, LongSupplier nanoTime,
                                       DtlsSettings dtlsSettings) throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("relaymesh-media", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Holder holder = new Holder();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channelFactory(() -> epoll
                        ? new EpollDatagramChannel(SocketProtocolFamily.INET)
                        : new NioDatagramChannel(SocketProtocolFamily.INET))
                .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024)
                .option(ChannelOption.SO_SNDBUF, 4 * 1024 * 1024)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RECEIVE_BUFFER_SIZE))
                .option(ChannelOption.ALLOCATOR, ByteBufAllocator.DEFAULT)
                .handler(new Inbound(holder));
        List<Channel> channels = new ArrayList<>();
        int boundPort = port;
        try {
            boolean wildcard = false;
            for (InetAddress address : addresses) {
                if (!isLocal(address)) {
                    wildcard = true;
                    continue;
                }
                Channel c = bootstrap.bind(new InetSocketAddress(address, boundPort)).sync().channel();
                boundPort = ((InetSocketAddress) c.localAddress()).getPort();
                channels.add(c);
            }
            if (wildcard || channels.isEmpty()) {
                channels.add(bootstrap.bind(new InetSocketAddress(boundPort)).sync().channel());
            }
        } catch (Exception e) {
            for (Channel c : channels) {
                c.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot bind UDP port " + boundPort + " for WebRTC: " + e.getMessage(), e);
        }
        WebRtcTransport transport = new WebRtcTransport(group, channels, nanoTime, dtlsSettings);
        holder.transport = transport;
        transport.loop.scheduleAtFixedRate(transport::checkConsent, 1, 1, TimeUnit.SECONDS);
        transport.loop.scheduleAtFixedRate(transport::drainPacers, Pacer.INTERVAL_NANOS, Pacer.INTERVAL_NANOS,
                TimeUnit.NANOSECONDS);
        long feedbackMillis = FEEDBACK_INTERVAL.toMillis();
        transport.loop.scheduleAtFixedRate(transport::sendTransportFeedback, feedbackMillis, feedbackMillis,
                TimeUnit.MILLISECONDS);
        LOG.debug("WebRTC transport on UDP {} ({})", channels.stream().map(Channel::localAddress).toList(),
                epoll ? "epoll" : "nio");
        return transport;
    }

    private static boolean isLocal(InetAddress address) {
        try {
            return address.isAnyLocalAddress() || java.net.NetworkInterface.getByInetAddress(address) != null;
        } catch (java.net.SocketException e) {
            return false;
        }
    }

    public int port() {
        return localAddress.getPort();
    }

    /** The event loop that owns every connection; the SFU schedules its timers here. */
    public EventLoop eventLoop() {
        return loop;
    }

    public ByteBufAllocator allocator() {
        return primary.alloc();
    }

    public TransportCounters counters() {
        return counters;
    }

    public long nanoTime() {
        return nanoTime.getAsLong();
    }

    /** Bounds of every connection's send-side estimate. */
    BweConfig bweConfig() {
        return BweConfig.DEFAULT;
    }

    /** The event loop's stamper, shared by its connections. */
    TransportSequenceStamper stamper() {
        return stamper;
    }

    /** Number of live connections (read from any thread; approximate). */
    public int connectionCount() {
        return byId.size();
    }

    /** Adds a connection: checks for its ufrag are accepted from now on. Event loop only. */
    public void add(PeerConnection connection) {
        if (byUfrag.containsKey(connection.localIce().ufrag())) {
            throw new IllegalStateException("ICE ufrag collision");
        }
        connection.bind(this);
        byUfrag.put(connection.localIce().ufrag(), connection);
        byId.put(connection.id(), connection);
    }

    /** Adds a connection from any thread; completes on the event loop once checks for its ufrag are accepted. */
    public CompletableFuture<PeerConnection> register(PeerConnection connection) {
        CompletableFuture<PeerConnection> done = new CompletableFuture<>();
        loop.execute(() -> {
            if (byUfrag.containsKey(connection.localIce().ufrag())) {
                done.completeExceptionally(new IllegalStateException("ICE ufrag collision"));
                return;
            }
            connection.bind(this);
            byUfrag.put(connection.localIce().ufrag(), connection);
            byId.put(connection.id(), connection);
            done.complete(connection);
        });
        return done;
    }

    /** ICE restart: the connection answers checks for the new ufrag from now on (event loop). */
    public CompletableFuture<Void> restartIce(PeerConnection connection, IceCredentials fresh, IceCredentials remote) {
        return CompletableFuture.runAsync(() -> {
            byUfrag.remove(connection.localIce().ufrag());
            connection.restartIce(fresh, remote);
            byUfrag.put(fresh.ufrag(), connection);
        }, loop);
    }

    /** Closes a connection from any thread. */
    public void close(PeerConnection connection, String reason) {
        if (loop.inEventLoop()) {
            closeNow(connection, reason);
        } else {
            loop.execute(() -> closeNow(connection, reason));
        }
    }

    private void closeNow(PeerConnection connection, String reason) {
        if (byId.remove(connection.id()) == null) {
            return;
        }
        byUfrag.remove(connection.localIce().ufrag());
        for (InetSocketAddress a : connection.validatedAddresses()) {
            byAddress.remove(a, connection);
        }
        connection.closed(reason);
        flush();
    }

    /** Queues a datagram to {@code to} on {@code via}; ownership of {@code content} passes to Netty. Event loop only. */
    void write(ByteBuf content, InetSocketAddress to, Channel via, PacketKind kind) {
        counters.sent(kind, content.readableBytes());
        writesQueued++;
        via.write(new DatagramPacket(content, to), via.voidPromise());
    }

    /** Sends a datagram from any thread (DTLS handshake flights). */
    void writeAndFlush(ByteBuf content, InetSocketAddress to, Channel via, PacketKind kind) {
        counters.sent(kind, content.readableBytes());
        via.writeAndFlush(new DatagramPacket(content, to), via.voidPromise());
    }

    /** Flushes what the current tick wrote. Event loop only. */
    public void flush() {
        for (int i = 0; i < channels.size(); i++) {
            channels.get(i).flush();
        }
    }

    /** Runs {@code task} on the event loop. */
    public void execute(Runnable task) {
        loop.execute(task);
    }

    // ---- inbound path (event loop) ----

    private void onDatagram(DatagramPacket packet, Channel via) {
        long start = nanoTime.getAsLong();
        ByteBuf content = packet.content();
        InetSocketAddress sender = packet.sender();
        PacketKind kind = PacketKind.of(content);
        counters.received(kind, content.readableBytes());
        long writesBefore = writesQueued;
        switch (kind) {
            case STUN -> onStun(content, sender, via);
            case DTLS -> onDtls(content, sender);
            case RTP -> onMedia(content, sender, false);
            case RTCP -> onMedia(content, sender, true);
            case UNKNOWN -> counters.drop(TransportCounters.Drop.UNKNOWN_KIND);
        }
        if (kind == PacketKind.RTP && writesQueued != writesBefore) {
            // Forwarded: the last copy for a viewer was queued just now.
            counters.latency().record(nanoTime.getAsLong() - start);
        }
    }

    private void onStun(ByteBuf content, InetSocketAddress sender, Channel via) {
        StunMessage message;
        try {
            message = StunMessage.parse(content);
        } catch (ProtocolException e) {
            counters.drop(TransportCounters.Drop.STUN_MALFORMED);
            LOG.trace("malformed STUN from {}: {}", sender, e.getMessage());
            return;
        }
        if (!message.isBindingRequest()) {
            counters.drop(TransportCounters.Drop.STUN_NOT_REQUEST);
            return;
        }
        String username = message.username();
        int colon = username == null ? -1 : username.indexOf(':');
        if (colon <= 0) {
            counters.drop(TransportCounters.Drop.STUN_MALFORMED);
            return;
        }
        PeerConnection connection = byUfrag.get(username.substring(0, colon));
        if (connection == null) {
            counters.drop(TransportCounters.Drop.STUN_UNKNOWN_UFRAG);
            return;
        }
        if (!message.hasFingerprint() || !message.verifyFingerprint()) {
            counters.drop(TransportCounters.Drop.STUN_BAD_FINGERPRINT);
            return;
        }
        byte[] key = connection.localIce().integrityKey();
        if (!message.hasMessageIntegrity() || !message.verifyMessageIntegrity(key)) {
            counters.drop(TransportCounters.Drop.STUN_BAD_INTEGRITY);
            return;
        }
        ByteBuf response = via.alloc().directBuffer(128);
        if (message.iceControlled()) {
            // A lite agent is always controlled; a peer that also claims it is has a role conflict (RFC 8445 7.3.1.1).
            StunMessageWriter.writeBindingError(response, message.transactionId(), 487, "Role Conflict", key);
            write(response, sender, via, PacketKind.STUN);
            return;
        }
        StunMessageWriter.writeBindingSuccess(response, message.transactionId(), sender, key);
        write(response, sender, via, PacketKind.STUN);
        if (connection.state() == PeerConnection.State.NEW) {
            LOG.debug("session {}: ICE check from {} accepted", connection.id(), sender);
        }
        if (connection.onConnectivityCheck(sender, via, message.useCandidate(), nanoTime.getAsLong())) {
            PeerConnection previous = byAddress.put(sender, connection);
            if (previous != null && previous != connection) {
                // The address moved to another session (NAT rebinding on the client): the old mapping is stale.
                previous.validatedAddresses().remove(sender);
            }
        }
    }

    private void onDtls(ByteBuf content, InetSocketAddress sender) {
        PeerConnection connection = byAddress.get(sender);
        if (connection == null) {
            counters.drop(TransportCounters.Drop.DTLS_UNKNOWN_ADDRESS);
            return;
        }
        if (connection.dtls() == null) {
            DtlsEndpoint endpoint = newDtlsEndpoint(connection);
            connection.startDtls(endpoint);
            endpoint.start();
        }
        connection.dtls().receive(content);
    }

    private void onMedia(ByteBuf content, InetSocketAddress sender, boolean rtcp) {
        PeerConnection connection = byAddress.get(sender);
        if (connection == null) {
            counters.drop(TransportCounters.Drop.MEDIA_UNKNOWN_ADDRESS);
            return;
        }
        connection.onSrtp(content, rtcp);
    }

    /** The node is the DTLS server of every connection (it answers with a=setup:passive). */
    private DtlsEndpoint newDtlsEndpoint(PeerConnection connection) {
        return DtlsEndpoint.builder()
                .role(DtlsRole.SERVER)
                .certificate(dtlsSettings.certificate())
                .remoteFingerprint(connection.remoteFingerprintAlgorithm(), connection.remoteFingerprint())
                .srtpProfiles(dtlsSettings.srtpProfiles())
                .random(dtlsSettings.random())
                .allocator(primary.alloc())
                .threadFactory(dtlsThreads)
                .sink(datagram -> {
                    InetSocketAddress to = connection.selectedAddress();
                    Channel via = connection.selectedChannel();
                    if (to == null || via == null || !via.isActive()) {
                        datagram.release();
                        return;
                    }
                    writeAndFlush(datagram, to, via, PacketKind.DTLS);
                })
                .listener(new DtlsListener() {
                    @Override
                    public void onHandshakeComplete(SrtpProfile profile, byte[] keyingMaterial) {
                        dtlsComplete(connection, profile, keyingMaterial);
                    }

                    @Override
                    public void onClosed(String reason) {
                        close(connection, "DTLS closed: " + reason);
                    }

                    @Override
                    public void onFailure(String reason, Throwable cause) {
                        LOG.info("session {}: DTLS failed: {}", connection.id(), reason);
                        close(connection, "DTLS failed: " + reason);
                    }
                })
                .build();
    }

    /** DTLS finished on its own thread: hop to the event loop to install SRTP. */
    public void dtlsComplete(PeerConnection connection, SrtpProfile profile, byte[] keyingMaterial) {
        loop.execute(() -> {
            if (byId.get(connection.id()) == connection) {
                LOG.info("session {}: DTLS done with {}, SRTP {}", connection.id(), connection.selectedAddress(),
                        profile.rfcName());
                connection.onDtlsComplete(profile, keyingMaterial);
                flush();
            }
        });
    }

    /** A connection's pacer holds packets: drain it on the pacing timer until it is empty. Event loop only. */
    void pace(PeerConnection connection) {
        paced.add(connection);
    }

    /** Every {@link Pacer#INTERVAL_NANOS}: sends what each pacing connection's rate allows. */
    private void drainPacers() {
        if (paced.isEmpty()) {
            return;
        }
        long now = nanoTime.getAsLong();
        for (int i = paced.size() - 1; i >= 0; i--) {
            if (paced.get(i).drainPacer(now)) {
                paced.set(i, paced.get(paced.size() - 1));
                paced.remove(paced.size() - 1);
            }
        }
        flush();
    }

    /** Every {@link #FEEDBACK_INTERVAL}: transport-cc feedback to each connection that receives with it. */
    private void sendTransportFeedback() {
        for (PeerConnection c : byId.values()) {
            c.sendTransportFeedback();
        }
        flush();
    }

    private void checkConsent() {
        long now = nanoTime.getAsLong();
        long limit = CONSENT_TIMEOUT.toNanos();
        List<PeerConnection> expired = null;
        for (PeerConnection c : byId.values()) {
            if (now - c.lastConsentNanos() > limit) {
                if (expired == null) {
                    expired = new ArrayList<>();
                }
                expired.add(c);
            }
        }
        if (expired != null) {
            for (PeerConnection c : expired) {
                closeNow(c, c.state() == PeerConnection.State.NEW
                        ? "ICE did not complete within " + CONSENT_TIMEOUT.toSeconds() + " s"
                        : "consent expired: no connectivity check for " + CONSENT_TIMEOUT.toSeconds() + " s");
            }
        }
    }

    /** Closes every connection (SIGTERM) and the socket. */
    @Override
    public void close() {
        LOG.info("WebRTC transport closing: {} datagrams in, {} out, dropped {}", counters.datagramsIn(),
                counters.datagramsOut(), counters.describeDrops());
        try {
            loop.submit(() -> {
                for (PeerConnection c : new ArrayList<>(byId.values())) {
                    closeNow(c, "node shutting down");
                }
            }).await(5, TimeUnit.SECONDS);
            for (Channel c : channels) {
                c.close().await(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }

    /** The advertised host candidates of this transport. */
    public List<InetSocketAddress> candidates(List<InetAddress> advertised) {
        List<InetSocketAddress> out = new ArrayList<>(advertised.size());
        for (InetAddress a : advertised) {
            out.add(new InetSocketAddress(a, port()));
        }
        return out;
    }

    private static final class Holder {
        WebRtcTransport transport;
    }

    /**
     * Hands datagrams to the transport and flushes what processing them queued, once per read batch. One instance
     * serves every socket of the transport (one per advertised address); it keeps no per-channel state.
     */
    @ChannelHandler.Sharable
    private static final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        private final Holder holder;

        Inbound(Holder holder) {
            super(true);
            this.holder = holder;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            WebRtcTransport t = holder.transport;
            if (t == null) {
                return; // not started yet: dropped
            }
            try {
                t.onDatagram(packet, ctx.channel());
            } catch (RuntimeException e) {
                // One bad packet or session must never take the socket down.
                LOG.warn("packet from {} could not be processed", packet.sender(), e);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            WebRtcTransport t = holder.transport;
            if (t != null) {
                t.flush(); // a packet read here may have been forwarded through any of the sockets
            } else {
                ctx.flush();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.warn("WebRTC socket error", cause);
        }
    }
}
