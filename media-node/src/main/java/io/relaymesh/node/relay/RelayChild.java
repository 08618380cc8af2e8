package io.relaymesh.node.relay;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.cluster.membership.Member;
import io.relaymesh.node.config.Role;
import io.relaymesh.node.sfu.Cascade;
import io.relaymesh.node.srtp.SrtpSession;
import io.relaymesh.node.srtp.SrtpStatus;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The child role of a relay node: plays other nodes' tracks here ({@link Feed}s), for the rooms local viewers
 * watch and for child nodes this node serves as a zone entry. Keeps each feed subscribed to the parent the
 * {@link RelayTree} gives it, re-parents when that parent dies, goes silent or changes, and receives the media:
 * one stream per layer, the layer index in the top two bits of the SSRC. Tells the parent which layers it needs
 * ({@link #demand}) with every keepalive and at once when that changes. Event loop only.
 */
final class RelayChild {

    /** Channels (streams received) at most; also the size of the channel table. */
    static final int MAX_CHANNELS = 4096;
    private static final int MIN_RTP = 12;
    private static final Logger LOG = LoggerFactory.getLogger(RelayChild.class);

    private final RelayContext ctx;
    private final Map<String, Interest> interests = new HashMap<>();
    private final Incoming[] channels = new Incoming[MAX_CHANNELS];
    private final Map<String, Feed> feeds = new HashMap<>();
    private final Map<String, InLink> inLinks = new HashMap<>();
    /** Tracks whose publisher refused or ended them: not asked for again until the time given. */
    private final Map<String, Long> backoff = new HashMap<>();
    /** Parents given up on (no media, no keepalive answers), until the time given. */
    private final Map<String, Long> unresponsive = new HashMap<>();
    private int generation;
    private int feedSerial;

    RelayChild(RelayContext ctx) {
        this.ctx = ctx;
    }

    /** A local viewer started watching {@code room}. */
    void watch(String room) {
        Interest interest = interests.computeIfAbsent(room, r -> new Interest());
        interest.count++;
        reconcileFeeds(ctx.now());
    }

    /** A local viewer of {@code room} left: the room is kept one linger after the last one. */
    void unwatch(String room) {
        Interest interest = interests.get(room);
        if (interest != null && --interest.count == 0) {
            interest.lingerUntilNanos = ctx.now() + ctx.settings.linger().toNanos();
        }
    }

    Collection<Feed> feeds() {
        return feeds.values();
    }

    Collection<InLink> inLinks() {
        return inLinks.values();
    }

    int subscriptionsIn() {
        int n = 0;
        for (Feed f : feeds.values()) {
            if (f.in != null) {
                n++;
            }
        }
        return n;
    }

    /** Whether the track's publisher refused or ended it lately. */
    boolean backingOff(String trackKey) {
        return backoff.containsKey(trackKey);
    }

    /** The feed of {@code t}, opened when there is none (a child node asks for a track nobody here plays). */
    Feed feedFor(TrackDirectory.Located t) {
        Feed feed = feeds.get(t.key());
        return feed != null ? feed : openFeed(t);
    }

    /** The periodic pass: forgets expired back-offs and interests, then keeps every feed on its right parent. */
    void reconcile(long now) {
        backoff.values().removeIf(until -> now - until >= 0);
        unresponsive.values().removeIf(until -> now - until >= 0);
        interests.entrySet().removeIf(e -> e.getValue().count == 0 && now - e.getValue().lingerUntilNanos >= 0);
        reconcileFeeds(now);
    }

    /** Opens feeds for watched rooms' tracks, keeps each on its right parent, closes those nobody wants. */
    private void reconcileFeeds(long now) {
        Set<String> wanted = new HashSet<>();
        for (String room : interests.keySet()) {
            for (TrackDirectory.Located t : ctx.directory.tracksIn(room, ctx.self)) {
                if (!backoff.containsKey(t.key())) {
                    wanted.add(t.key());
                    if (!feeds.containsKey(t.key())) {
                        openFeed(t);
                    }
                }
            }
        }
        long childLinger = ctx.settings.linger().toNanos();
        for (Feed f : List.copyOf(feeds.values())) {
            boolean listed = ctx.directory.contains(f.key);
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
        feed.relayed = ctx.cascade.publish(t.track(), feed.sessionId, new Cascade.Upstream() {
            @Override
            public void requestKeyframe(int layer) {
                Incoming in = feed.in;
                if (in != null) {
                    in.link.keyframeRequests++;
                    ctx.counters.keyframeRequestSent();
                    ctx.send(in.parent, ChannelSignal.keyframe(in.channel, layer));
                    if ((in.sentDemand & 1 << layer) == 0) {
                        updateDemand(in, ctx.now()); // a viewer moves to a paused layer: resume it now
                    }
                }
            }

            @Override
            public void nack(int layer, int[] seqs, int count) {
                Incoming in = feed.in;
                if (in == null) {
                    return;
                }
                int n = 0;
                for (int i = 0; i < count; i++) {
                    int upstream = feed.splices[layer].upstreamSeq(seqs[i]);
                    if (upstream >= 0) {
                        seqs[n++] = upstream;
                    }
                }
                if (n > 0) {
                    in.link.nacks += n;
                    ctx.counters.nacksSent(Math.min(n, ChannelSignal.MAX_NACKS));
                    ctx.send(in.parent, ChannelSignal.nack(in.channel, layer, seqs, n));
                }
            }
        });
        feed.childlessSinceNanos = ctx.now() - ctx.settings.linger().toNanos();
        feeds.put(feed.key, feed);
        return feed;
    }

    /** Keeps the feed subscribed to the parent it should have now: re-parents, refreshes, gives up on silence. */
    void reconcileFeed(Feed f, long now) {
        Incoming in = f.in;
        if (in != null && now - in.heardNanos > RelayNode.PARENT_TIMEOUT_NANOS) {
            LOG.info("relay {}: no media nor answer from {} for track {}: choosing another parent", ctx.self,
                    in.parent, f.key);
            if (!in.parent.equals(f.track.node())) {
                unresponsive.put(in.parent, now + RelayNode.UNRESPONSIVE_NANOS);
            }
            closeIncoming(in);
            in = null;
        }
        String parent = parentOf(f);
        if (in != null && !in.parent.equals(parent)) {
            if (ctx.isUp(in.parent)) {
                ctx.send(in.parent, ChannelSignal.of(RelayMessageType.UNSUBSCRIBE, in.channel));
            }
            closeIncoming(in);
            in = null;
        }
        if (in == null) {
            if (now - f.retryAtNanos >= 0) {
                subscribe(f, parent, now);
            }
        } else if (now - in.keepaliveNanos >= RelayNode.KEEPALIVE_NANOS) {
            in.keepaliveNanos = now;
            sendSubscribe(in);
        } else {
            updateDemand(in, now);
        }
    }

    /**
     * The layers {@code f} needs from its parent (bit i: layer index i): what local viewers need, what child nodes
     * demand, and the layers the parent has that never arrived here (so they are learned, and ranked, once).
     */
    static int demand(Feed f) {
        int unknown = f.relayed.upstreamLayers() & ~f.relayed.learnedLayers();
        return (f.relayed.demand() | f.childDemand | unknown) & Cascade.ALL_LAYERS;
    }

    /** Sends the subscription again at once when what it should demand changed. */
    private void updateDemand(Incoming in, long now) {
        if (demand(in.feed) != in.sentDemand) {
            in.keepaliveNanos = now;
            sendSubscribe(in);
        }
    }

    /**
     * The node {@code f} is received from ({@link RelayTree}): the publisher's node in its own zone, or when this
     * node serves the track to others; else the zone's entry among the live media nodes whose relay is known and
     * that are nearest to the publisher's zone.
     */
    private String parentOf(Feed f) {
        String publisher = f.track.node();
        Optional<Member> publisherMember = ctx.cluster.member(publisher);
        Optional<Member> me = ctx.cluster.member(ctx.self);
        if (publisherMember.isEmpty() || me.isEmpty()) {
            return publisher;
        }
        String zone = me.get().metadata().zone();
        if (zone.equals(publisherMember.get().metadata().zone())
                || f.children > 0 || ctx.now() - f.childlessSinceNanos < ctx.settings.linger().toNanos()) {
            return publisher;
        }
        String publisherZone = publisherMember.get().metadata().zone();
        Map<String, OptionalInt> candidates = new HashMap<>();
        for (Member m : ctx.cluster.members()) {
            if (m.isUp() && zone.equals(m.metadata().zone()) && m.metadata().roles().contains(Role.MEDIA)
                    && (m.id().equals(ctx.self) || (ctx.directory.bootOf(m.id()) != null
                    && !unresponsive.containsKey(m.id())))) {
                candidates.put(m.id(), m.metadata().zoneRtts().to(publisherZone));
            }
        }
        String entry = RelayTree.entry(f.key, RelayTree.nearest(candidates));
        return entry == null || entry.equals(ctx.self) ? publisher : entry;
    }

    private void subscribe(Feed f, String parent, long now) {
        Long parentBoot = parent.equals(f.track.node()) ? Long.valueOf(f.track.bootId())
                : ctx.directory.bootOf(parent);
        if (parentBoot == null) {
            return;
        }
        String linkKey = parent + "/" + Long.toHexString(parentBoot);
        InLink link = inLinks.computeIfAbsent(linkKey, k -> new InLink(parent,
                RelayKeys.session(ctx.secret, parent, parentBoot, ctx.self, ctx.bootId), ctx.counters.peer(parent)));
        if (link.channels >= SrtpSession.MAX_SSRCS) {
            ctx.refused++;
            return;
        }
        int slot = freeSlot();
        if (slot < 0) {
            ctx.refused++;
            return;
        }
        generation = (generation + 1) & (Cascade.CHANNEL_MASK >>> 12); // the top two bits are the layer's
        int channel = (generation << 12) | slot;
        if (channel == 0) {
            generation = 1;
            channel = (1 << 12) | slot;
        }
        // Connected to the parent before it sends anything: its packets all arrive on one socket, in order.
        PeerSockets.Peer peer = ctx.peers.peer(ctx.directory.relayOf(parent), now);
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
        ctx.subscriptionsChanged.run();
        LOG.debug("relay {} <- {}: track {} on channel {}", ctx.self, parent, f.key, Integer.toHexString(channel));
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
        in.sentDemand = demand(in.feed);
        ctx.send(in.parent, new Subscribe(in.channel, ctx.bootId, in.parentBoot, t.bootId(), in.sentDemand,
                ctx.relayAddress, t.track().room(), t.track().trackId()));
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
        for (int layer = 0; layer < Cascade.MAX_LAYERS; layer++) {
            in.link.session.removeSsrc(Cascade.layerSsrc(in.channel, layer));
        }
        ctx.subscriptionsChanged.run();
    }

    /** Ends the relayed track here (its viewers switch away) and the subscription; children see it end too. */
    private void endFeed(Feed f, String reason, boolean unsubscribe) {
        if (feeds.remove(f.key, f)) {
            Incoming in = f.in;
            if (in != null) {
                if (unsubscribe && ctx.isUp(in.parent)) {
                    ctx.send(in.parent, ChannelSignal.of(RelayMessageType.UNSUBSCRIBE, in.channel));
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

    /** ENDED and ALIVE from a parent about a channel this node receives. */
    void onParentSignal(String sender, ChannelSignal s) {
        Incoming in = lookup(s.channel());
        if (in == null || !in.parent.equals(sender)) {
            return;
        }
        long now = ctx.now();
        if (s.type() == RelayMessageType.ALIVE) {
            in.heardNanos = now;
            in.feed.relayed.upstreamLayers(s.layers());
            updateDemand(in, now);
        } else if (sender.equals(in.feed.track.node())) {
            backoff.put(in.feed.key, now + RelayNode.SUBSCRIPTION_TIMEOUT_NANOS);
            endFeed(in.feed, "ended on " + sender, false);
        } else {
            // An entry refused (it does not know the track yet, or it ended there): the feed stays until
            // the track leaves the directory, and asks again shortly.
            closeIncoming(in);
            in.feed.retryAtNanos = now + RelayNode.RETRY_NANOS;
        }
    }

    /** {@code node} left the cluster: its tracks end here, feeds it served lose their parent; idle links go. */
    void memberDown(String node, long now) {
        for (Feed f : List.copyOf(feeds.values())) {
            if (f.track.node().equals(node)) {
                endFeed(f, node + " is gone", false);
            } else if (f.in != null && f.in.parent.equals(node)) {
                closeIncoming(f.in); // re-parented below, without waiting for the next pass
                f.retryAtNanos = now;
            }
        }
        inLinks.values().removeIf(l -> l.node.equals(node) && l.channels == 0);
    }

    /** Subscribes the feeds left without a parent (after a member went down) at once. */
    void reparentOrphans(long now) {
        for (Feed f : List.copyOf(feeds.values())) {
            if (f.in == null) {
                reconcileFeed(f, now);
            }
        }
    }

    /** The receive step: authenticate and decrypt in place, then the SFU's forwarding path. */
    boolean receive(ByteBuf datagram) {
        int at = datagram.readerIndex();
        if (datagram.readableBytes() < MIN_RTP + RelayKeys.PROFILE.tagLength()
                || (datagram.getUnsignedByte(at) & 0xC0) != 0x80) {
            ctx.dropped++;
            ctx.counters.drop(RelayCounters.Drop.MALFORMED);
            return false;
        }
        int ssrc = datagram.getInt(at + 8);
        int layer = ssrc >>> Cascade.LAYER_SHIFT;
        Incoming in = layer < Cascade.MAX_LAYERS ? lookup(ssrc & Cascade.CHANNEL_MASK) : null;
        if (in == null) {
            ctx.dropped++;
            ctx.counters.drop(RelayCounters.Drop.UNKNOWN_CHANNEL);
            return false;
        }
        int length = datagram.readableBytes();
        if (in.link.session.unprotectRtp(datagram) != SrtpStatus.OK) {
            ctx.dropped++;
            ctx.counters.drop(RelayCounters.Drop.UNAUTHENTICATED);
            return false;
        }
        long now = ctx.now();
        in.link.packets++;
        in.link.bytes += length;
        in.link.counters.received(length);
        if (in.link.peer != null) {
            in.link.peer.packets++;
        }
        in.heardNanos = now;
        Feed f = in.feed;
        f.packetsIn++;
        f.splices[layer].apply(datagram, in.source, now);
        f.relayed.onRtp(datagram, layer);
        return true;
    }

    void close() {
        for (Feed f : List.copyOf(feeds.values())) {
            endFeed(f, "relay closed", false);
        }
    }

    private static final class Interest {
        int count;
        long lingerUntilNanos;
    }
}
