package io.relaymesh.node.relay;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;

/**
 * One UDP socket per peer relay address, bound to the relay port itself ({@code SO_REUSEPORT}) and connected to
 * the peer, on the relay's event loop. Connected, a socket needs no envelope either way: Netty writes a bare
 * {@code ByteBuf} (no {@code DatagramPacket}, no address conversion) and epoll reads one (no {@code DatagramPacket},
 * no slice, no {@code InetSocketAddress} per datagram). The kernel gives a datagram to the socket connected to its
 * sender before the relay's unconnected socket, which keeps receiving from peers not seen yet. Traffic stays relay
 * port to relay port, so firewall rules for the relay port keep working. A socket idle for {@link #IDLE_NANOS} is
 * closed. Event loop only; needs epoll ({@code SO_REUSEPORT}): without it there are no peer sockets and the relay
 * socket carries everything with envelopes.
 */
final class PeerSockets {

    static final long IDLE_NANOS = 30_000_000_000L;

    /** A peer's socket and its use, for idling out. */
    static final class Peer {
        final InetSocketAddress remote;
        Channel channel;
        long packets;
        long packetsAtCheck;
        long idleSinceNanos;

        Peer(InetSocketAddress remote) {
            this.remote = remote;
        }

        boolean active() {
            return channel != null && channel.isActive();
        }
    }

    private final Map<InetSocketAddress, Peer> byAddress = new HashMap<>();
    private final Bootstrap bootstrap;
    private final Function<Peer, ChannelHandler> handler;
    private InetSocketAddress local;

    /**
     * @param bootstrap group, channel factory and options (with {@code SO_REUSEPORT}) of the peer sockets, or null
     *                  when they are not supported
     * @param handler   the inbound handler of a peer's socket
     */
    PeerSockets(Bootstrap bootstrap, Function<Peer, ChannelHandler> handler) {
        this.bootstrap = bootstrap;
        this.handler = handler;
    }

    /** The relay socket's own address, once bound: every peer socket binds to it too. */
    void bindTo(InetSocketAddress local) {
        this.local = local;
    }

    /** The peer socket for {@code remote}, made (and connected) when there is none; null when not supported. */
    Peer peer(InetSocketAddress remote, long nowNanos) {
        if (bootstrap == null || local == null || remote == null) {
            return null;
        }
        Peer p = byAddress.get(remote);
        if (p == null) {
            p = new Peer(remote);
            p.idleSinceNanos = nowNanos;
            byAddress.put(remote, p);
        }
        if (p.channel == null || !p.channel.isOpen()) {
            p.channel = bootstrap.clone().handler(handler.apply(p)).connect(remote, local).channel();
        }
        return p;
    }

    /** Closes sockets unused for {@link #IDLE_NANOS}. */
    void expire(long nowNanos) {
        for (Iterator<Peer> it = byAddress.values().iterator(); it.hasNext(); ) {
            Peer p = it.next();
            if (p.packets != p.packetsAtCheck) {
                p.packetsAtCheck = p.packets;
                p.idleSinceNanos = nowNanos;
            } else if (nowNanos - p.idleSinceNanos > IDLE_NANOS) {
                if (p.channel != null) {
                    p.channel.close();
                }
                it.remove();
            }
        }
    }

    int size() {
        return byAddress.size();
    }

    void closeAll() {
        for (Peer p : byAddress.values()) {
            if (p.channel != null) {
                p.channel.close();
            }
        }
        byAddress.clear();
    }
}
