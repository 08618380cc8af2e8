package io.relaymesh.node.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.DatagramPacket;
import io.relaymesh.node.sfu.Cascade;
import io.relaymesh.node.sfu.RemoteViewer;
import io.relaymesh.node.srtp.SrtpSession;
import io.relaymesh.node.srtp.SrtpStatus;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parent role of a relay node: serves child nodes' subscriptions to tracks it publishes or relays. Each
 * subscription is a {@link RemoteViewer} on the local track, one stream per layer, whose packets are protected
 * with the link's SRTP session and sent to the child's relay address. Each SUBSCRIBE carries the layers the child
 * needs; the others are paused here, and a relayed track's children's demands are merged into what this node
 * asks its own parent for ({@link Feed#childDemand}). Event loop only.
 */
final class RelayParent {

    private static final Logger LOG = LoggerFactory.getLogger(RelayParent.class);

    private final RelayContext ctx;
    private final RelayChild child;
    private final Map<String, Outgoing> outgoing = new HashMap<>();
    private final Map<String, OutLink> outLinks = new HashMap<>();

    RelayParent(RelayContext ctx, RelayChild child) {
        this.ctx = ctx;
        this.child = child;
    }

    int subscriptionsOut() {
        return outgoing.size();
    }

    Collection<Outgoing> outgoing() {
        return outgoing.values();
    }

    Collection<OutLink> outLinks() {
        return outLinks.values();
    }

    void onSubscribe(String sender, Subscribe s) {
        if (ctx.closed) {
            return;
        }
        String key = sender + "/" + Integer.toHexString(s.channel());
        Outgoing existing = outgoing.get(key);
        long now = ctx.now();
        if (existing != null && existing.subscriberBoot == s.subscriberBoot() && existing.trackId.equals(s.trackId())
                && existing.publisherBoot == s.publisherBoot()) {
            existing.refreshedNanos = now;
            if (!s.relayAddress().equals(existing.link.address)) {
                existing.link.address = s.relayAddress();
                connect(existing.link);
            }
            if (existing.demand != s.demand()) {
                existing.demand = s.demand();
                existing.viewer.demand(s.demand());
                mergeDemand(existing.feed);
            }
            ctx.send(sender, ChannelSignal.alive(s.channel(), existing.viewer.layers()));
            return;
        }
        if (existing != null) {
            closeOutgoing(key, existing);
        }
        if (s.parentBoot() != ctx.bootId) {
            refuse(sender, s.channel());
            return;
        }
        String trackId;
        String trackKey;
        Feed feed = null;
        if (s.publisherBoot() == ctx.bootId) {
            trackId = s.trackId();
            trackKey = TrackDirectory.keyOf(ctx.self, ctx.bootId, s.room(), s.trackId());
        } else {
            TrackDirectory.Located t = ctx.directory.find(s.publisherBoot(), s.room(), s.trackId());
            if (t == null || child.backingOff(t.key())) {
                refuse(sender, s.channel());
                return;
            }
            feed = child.feedFor(t);
            trackId = feed.localTrackId();
            trackKey = feed.key;
        }
        String linkKey = sender + "/" + Long.toHexString(s.subscriberBoot());
        OutLink link = outLinks.computeIfAbsent(linkKey, k -> new OutLink(sender,
                RelayKeys.session(ctx.secret, ctx.self, ctx.bootId, sender, s.subscriberBoot()),
                ctx.counters.peer(sender)));
        if (link.ssrcs >= SrtpSession.MAX_SSRCS) {
            refuse(sender, s.channel());
            return;
        }
        if (!s.relayAddress().equals(link.address)) {
            link.address = s.relayAddress();
            connect(link);
        }
        Outgoing o = new Outgoing(sender, s.channel(), s.subscriberBoot(), s.publisherBoot(), s.trackId(), s.room(),
                trackKey, link, feed, now, s.demand());
        RemoteViewer viewer = ctx.cascade.attach(s.room(), trackId, s.channel(), packet -> sendMedia(o, packet));
        if (viewer == null) {
            refuse(sender, s.channel());
            return;
        }
        o.viewer = viewer;
        viewer.demand(s.demand());
        link.ssrcs += viewer.refresh(SrtpSession.MAX_SSRCS - link.ssrcs);
        link.channels++;
        outgoing.put(key, o);
        if (feed != null) {
            feed.children++;
            mergeDemand(feed);
            child.reconcileFeed(feed, now); // an entry serves from the publisher directly: the tree stays 2 deep
        }
        ctx.subscriptionsChanged.run();
        ctx.send(sender, ChannelSignal.alive(s.channel(), viewer.layers()));
        LOG.debug("relay {} -> {}: track {} of room {} on channel {}", ctx.self, sender, s.trackId(), s.room(),
                Integer.toHexString(s.channel()));
    }

    private void refuse(String sender, int channel) {
        ctx.refused++;
        ctx.counters.drop(RelayCounters.Drop.REFUSED);
        ctx.send(sender, ChannelSignal.of(RelayMessageType.ENDED, channel));
    }

    /** Points the link at its child's relay address, through the peer socket connected to it. */
    private void connect(OutLink link) {
        if (!ctx.closed) {
            link.peer = ctx.peers.peer(link.address, ctx.now());
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
            link.peer.socket.send(packet);
        } else {
            ctx.socket.writeAndFlush(new DatagramPacket(packet, link.address), ctx.socket.voidPromise());
        }
    }

    /** UNSUBSCRIBE, KEYFRAME and NACK from a child about a channel this node serves it. */
    void onChildSignal(String sender, ChannelSignal s) {
        String key = sender + "/" + Integer.toHexString(s.channel());
        Outgoing o = outgoing.get(key);
        if (o == null) {
            return;
        }
        switch (s.type()) {
            case RelayMessageType.UNSUBSCRIBE -> closeOutgoing(key, o);
            case RelayMessageType.KEYFRAME -> {
                o.link.keyframeRequests++;
                ctx.counters.keyframeRequestReceived();
                o.viewer.requestKeyframe(s.layer());
            }
            case RelayMessageType.NACK -> {
                for (int seq : s.seqs()) {
                    if (o.viewer.retransmit(s.layer(), seq)) {
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
        o.link.ssrcs -= o.viewer.streams();
        for (int layer = 0; layer < Cascade.MAX_LAYERS; layer++) {
            o.link.session.removeSsrc(Cascade.layerSsrc(o.channel, layer));
        }
        if (o.feed != null) {
            mergeDemand(o.feed);
            if (--o.feed.children == 0) {
                o.feed.childlessSinceNanos = ctx.now();
            }
        }
        ctx.subscriptionsChanged.run();
    }

    /** Recomputes the union of the layers the feed's children demand. */
    private void mergeDemand(Feed feed) {
        if (feed == null) {
            return;
        }
        int demand = 0;
        for (Outgoing o : outgoing.values()) {
            if (o.feed == feed) {
                demand |= o.demand;
            }
        }
        feed.childDemand = demand;
    }

    /**
     * Ends subscriptions whose track ended (telling the child) or that the child stopped refreshing; gives the others
     * streams for layers learned since, and keeps the lowest layer flowing as the ranking moves.
     */
    void reconcile(long now) {
        for (Map.Entry<String, Outgoing> e : List.copyOf(outgoing.entrySet())) {
            Outgoing o = e.getValue();
            if (o.viewer.ended()) {
                closeOutgoing(e.getKey(), o);
                ctx.send(o.node, ChannelSignal.of(RelayMessageType.ENDED, o.channel));
            } else if (now - o.refreshedNanos > RelayNode.SUBSCRIPTION_TIMEOUT_NANOS) {
                closeOutgoing(e.getKey(), o);
            } else {
                o.link.ssrcs += o.viewer.refresh(SrtpSession.MAX_SSRCS - o.link.ssrcs);
            }
        }
    }

    /** Remakes the peer sockets of links in use whose socket went away (idled out, address changed). */
    void reconnect() {
        for (OutLink link : outLinks.values()) {
            if (link.channels > 0 && !link.ready()) {
                connect(link);
            }
        }
    }

    /** {@code node} left the cluster: its subscriptions end; its idle links go. */
    void memberDown(String node) {
        for (Map.Entry<String, Outgoing> e : List.copyOf(outgoing.entrySet())) {
            if (e.getValue().node.equals(node)) {
                closeOutgoing(e.getKey(), e.getValue());
            }
        }
        // Links to the node's process life stay while a channel uses them (a wrongly declared death heals), so
        // a returning node never sees its SRTP indexes restart under the same key.
        outLinks.values().removeIf(l -> l.node.equals(node) && l.channels == 0);
    }

    void close() {
        for (Map.Entry<String, Outgoing> e : List.copyOf(outgoing.entrySet())) {
            closeOutgoing(e.getKey(), e.getValue());
        }
    }
}
