package io.relaymesh.node.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.relaymesh.node.cluster.ClusterNode;
import io.relaymesh.node.cluster.membership.Member;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.sfu.Cascade;
import java.net.InetSocketAddress;

/**
 * What the two roles of a relay node share: the cluster and SFU it works with, its identity (id and boot id), the
 * directory of tracks, the sockets, the counters. {@link RelayChild} (this node as a subscriber of parents) and
 * {@link RelayParent} (this node serving children) each keep their own state; {@link RelayNode} wires them to the
 * sockets, the cluster and the timer. Event loop only, except the final fields.
 */
final class RelayContext {

    final ClusterNode cluster;
    final Cascade cascade;
    final Secret secret;
    final RelaySettings settings;
    final EventLoop loop;
    final String self;
    final long bootId;
    final RelayCounters counters;
    final TrackDirectory directory = new TrackDirectory();
    PeerSockets peers;
    Channel socket;
    InetSocketAddress relayAddress;
    /** Datagrams and control messages dropped, subscriptions refused: for {@link RelayStats}. */
    long dropped;
    long refused;
    boolean closed;
    /** Recounts the subscriptions in both directions for the metrics (set by {@link RelayNode}). */
    Runnable subscriptionsChanged = () -> { };

    RelayContext(ClusterNode cluster, Cascade cascade, Secret secret, RelaySettings settings, long bootId,
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

    long now() {
        return cascade.nanoTime();
    }

    boolean isUp(String node) {
        return cluster.member(node).map(Member::isUp).orElse(false);
    }

    /** Sends a control message to {@code node} on the relay's cluster channel (authenticated by the cluster). */
    void send(String node, ChannelSignal signal) {
        ByteBuf out = cascade.allocator().buffer(signal.encodedLength());
        signal.writeTo(out);
        cluster.send(node, RelayNode.CONTROL_CHANNEL, out);
    }

    void send(String node, Subscribe subscribe) {
        ByteBuf out = cascade.allocator().buffer(subscribe.encodedLength());
        subscribe.writeTo(out);
        cluster.send(node, RelayNode.CONTROL_CHANNEL, out);
    }
}
