package io.relaymesh.node.relay;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.ScheduledFuture;
import io.relaymesh.node.cluster.ClusterNode;
import io.relaymesh.node.cluster.membership.Member;
import io.relaymesh.node.cluster.membership.MembershipListener;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.sfu.Cascade;
import io.relaymesh.node.sfu.Cascade.TrackDescription;
import io.relaymesh.node.sfu.RelayedTrack;
import io.relaymesh.node.sfu.RemoteViewer;
import io.relaymesh.node.srtp.SrtpSession;
import io.relaymesh.node.srtp.SrtpStatus;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cascading between media nodes: announces this node's tracks to the cluster, subscribes to other nodes' tracks
 * of the rooms local viewers watch ({@link #watch}), sends each subscribed track once per link over the relay
 * UDP port, and publishes what it receives into the local room ({@link RelayedTrack}).
 *
 * <p>Threads: all state lives on the SFU's event loop, and the relay socket is registered on that same loop, so
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
    static final long RECONCILE_NANOS = 250_000_000L;
    /** Channels (streams received) at most; also the size of the channel table. */
    static final int MAX_CHANNELS = 4096;
    private static final int RECEIVE_BUFFER_SIZE = 2048;
    private static final int MIN_RTP = 12;
    private static final Logger LOG = LoggerFactory.getLogger(RelayNode.class);

    private final ClusterNode cluster;
    private final Cascade cascade;
    private final Secret secret;
    private final RelaySettings settings;
    private final EventLoop loop;
    private final String self;
    private final long bootId;
    private final TrackDirectory directory = new TrackDirectory();
    private final Map<String, Interest> interests = new HashMap<>();
    private final Incoming[] channels = new Incoming[MAX_CHANNELS];
    private final Map<String, Incoming> incomingByKey = new HashMap<>();
    private final Map<String, Outgoing> outgoing = new HashMap<>();
    private final Map<String, InLink> inLinks = new HashMap<>();
    private final Map<String, OutLink> outLinks = new HashMap<>();
    /** Tracks whose publisher refused or ended them: not asked for again until the time given. */
    private final Map<String, Long> backoff = new HashMap<>();
    private Channel socket;
    private InetSocketAddress relayAddress;
    private ScheduledFuture<?> timer;
    private long nextAnnounceNanos;
    private int generation;
    private long dropped;
    private long refused;
    private boolean closed;

    private RelayNode(ClusterNode cluster, Cascade cascade, Secret secret, RelaySettings settings, long bootId) {
        this.cluster = cluster;
        this.cascade = cascade;
        this.secret = secret;
        this.settings = settings;
        this.loop = cascade.eventLoop();
        this.self = cluster.id();
        this.bootId = bootId;
    }

    /**
     * Binds the relay port on the SFU's event loop and starts announcing and listening.
     *
     * @param secret the cluster secret (the same on every member); relay keys are derived from it
     */
    public static RelayNode start(ClusterNode cluster, Cascade cascade, Secret secret, RelaySettings settings)
            throws InterruptedException {
        RelayNode node = new RelayNode(cluster, cascade, secret, settings, new SecureRandom().nextLong());
        boolean epoll = Epoll.isAvailable();
        SocketProtocolFamily family = settings.bind().getAddress() instanceof Inet6Address
                ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
        try {
            node.socket = new Bootstrap()
                    .group(node.loop)
                    .channelFactory(() -> epoll ? new EpollDatagramChannel(family) : new NioDatagramChannel(family))
                    .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024)
                    .option(ChannelOption.SO_SNDBUF, 4 * 1024 * 1024)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RECEIVE_BUFFER_SIZE))
                    .option(ChannelOption.ALLOCATOR, cascade.allocator())
                    .handler(node.new Inbound())
                    .bind(settings.bind()).sync().channel();
        } catch (Exception e) {
            throw new IllegalStateException("cannot bind the relay UDP port " + settings.bind() + ": "
                    + e.getMessage(), e);
        }
        node.relayAddress = new InetSocketAddress(settings.advertisedIp(),
                ((InetSocketAddress) node.socket.localAddress()).getPort());
        cluster.onMessage(CONTROL_CHANNEL, node::onControl);
        cluster.addListener(new MembershipListener() {
            @Override
            public void memberDown(Member member) {
                node.loop.execute(() -> node.memberDown(member.id()));
            }
        });
        node.loop.submit(() -> {
            node.timer = node.loop.scheduleAtFixedRate(node::reconcile, 0, RECONCILE_NANOS, TimeUnit.NANOSECONDS);
        }).sync();
        LOG.info("media relay of {} on UDP {}", node.self, node.relayAddress);
        return node;
    }

    /** Where other nodes send this node's relayed media. */
    public InetSocketAddress relayAddress() {
        return relayAddress;
    }

    /**
     * Says a local viewer watches {@code room}: while any handle of the room is open (and {@link
     * RelaySettings#linger()} after the last one closes), this node plays every track other nodes publish in it.
     * Any thread; closing the handle twice is harmless.
     */
    public AutoCloseable watch(String room) {
        loop.execute(() -> {
            Interest interest = interests.computeIfAbsent(room, r -> new Interest());
            interest.count++;
            reconcileRoom(room, cascade.nanoTime());
        });
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                loop.execute(() -> {
                    Interest interest = interests.get(room);
                    if (interest != null && --interest.count == 0) {
                        interest.lingerUntilNanos = cascade.nanoTime() + settings.linger().toNanos();
                    }
                });
            }
        };
    }

    /** The counters, read on the event loop. */
    public CompletableFuture<RelayStats> stats() {
        CompletableFuture<RelayStats> result = new CompletableFuture<>();
        loop.execute(() -> {
            Map<String, RelayStats.Link> links = new HashMap<>();
            Set<String> nodes = new HashSet<>(inLinks.keySet().stream().map(RelayNode::nodeOf).toList());
            outLinks.keySet().forEach(k -> nodes.add(nodeOf(k)));
            for (String n : nodes) {
                long pOut = 0, bOut = 0, pIn = 0, bIn = 0, kOut = 0, kIn = 0, nOut = 0, rtx = 0;
                for (Map.Entry<String, OutLink> e : outLinks.entrySet()) {
                    if (nodeOf(e.getKey()).equals(n)) {
                        pOut += e.getValue().packets;
                        bOut += e.getValue().bytes;
                        kIn += e.getValue().keyframeRequests;
                        rtx += e.getValue().retransmitted;
                    }
                }
                for (Map.Entry<String, InLink> e : inLinks.entrySet()) {
                    if (nodeOf(e.getKey()).equals(n)) {
                        pIn += e.getValue().packets;
                        bIn += e.getValue().bytes;
                        kOut += e.getValue().keyframeRequests;
                        nOut += e.getValue().nacks;
                    }
                }
                links.put(n, new RelayStats.Link(pOut, bOut, pIn, bIn, kOut, kIn, nOut, rtx));
            }
            result.complete(new RelayStats(incomingByKey.size(), outgoing.size(), links, directory.all().size(),
                    dropped, refused));
        });
        return result;
    }

    private static String nodeOf(String linkKey) {
        return linkKey.substring(0, linkKey.indexOf('/'));
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
                    loop.execute(() -> directory.onAnnouncement(sender, a, cascade.nanoTime()));
                }
                case RelayMessageType.SUBSCRIBE -> {
                    Subscribe s = Subscribe.parse(payload);
                    loop.execute(() -> onSubscribe(sender, s));
                }
                default -> {
                    ChannelSignal s = ChannelSignal.parse(payload);
                    loop.execute(() -> onSignal(sender, s));
                }
            }
        } catch (ProtocolException e) {
            LOG.debug("bad relay control message from {}: {}", sender, e.getMessage());
            loop.execute(() -> dropped++);
        }
    }

    private void send(String node, ChannelSignal signal) {
        ByteBuf out = cascade.allocator().buffer(signal.encodedLength());
        signal.writeTo(out);
        cluster.send(node, CONTROL_CHANNEL, out);
    }

    // ---- publisher side: other nodes' subscriptions to this node's tracks ----

    private void onSubscribe(String sender, Subscribe s) {
        if (closed) {
            return;
        }
        String key = sender + "/" + Integer.toHexString(s.channel());
        Outgoing existing = outgoing.get(key);
        long now = cascade.nanoTime();
        if (existing != null && existing.subscriberBoot == s.subscriberBoot() && existing.trackId.equals(s.trackId())) {
            existing.refreshedNanos = now;
            existing.link.address = s.relayAddress();
            return;
        }
        if (existing != null) {
            closeOutgoing(key, existing);
        }
        if (s.publisherBoot() != bootId) {
            refused++;
            send(sender, ChannelSignal.of(RelayMessageType.ENDED, s.channel()));
            return;
        }
        String linkKey = sender + "/" + Long.toHexString(s.subscriberBoot());
        OutLink link = outLinks.computeIfAbsent(linkKey, k -> new OutLink(
                RelayKeys.session(secret, self, bootId, sender, s.subscriberBoot())));
        if (link.channels >= SrtpSession.MAX_SSRCS) {
            refused++;
            send(sender, ChannelSignal.of(RelayMessageType.ENDED, s.channel()));
            return;
        }
        link.address = s.relayAddress();
        RemoteViewer viewer = cascade.attach(s.room(), s.trackId(), s.channel(), packet -> sendMedia(link, packet));
        if (viewer == null) {
            refused++;
            send(sender, ChannelSignal.of(RelayMessageType.ENDED, s.channel()));
            return;
        }
        link.channels++;
        Outgoing o = new Outgoing(sender, s.channel(), s.subscriberBoot(), s.trackId(), link, viewer, now);
        outgoing.put(key, o);
        LOG.debug("relay {} -> {}: track {} of room {} on channel {}", self, sender, s.trackId(), s.room(),
                Integer.toHexString(s.channel()));
    }

    /** The forwarding step towards one link: protect in place and send (takes ownership of {@code packet}). */
    private void sendMedia(OutLink link, ByteBuf packet) {
        if (link.session.protectRtp(packet) != SrtpStatus.OK || link.address == null) {
            packet.release();
            return;
        }
        link.packets++;
        link.bytes += packet.readableBytes(); // as on the wire, the GCM tag included (as bytesIn counts)
        socket.writeAndFlush(new DatagramPacket(packet, link.address), socket.voidPromise());
    }

    private void onSignal(String sender, ChannelSignal s) {
        if (s.type() == RelayMessageType.ENDED) {
            Incoming in = lookup(s.channel());
            if (in != null && in.node.equals(sender)) {
                backoff.put(in.track.key(), cascade.nanoTime() + SUBSCRIPTION_TIMEOUT_NANOS);
                endIncoming(in, "ended on " + sender);
            }
            return;
        }
        String key = sender + "/" + Integer.toHexString(s.channel());
        Outgoing o = outgoing.get(key);
        if (o == null) {
            return;
        }
        switch (s.type()) {
            case RelayMessageType.UNSUBSCRIBE -> closeOutgoing(key, o);
            case RelayMessageType.KEYFRAME -> {
                o.link.keyframeRequests++;
                o.viewer.requestKeyframe();
            }
            case RelayMessageType.NACK -> {
                for (int seq : s.seqs()) {
                    if (o.viewer.retransmit(seq)) {
                        o.link.retransmitted++;
                    }
                }
            }
            default -> { }
        }
    }

    private void closeOutgoing(String key, Outgoing o) {
        outgoing.remove(key);
        o.viewer.close();
        o.link.channels--;
        o.link.session.removeSsrc(o.channel);
    }

    // ---- subscriber side ----

    private void reconcile() {
        if (closed) {
            return;
        }
        long now = cascade.nanoTime();
        directory.expire(now);
        if (now - nextAnnounceNanos >= 0) {
            nextAnnounceNanos = now + ANNOUNCE_NANOS;
            announce();
        }
        backoff.values().removeIf(until -> now - until >= 0);
        interests.entrySet().removeIf(e -> e.getValue().count == 0 && now - e.getValue().lingerUntilNanos >= 0);
        Set<String> rooms = new HashSet<>(interests.keySet());
        for (Incoming in : List.copyOf(incomingByKey.values())) {
            rooms.add(in.track.track().room());
        }
        for (String room : rooms) {
            reconcileRoom(room, now);
        }
        for (Map.Entry<String, Outgoing> e : List.copyOf(outgoing.entrySet())) {
            Outgoing o = e.getValue();
            if (o.viewer.ended()) {
                closeOutgoing(e.getKey(), o);
                send(o.node, ChannelSignal.of(RelayMessageType.ENDED, o.channel));
            } else if (now - o.refreshedNanos > SUBSCRIPTION_TIMEOUT_NANOS) {
                closeOutgoing(e.getKey(), o);
            }
        }
    }

    private void announce() {
        List<TrackDescription> tracks = new ArrayList<>();
        for (TrackDescription t : cascade.localTracks()) {
            if (TrackAnnouncement.announceable(t)) {
                tracks.add(t);
            }
        }
        if (tracks.isEmpty()) {
            return;
        }
        List<TrackAnnouncement> messages = TrackAnnouncement.split(bootId, tracks);
        for (Member m : cluster.members()) {
            if (!m.isUp() || m.id().equals(self)) {
                continue;
            }
            for (TrackAnnouncement a : messages) {
                ByteBuf out = cascade.allocator().buffer(a.encodedLength());
                a.writeTo(out);
                cluster.send(m.id(), CONTROL_CHANNEL, out);
            }
        }
    }

    /** Subscribes to the room's remote tracks while it is watched, unsubscribes from what is no longer there. */
    private void reconcileRoom(String room, long now) {
        boolean watched = interests.containsKey(room);
        Set<String> wanted = new HashSet<>();
        if (watched) {
            for (TrackDirectory.Located t : directory.tracksIn(room, self)) {
                wanted.add(t.key());
                Incoming in = incomingByKey.get(t.key());
                if (in == null) {
                    if (!backoff.containsKey(t.key())) {
                        subscribe(t, now);
                    }
                } else if (now - in.keepaliveNanos >= KEEPALIVE_NANOS) {
                    in.keepaliveNanos = now;
                    sendSubscribe(in);
                }
            }
        }
        for (Incoming in : List.copyOf(incomingByKey.values())) {
            if (in.track.track().room().equals(room) && !wanted.contains(in.track.key())) {
                if (cluster.member(in.node).map(Member::isUp).orElse(false)) {
                    send(in.node, ChannelSignal.of(RelayMessageType.UNSUBSCRIBE, in.channel));
                }
                endIncoming(in, watched ? "ended on " + in.node : "no local viewer");
            }
        }
    }

    private void subscribe(TrackDirectory.Located t, long now) {
        String linkKey = t.node() + "/" + Long.toHexString(t.bootId());
        InLink link = inLinks.computeIfAbsent(linkKey, k -> new InLink(
                RelayKeys.session(secret, t.node(), t.bootId(), self, bootId)));
        if (link.channels >= SrtpSession.MAX_SSRCS) {
            refused++;
            return;
        }
        int slot = freeSlot();
        if (slot < 0) {
            refused++;
            return;
        }
        generation = (generation + 1) & 0xFFFFF;
        int channel = (generation << 12) | slot;
        if (channel == 0) {
            generation = 1;
            channel = (1 << 12) | slot;
        }
        Incoming in = new Incoming(t, channel, link);
        String session = "relay-" + t.node() + "-" + Integer.toHexString(channel);
        in.relayed = cascade.publish(t.track(), session, new Cascade.Upstream() {
            @Override
            public void requestKeyframe() {
                link.keyframeRequests++;
                send(t.node(), ChannelSignal.of(RelayMessageType.KEYFRAME, in.channel));
            }

            @Override
            public void nack(int[] seqs, int count) {
                link.nacks += count;
                send(t.node(), ChannelSignal.nack(in.channel, seqs, count));
            }
        });
        link.channels++;
        channels[slot] = in;
        incomingByKey.put(t.key(), in);
        in.keepaliveNanos = now;
        sendSubscribe(in);
        LOG.debug("relay {} <- {}: track {} of room {} on channel {}", self, t.node(), t.track().trackId(),
                t.track().room(), Integer.toHexString(channel));
    }

    private int freeSlot() {
        for (int i = 0; i < MAX_CHANNELS; i++) {
            if (channels[i] == null) {
                return i;
            }
        }
        return -1;
    }

    private void sendSubscribe(Incoming in) {
        Subscribe s = new Subscribe(in.channel, bootId, in.track.bootId(), relayAddress, in.track.track().room(),
                in.track.track().trackId());
        ByteBuf out = cascade.allocator().buffer(s.encodedLength());
        s.writeTo(out);
        cluster.send(in.node, CONTROL_CHANNEL, out);
    }

    private void endIncoming(Incoming in, String reason) {
        int slot = in.channel & (MAX_CHANNELS - 1);
        if (channels[slot] == in) {
            channels[slot] = null;
        }
        incomingByKey.remove(in.track.key(), in);
        in.link.channels--;
        in.link.session.removeSsrc(in.channel);
        in.relayed.end(reason);
    }

    private Incoming lookup(int channel) {
        Incoming in = channels[channel & (MAX_CHANNELS - 1)];
        return in != null && in.channel == channel ? in : null;
    }

    private void memberDown(String node) {
        directory.remove(node);
        for (Incoming in : List.copyOf(incomingByKey.values())) {
            if (in.node.equals(node)) {
                endIncoming(in, node + " is gone");
            }
        }
        for (Map.Entry<String, Outgoing> e : List.copyOf(outgoing.entrySet())) {
            if (e.getValue().node.equals(node)) {
                closeOutgoing(e.getKey(), e.getValue());
            }
        }
        inLinks.keySet().removeIf(k -> nodeOf(k).equals(node) && inLinks.get(k).channels == 0);
        outLinks.keySet().removeIf(k -> nodeOf(k).equals(node) && outLinks.get(k).channels == 0);
    }

    /** The receive step: authenticate and decrypt in place, then the SFU's forwarding path. Event loop. */
    private void receive(ByteBuf datagram) {
        int at = datagram.readerIndex();
        if (datagram.readableBytes() < MIN_RTP + RelayKeys.PROFILE.tagLength()
                || (datagram.getUnsignedByte(at) & 0xC0) != 0x80) {
            dropped++;
            return;
        }
        Incoming in = lookup(datagram.getInt(at + 8));
        if (in == null) {
            dropped++;
            return;
        }
        int length = datagram.readableBytes();
        if (in.link.session.unprotectRtp(datagram) != SrtpStatus.OK) {
            dropped++;
            return;
        }
        in.link.packets++;
        in.link.bytes += length;
        in.relayed.onRtp(datagram);
    }

    /** Stops relaying: ends relayed tracks, stops sending, closes the relay port. Any thread; idempotent. */
    @Override
    public void close() {
        try {
            loop.submit(() -> {
                if (closed) {
                    return;
                }
                closed = true;
                if (timer != null) {
                    timer.cancel(false);
                }
                for (Incoming in : List.copyOf(incomingByKey.values())) {
                    endIncoming(in, "relay closed");
                }
                for (Map.Entry<String, Outgoing> e : List.copyOf(outgoing.entrySet())) {
                    closeOutgoing(e.getKey(), e.getValue());
                }
            }).await(5, TimeUnit.SECONDS);
            socket.close().await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            if (!closed) {
                receive(packet.content());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("relay socket error: {}", cause.toString());
        }
    }

    private static final class Interest {
        int count;
        long lingerUntilNanos;
    }

    /** One direction of a link to one node's process life, shared by all channels on it. */
    private static final class InLink {
        final SrtpSession session;
        int channels;
        long packets;
        long bytes;
        long keyframeRequests;
        long nacks;

        InLink(SrtpSession session) {
            this.session = session;
        }
    }

    private static final class OutLink {
        final SrtpSession session;
        InetSocketAddress address;
        int channels;
        long packets;
        long bytes;
        long keyframeRequests;
        long retransmitted;

        OutLink(SrtpSession session) {
            this.session = session;
        }
    }

    /** A stream this node receives: one remote track on one channel. */
    private static final class Incoming {
        final TrackDirectory.Located track;
        final String node;
        final int channel;
        final InLink link;
        RelayedTrack relayed;
        long keepaliveNanos;

        Incoming(TrackDirectory.Located track, int channel, InLink link) {
            this.track = track;
            this.node = track.node();
            this.channel = channel;
            this.link = link;
        }
    }

    /** A stream this node sends: one local track to one node on the channel it chose. */
    private static final class Outgoing {
        final String node;
        final int channel;
        final long subscriberBoot;
        final String trackId;
        final OutLink link;
        final RemoteViewer viewer;
        long refreshedNanos;

        Outgoing(String node, int channel, long subscriberBoot, String trackId, OutLink link, RemoteViewer viewer,
                 long refreshedNanos) {
            this.node = node;
            this.channel = channel;
            this.subscriberBoot = subscriberBoot;
            this.trackId = trackId;
            this.link = link;
            this.viewer = viewer;
            this.refreshedNanos = refreshedNanos;
        }
    }
}
