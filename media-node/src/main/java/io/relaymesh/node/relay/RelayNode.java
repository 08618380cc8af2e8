package io.relaymesh.node.relay;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
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
import io.relaymesh.node.config.Role;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.sfu.Cascade;
import io.relaymesh.node.sfu.Cascade.TrackDescription;
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
import java.util.Optional;
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
    private final RelayCounters counters;
    private final TrackDirectory directory = new TrackDirectory();
    private final Map<String, Interest> interests = new HashMap<>();
    private final Incoming[] channels = new Incoming[MAX_CHANNELS];
    private final Map<String, Feed> feeds = new HashMap<>();
    private final Map<String, Outgoing> outgoing = new HashMap<>();
    private final Map<String, InLink> inLinks = new HashMap<>();
    private final Map<String, OutLink> outLinks = new HashMap<>();
    /** Tracks whose publisher refused or ended them: not asked for again until the time given. */
    private final Map<String, Long> backoff = new HashMap<>();
    /** Parents given up on (no media, no keepalive answers), until the time given. */
    private final Map<String, Long> unresponsive = new HashMap<>();
    private PeerSockets peers;
    private Channel socket;
    private InetSocketAddress relayAddress;
    private ScheduledFuture<?> timer;
    private long nextAnnounceNanos;
    private int generation;
    private int feedSerial;
    private long dropped;
    private long refused;
    private boolean closed;

    private RelayNode(ClusterNode cluster, Cascade cascade, Secret secret, RelaySettings settings, long bootId,
                      RelayCounters counters) {
        this.cluster = cluster;
        this.cascade = cascade;
        this.secret = secret;
        this.settings = settings;
        this.loop = cascade.eventLoop();
        this.self = cluster.id();
        this.bootId = bootId;
        this.counters = counters;
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
        RelayNode node = new RelayNode(cluster, cascade, secret, settings, new SecureRandom().nextLong(), counters);
        boolean epoll = Epoll.isAvailable();
        SocketProtocolFamily family = settings.bind().getAddress() instanceof Inet6Address
                ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
        ChannelFactory<DatagramChannel> factory = () -> epoll ? new EpollDatagramChannel(family)
                : new NioDatagramChannel(family);
        Bootstrap sockets = new Bootstrap()
                .group(node.loop)
                .channelFactory(factory)
                .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024)
                .option(ChannelOption.SO_SNDBUF, 4 * 1024 * 1024)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RECEIVE_BUFFER_SIZE)
                        // a datagram shorter than the buffer does not mean the queue is empty: read a batch per
                        // wake-up (up to 16), so what a socket queued is read before the next socket's, in order
                        .respectMaybeMoreData(false))
                .option(ChannelOption.ALLOCATOR, cascade.allocator());
        if (epoll) {
            sockets.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        node.peers = new PeerSockets(epoll ? sockets.clone().option(ChannelOption.AUTO_CLOSE, false) : null,
                peer -> node.new Inbound());
        try {
            // SO_REUSEPORT would let a second process bind the same port and take half the traffic: claim the
            // port exclusively first, so a port in use fails here as it would without the option.
            InetSocketAddress bind = epoll ? exclusivePort(settings.bind()) : settings.bind();
            node.socket = sockets.clone().handler(node.new Inbound()).bind(bind).sync().channel();
        } catch (Exception e) {
            throw new IllegalStateException("cannot bind the relay UDP port " + settings.bind() + ": "
                    + e.getMessage(), e);
        }
        node.relayAddress = new InetSocketAddress(settings.advertisedIp(),
                ((InetSocketAddress) node.socket.localAddress()).getPort());
        node.peers.bindTo((InetSocketAddress) node.socket.localAddress());
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
        return relayAddress;
    }

    /** This node's id in the cluster. */
    public String self() {
        return self;
    }

    /** The counters metrics read; any thread. */
    public RelayCounters counters() {
        return counters;
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
            reconcileFeeds(cascade.nanoTime());
        });
        AtomicBoolean released = new AtomicBoolean();
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
            Set<String> nodes = new HashSet<>();
            inLinks.values().forEach(l -> nodes.add(l.node));
            outLinks.values().forEach(l -> nodes.add(l.node));
            for (String n : nodes) {
                long pOut = 0, bOut = 0, pIn = 0, bIn = 0, kOut = 0, kIn = 0, nOut = 0, rtx = 0;
                for (OutLink l : outLinks.values()) {
                    if (l.node.equals(n)) {
                        pOut += l.packets;
                        bOut += l.bytes;
                        kIn += l.keyframeRequests;
                        rtx += l.retransmitted;
                    }
                }
                for (InLink l : inLinks.values()) {
                    if (l.node.equals(n)) {
                        pIn += l.packets;
                        bIn += l.bytes;
                        kOut += l.keyframeRequests;
                        nOut += l.nacks;
                    }
                }
                links.put(n, new RelayStats.Link(pOut, bOut, pIn, bIn, kOut, kIn, nOut, rtx));
            }
            result.complete(new RelayStats(subscriptionsIn(), outgoing.size(), links, directory.all().size(),
                    dropped, refused));
        });
        return result;
    }

    /** The tracks relayed through this node: received (with their parent) or served to children. */
    public CompletableFuture<List<RelayRoute>> routes() {
        CompletableFuture<List<RelayRoute>> result = new CompletableFuture<>();
        loop.execute(() -> {
            Map<String, RelayRoute> byKey = new HashMap<>();
            Map<String, TreeSet<String>> children = new HashMap<>();
            Map<String, Long> out = new HashMap<>();
            Map<String, String[]> local = new HashMap<>();
            for (Outgoing o : outgoing.values()) {
                children.computeIfAbsent(o.trackKey, k -> new TreeSet<>()).add(o.node);
                out.merge(o.trackKey, o.packets, Long::sum);
                if (o.feed == null) {
                    local.put(o.trackKey, new String[] {o.room});
                }
            }
            for (Feed f : feeds.values()) {
                byKey.put(f.key, new RelayRoute(f.key, f.track.track().room(), f.track.node(),
                        f.in == null ? null : f.in.parent, List.copyOf(children.getOrDefault(f.key, new TreeSet<>())),
                        f.packetsIn, out.getOrDefault(f.key, 0L)));
            }
            for (Map.Entry<String, String[]> e : local.entrySet()) {
                byKey.putIfAbsent(e.getKey(), new RelayRoute(e.getKey(), e.getValue()[0], self, null,
                        List.copyOf(children.get(e.getKey())), 0, out.getOrDefault(e.getKey(), 0L)));
            }
            result.complete(byKey.values().stream().sorted((x, y) -> x.track().compareTo(y.track())).toList());
        });
        return result;
    }

    private int subscriptionsIn() {
        int n = 0;
        for (Feed f : feeds.values()) {
            if (f.in != null) {
                n++;
            }
        }
        return n;
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
            counters.drop(RelayCounters.Drop.BAD_CONTROL);
            loop.execute(() -> dropped++);
        }
    }

    private void send(String node, ChannelSignal signal) {
        ByteBuf out = cascade.allocator().buffer(signal.encodedLength());
        signal.writeTo(out);
        cluster.send(node, CONTROL_CHANNEL, out);
    }

    // ---- parent side: child nodes' subscriptions to tracks this node publishes or relays ----

    private void onSubscribe(String sender, Subscribe s) {
        if (closed) {
            return;
        }
        String key = sender + "/" + Integer.toHexString(s.channel());
        Outgoing existing = outgoing.get(key);
        long now = cascade.nanoTime();
        if (existing != null && existing.subscriberBoot == s.subscriberBoot() && existing.trackId.equals(s.trackId())
                && existing.publisherBoot == s.publisherBoot()) {
            existing.refreshedNanos = now;
            if (!s.relayAddress().equals(existing.link.address)) {
                existing.link.address = s.relayAddress();
                connect(existing.link);
            }
            send(sender, ChannelSignal.of(RelayMessageType.ALIVE, s.channel()));
            return;
        }
        if (existing != null) {
            closeOutgoing(key, existing);
        }
        if (s.parentBoot() != bootId) {
            refuse(sender, s.channel());
            return;
        }
        String trackId;
        String trackKey;
        Feed feed = null;
        if (s.publisherBoot() == bootId) {
            trackId = s.trackId();
            trackKey = TrackDirectory.keyOf(self, bootId, s.room(), s.trackId());
        } else {
            TrackDirectory.Located t = directory.find(s.publisherBoot(), s.room(), s.trackId());
            if (t == null || backoff.containsKey(t.key())) {
                refuse(sender, s.channel());
                return;
            }
            feed = feeds.get(t.key());
            if (feed == null) {
                feed = openFeed(t);
            }
            trackId = feed.localTrackId();
            trackKey = feed.key;
        }
        String linkKey = sender + "/" + Long.toHexString(s.subscriberBoot());
        OutLink link = outLinks.computeIfAbsent(linkKey, k -> new OutLink(sender,
                RelayKeys.session(secret, self, bootId, sender, s.subscriberBoot()), counters.peer(sender)));
        if (link.channels >= SrtpSession.MAX_SSRCS) {
            refuse(sender, s.channel());
            return;
        }
        if (!s.relayAddress().equals(link.address)) {
            link.address = s.relayAddress();
            connect(link);
        }
        Outgoing o = new Outgoing(sender, s.channel(), s.subscriberBoot(), s.publisherBoot(), s.trackId(), s.room(),
                trackKey, link, feed, now);
        RemoteViewer viewer = cascade.attach(s.room(), trackId, s.channel(), packet -> sendMedia(o, packet));
        if (viewer == null) {
            refuse(sender, s.channel());
            return;
        }
        o.viewer = viewer;
        link.channels++;
        outgoing.put(key, o);
        if (feed != null) {
            feed.children++;
            reconcileFeed(feed, now); // an entry serves from the publisher directly: the tree stays 2 deep
        }
        counters.subscriptions(subscriptionsIn(), outgoing.size());
        send(sender, ChannelSignal.of(RelayMessageType.ALIVE, s.channel()));
        LOG.debug("relay {} -> {}: track {} of room {} on channel {}", self, sender, s.trackId(), s.room(),
                Integer.toHexString(s.channel()));
    }

    private void refuse(String sender, int channel) {
        refused++;
        counters.drop(RelayCounters.Drop.REFUSED);
        send(sender, ChannelSignal.of(RelayMessageType.ENDED, channel));
    }

    /** Points the link at its child's relay address, through the peer socket connected to it. */
    private void connect(OutLink link) {
        if (!closed) {
            link.peer = peers.peer(link.address, cascade.nanoTime());
        }
    }

    /** The forwarding step towards one child: protect in place and send (takes ownership of {@code packet}). */
    private void sendMedia(Outgoing o, ByteBuf packet) {
        OutLink link = o.link;
        if (link.session.protectRtp(packet) != SrtpStatus.OK || link.address == null) {
            packet.release();
            return;
        }
        int bytes = packet.readableBytes(); // as on the wire, the GCM tag included (as bytesIn counts)
        link.packets++;
        link.bytes += bytes;
        o.packets++;
        link.counters.sent(bytes);
        if (link.ready()) {
            link.peer.packets++;
            link.peer.channel.writeAndFlush(packet, link.peer.channel.voidPromise());
        } else {
            socket.writeAndFlush(new DatagramPacket(packet, link.address), socket.voidPromise());
        }
    }

    private void onSignal(String sender, ChannelSignal s) {
        if (s.type() == RelayMessageType.ENDED || s.type() == RelayMessageType.ALIVE) {
            Incoming in = lookup(s.channel());
            if (in == null || !in.parent.equals(sender)) {
                return;
            }
            long now = cascade.nanoTime();
            if (s.type() == RelayMessageType.ALIVE) {
                in.heardNanos = now;
            } else if (sender.equals(in.feed.track.node())) {
                backoff.put(in.feed.key, now + SUBSCRIPTION_TIMEOUT_NANOS);
                endFeed(in.feed, "ended on " + sender, false);
            } else {
                // An entry refused (it does not know the track yet, or it ended there): the feed stays until
                // the track leaves the directory, and asks again shortly.
                closeIncoming(in);
                in.feed.retryAtNanos = now + RETRY_NANOS;
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
                counters.keyframeRequestReceived();
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
        if (outgoing.remove(key) == null) {
            return;
        }
        o.viewer.close();
        o.link.channels--;
        o.link.session.removeSsrc(o.channel);
        if (o.feed != null && --o.feed.children == 0) {
            o.feed.childlessSinceNanos = cascade.nanoTime();
        }
        counters.subscriptions(subscriptionsIn(), outgoing.size());
    }

    // ---- child side ----

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
        unresponsive.values().removeIf(until -> now - until >= 0);
        interests.entrySet().removeIf(e -> e.getValue().count == 0 && now - e.getValue().lingerUntilNanos >= 0);
        reconcileFeeds(now);
        for (Map.Entry<String, Outgoing> e : List.copyOf(outgoing.entrySet())) {
            Outgoing o = e.getValue();
            if (o.viewer.ended()) {
                closeOutgoing(e.getKey(), o);
                send(o.node, ChannelSignal.of(RelayMessageType.ENDED, o.channel));
            } else if (now - o.refreshedNanos > SUBSCRIPTION_TIMEOUT_NANOS) {
                closeOutgoing(e.getKey(), o);
            }
        }
        peers.expire(now);
        for (OutLink link : outLinks.values()) {
            if (link.channels > 0 && !link.ready()) {
                connect(link);
            }
        }
        counters.subscriptions(subscriptionsIn(), outgoing.size());
    }

    /**
     * Announces this node's own tracks to every up member; also when it has none, so every relay node's boot id
     * is known (a zone entry needs it, to be subscribed to, whatever it publishes).
     */
    private void announce() {
        List<TrackDescription> tracks = new ArrayList<>();
        for (TrackDescription t : cascade.localTracks()) {
            if (TrackAnnouncement.announceable(t)) {
                tracks.add(t);
            }
        }
        List<TrackAnnouncement> messages = TrackAnnouncement.split(bootId, relayAddress, tracks);
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

    /** Opens feeds for watched rooms' tracks, keeps each on its right parent, closes those nobody wants. */
    private void reconcileFeeds(long now) {
        Set<String> wanted = new HashSet<>();
        for (String room : interests.keySet()) {
            for (TrackDirectory.Located t : directory.tracksIn(room, self)) {
                if (!backoff.containsKey(t.key())) {
                    wanted.add(t.key());
                    if (!feeds.containsKey(t.key())) {
                        openFeed(t);
                    }
                }
            }
        }
        long childLinger = settings.linger().toNanos();
        for (Feed f : List.copyOf(feeds.values())) {
            boolean listed = directory.contains(f.key);
            boolean served = f.children > 0 || now - f.childlessSinceNanos < childLinger;
            if (!listed) {
                endFeed(f, "ended on " + f.track.node(), true);
            } else if (!wanted.contains(f.key) && !served) {
                endFeed(f, "no local viewer", true);
            } else {
                reconcileFeed(f, now);
            }
        }
    }

    private Feed openFeed(TrackDirectory.Located t) {
        feedSerial++;
        Feed feed = new Feed(t, "relay-" + t.node() + "-" + Integer.toHexString(feedSerial));
        feed.relayed = cascade.publish(t.track(), feed.sessionId, new Cascade.Upstream() {
            @Override
            public void requestKeyframe() {
                Incoming in = feed.in;
                if (in != null) {
                    in.link.keyframeRequests++;
                    counters.keyframeRequestSent();
                    send(in.parent, ChannelSignal.of(RelayMessageType.KEYFRAME, in.channel));
                }
            }

            @Override
            public void nack(int[] seqs, int count) {
                Incoming in = feed.in;
                if (in == null) {
                    return;
                }
                int n = 0;
                for (int i = 0; i < count; i++) {
                    int upstream = feed.splice.upstreamSeq(seqs[i]);
                    if (upstream >= 0) {
                        seqs[n++] = upstream;
                    }
                }
                if (n > 0) {
                    in.link.nacks += n;
                    counters.nacksSent(Math.min(n, ChannelSignal.MAX_NACKS));
                    send(in.parent, ChannelSignal.nack(in.channel, seqs, n));
                }
            }
        });
        feed.childlessSinceNanos = cascade.nanoTime() - settings.linger().toNanos();
        feeds.put(feed.key, feed);
        return feed;
    }

    /** Keeps the feed subscribed to the parent it should have now: re-parents, refreshes, gives up on silence. */
    private void reconcileFeed(Feed f, long now) {
        Incoming in = f.in;
        if (in != null && now - in.heardNanos > PARENT_TIMEOUT_NANOS) {
            LOG.info("relay {}: no media nor answer from {} for track {}: choosing another parent", self, in.parent,
                    f.key);
            if (!in.parent.equals(f.track.node())) {
                unresponsive.put(in.parent, now + UNRESPONSIVE_NANOS);
            }
            closeIncoming(in);
            in = null;
        }
        String parent = parentOf(f);
        if (in != null && !in.parent.equals(parent)) {
            if (cluster.member(in.parent).map(Member::isUp).orElse(false)) {
                send(in.parent, ChannelSignal.of(RelayMessageType.UNSUBSCRIBE, in.channel));
            }
            closeIncoming(in);
            in = null;
        }
        if (in == null) {
            if (now - f.retryAtNanos >= 0) {
                subscribe(f, parent, now);
            }
        } else if (now - in.keepaliveNanos >= KEEPALIVE_NANOS) {
            in.keepaliveNanos = now;
            sendSubscribe(in);
        }
    }

    /**
     * The node {@code f} is received from ({@link RelayTree}): the publisher's node in its own zone, or when this
     * node serves the track to others; else the zone's entry among the live media nodes whose relay is known.
     */
    private String parentOf(Feed f) {
        String publisher = f.track.node();
        Optional<Member> publisherMember = cluster.member(publisher);
        Optional<Member> me = cluster.member(self);
        if (publisherMember.isEmpty() || me.isEmpty()) {
            return publisher;
        }
        String zone = me.get().metadata().zone();
        if (zone.equals(publisherMember.get().metadata().zone())
                || f.children > 0 || cascade.nanoTime() - f.childlessSinceNanos < settings.linger().toNanos()) {
            return publisher;
        }
        List<String> candidates = new ArrayList<>();
        for (Member m : cluster.members()) {
            if (m.isUp() && zone.equals(m.metadata().zone()) && m.metadata().roles().contains(Role.MEDIA)
                    && (m.id().equals(self) || (directory.bootOf(m.id()) != null
                    && !unresponsive.containsKey(m.id())))) {
                candidates.add(m.id());
            }
        }
        String entry = RelayTree.entry(f.key, candidates);
        return entry == null || entry.equals(self) ? publisher : entry;
    }

    private void subscribe(Feed f, String parent, long now) {
        Long parentBoot = parent.equals(f.track.node()) ? Long.valueOf(f.track.bootId()) : directory.bootOf(parent);
        if (parentBoot == null) {
            return;
        }
        String linkKey = parent + "/" + Long.toHexString(parentBoot);
        InLink link = inLinks.computeIfAbsent(linkKey, k -> new InLink(parent,
                RelayKeys.session(secret, parent, parentBoot, self, bootId), counters.peer(parent)));
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
        // Connected to the parent before it sends anything: its packets all arrive on one socket, in order.
        PeerSockets.Peer peer = peers.peer(directory.relayOf(parent), now);
        if (peer != null) {
            link.peer = peer;
        }
        Incoming in = new Incoming(f, parent, parentBoot, channel, link, ++f.sources);
        link.channels++;
        channels[slot] = in;
        f.in = in;
        in.keepaliveNanos = now;
        in.heardNanos = now;
        sendSubscribe(in);
        counters.subscriptions(subscriptionsIn(), outgoing.size());
        LOG.debug("relay {} <- {}: track {} on channel {}", self, parent, f.key, Integer.toHexString(channel));
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
        TrackDirectory.Located t = in.feed.track;
        Subscribe s = new Subscribe(in.channel, bootId, in.parentBoot, t.bootId(), relayAddress, t.track().room(),
                t.track().trackId());
        ByteBuf out = cascade.allocator().buffer(s.encodedLength());
        s.writeTo(out);
        cluster.send(in.parent, CONTROL_CHANNEL, out);
    }

    /** Forgets the subscription (no message): its channel is free, the feed has no parent. */
    private void closeIncoming(Incoming in) {
        int slot = in.channel & (MAX_CHANNELS - 1);
        if (channels[slot] == in) {
            channels[slot] = null;
        }
        if (in.feed.in == in) {
            in.feed.in = null;
        }
        in.link.channels--;
        in.link.session.removeSsrc(in.channel);
        counters.subscriptions(subscriptionsIn(), outgoing.size());
    }

    /** Ends the relayed track here (its viewers switch away) and the subscription; children see it end too. */
    private void endFeed(Feed f, String reason, boolean unsubscribe) {
        if (feeds.remove(f.key, f)) {
            Incoming in = f.in;
            if (in != null) {
                if (unsubscribe && cluster.member(in.parent).map(Member::isUp).orElse(false)) {
                    send(in.parent, ChannelSignal.of(RelayMessageType.UNSUBSCRIBE, in.channel));
                }
                closeIncoming(in);
            }
            f.relayed.end(reason);
        }
    }

    private Incoming lookup(int channel) {
        Incoming in = channels[channel & (MAX_CHANNELS - 1)];
        return in != null && in.channel == channel ? in : null;
    }

    private void memberDown(String node) {
        directory.remove(node);
        long now = cascade.nanoTime();
        for (Feed f : List.copyOf(feeds.values())) {
            if (f.track.node().equals(node)) {
                endFeed(f, node + " is gone", false);
            } else if (f.in != null && f.in.parent.equals(node)) {
                closeIncoming(f.in); // re-parented below, without waiting for the next pass
                f.retryAtNanos = now;
            }
        }
        for (Map.Entry<String, Outgoing> e : List.copyOf(outgoing.entrySet())) {
            if (e.getValue().node.equals(node)) {
                closeOutgoing(e.getKey(), e.getValue());
            }
        }
        // Links to the node's process life stay while a channel uses them (a wrongly declared death heals), so
        // a returning node never sees its SRTP indexes restart under the same key.
        inLinks.values().removeIf(l -> l.node.equals(node) && l.channels == 0);
        outLinks.values().removeIf(l -> l.node.equals(node) && l.channels == 0);
        for (Feed f : List.copyOf(feeds.values())) {
            if (f.in == null) {
                reconcileFeed(f, now);
            }
        }
    }

    /** The receive step: authenticate and decrypt in place, then the SFU's forwarding path. Event loop. */
    private boolean receive(ByteBuf datagram) {
        int at = datagram.readerIndex();
        if (datagram.readableBytes() < MIN_RTP + RelayKeys.PROFILE.tagLength()
                || (datagram.getUnsignedByte(at) & 0xC0) != 0x80) {
            dropped++;
            counters.drop(RelayCounters.Drop.MALFORMED);
            return false;
        }
        Incoming in = lookup(datagram.getInt(at + 8));
        if (in == null) {
            dropped++;
            counters.drop(RelayCounters.Drop.UNKNOWN_CHANNEL);
            return false;
        }
        int length = datagram.readableBytes();
        if (in.link.session.unprotectRtp(datagram) != SrtpStatus.OK) {
            dropped++;
            counters.drop(RelayCounters.Drop.UNAUTHENTICATED);
            return false;
        }
        long now = cascade.nanoTime();
        in.link.packets++;
        in.link.bytes += length;
        in.link.counters.received(length);
        if (in.link.peer != null) {
            in.link.peer.packets++;
        }
        in.heardNanos = now;
        Feed f = in.feed;
        f.packetsIn++;
        f.splice.apply(datagram, in.source, now);
        f.relayed.onRtp(datagram);
        return true;
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
                for (Feed f : List.copyOf(feeds.values())) {
                    endFeed(f, "relay closed", false);
                }
                for (Map.Entry<String, Outgoing> e : List.copyOf(outgoing.entrySet())) {
                    closeOutgoing(e.getKey(), e.getValue());
                }
                peers.closeAll();
            }).await(5, TimeUnit.SECONDS);
            socket.close().await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Reads relay datagrams: enveloped on the relay socket (peers without a socket here), bare on a peer socket. */
    private final class Inbound extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (closed) {
                    return;
                }
                if (msg instanceof ByteBuf buf) {
                    receive(buf);
                } else if (msg instanceof DatagramPacket packet) {
                    receive(packet.content());
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

    private static final class Interest {
        int count;
        long lingerUntilNanos;
    }

    /** This node's receiving side of a link to one parent's process life, shared by all channels on it. */
    private static final class InLink {
        final String node;
        /** Keeps the socket connected to the parent in use (not idled out) while media comes in on it. */
        PeerSockets.Peer peer;
        final SrtpSession session;
        final RelayCounters.Peer counters;
        int channels;
        long packets;
        long bytes;
        long keyframeRequests;
        long nacks;

        InLink(String node, SrtpSession session, RelayCounters.Peer counters) {
            this.node = node;
            this.session = session;
            this.counters = counters;
        }
    }

    /** A stream this node receives: one feed's track from one parent on one channel. */
    static final class Incoming {
        final Feed feed;
        final String parent;
        final long parentBoot;
        final int channel;
        final InLink link;
        /** The feed's source number for its splice: a new one per parent subscription. */
        final int source;
        long keepaliveNanos;
        /** Last media or keepalive answer from the parent. */
        long heardNanos;

        Incoming(Feed feed, String parent, long parentBoot, int channel, InLink link, int source) {
            this.feed = feed;
            this.parent = parent;
            this.parentBoot = parentBoot;
            this.channel = channel;
            this.link = link;
            this.source = source;
        }
    }

    /** A stream this node sends: one track (its own, or a feed it relays) to one child on the channel it chose. */
    private static final class Outgoing {
        final String node;
        final int channel;
        final long subscriberBoot;
        final long publisherBoot;
        final String trackId;
        final String room;
        final String trackKey;
        final OutLink link;
        /** The relayed track served, null for this node's own track. */
        final Feed feed;
        RemoteViewer viewer;
        long refreshedNanos;
        long packets;

        Outgoing(String node, int channel, long subscriberBoot, long publisherBoot, String trackId, String room,
                 String trackKey, OutLink link, Feed feed, long refreshedNanos) {
            this.node = node;
            this.channel = channel;
            this.subscriberBoot = subscriberBoot;
            this.publisherBoot = publisherBoot;
            this.trackId = trackId;
            this.room = room;
            this.trackKey = trackKey;
            this.link = link;
            this.feed = feed;
            this.refreshedNanos = refreshedNanos;
        }
    }
}
