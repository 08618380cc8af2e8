package io.relaymesh.node.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP socket per peer relay address, bound to the relay port itself ({@code SO_REUSEPORT}) and connected to
 * the peer, on the relay's event loop ({@link PeerSocket}: read and written without a Netty channel, so no
 * {@code DatagramPacket}, no slice and no {@code InetSocketAddress} per datagram either way). The kernel gives a
 * datagram to the socket connected to its sender before the relay's unconnected socket, which keeps receiving from
 * peers not seen yet (with Netty's envelope). Traffic stays relay port to relay port, so firewall rules for the
 * relay port keep working. A socket idle for {@link #IDLE_NANOS} is closed. Event loop only; needs epoll
 * ({@code SO_REUSEPORT}): without it there are no peer sockets and the relay socket carries everything.
 */
final class PeerSockets {

    static final long IDLE_NANOS = 30_000_000_000L;
    private static final Logger LOG = LoggerFactory.getLogger(PeerSockets.class);

    /** A peer's socket and its use, for idling out. */
    static final class Peer {
        final InetSocketAddress remote;
        PeerSocket socket;
        long packets;
        long packetsAtCheck;
        long idleSinceNanos;

        Peer(InetSocketAddress remote) {
            this.remote = remote;
        }

        boolean active() {
            return socket != null && socket.isActive();
        }
    }

    /** Opens a peer's socket (bound to {@code local}, connected to {@code remote}); on the event loop. */
    @FunctionalInterface
    interface Opener {
        PeerSocket open(InetSocketAddress local, InetSocketAddress remote) throws IOException;
    }

    private final Map<InetSocketAddress, Peer> byAddress = new HashMap<>();
    private final Opener opener;
    private InetSocketAddress local;
    private boolean openFailureLogged;

    /** @param opener opens a peer's socket, or null when peer sockets are not supported (no epoll) */
    PeerSockets(Opener opener) {
        this.opener = opener;
    }

    /** The relay socket's own address, once bound: every peer socket binds to it too. */
    void bindTo(InetSocketAddress local) {
        this.local = local;
    }

    /** The peer socket for {@code remote}, made (and connected) when there is none; null when not supported. */
    Peer peer(InetSocketAddress remote, long nowNanos) {
        if (opener == null || local == null || remote == null) {
            return null;
        }
        Peer p = byAddress.get(remote);
        if (p == null) {
            p = new Peer(remote);
            p.idleSinceNanos = nowNanos;
            byAddress.put(remote, p);
        }
        if (!p.active()) {
            if (p.socket != null) {
                p.socket.close();
                p.socket = null;
            }
            try {
                p.socket = opener.open(local, remote);
            } catch (IOException | RuntimeException e) {
                // The relay socket still reaches the peer (with an envelope per datagram); retried on next use.
                if (!openFailureLogged) {
                    openFailureLogged = true;
                    LOG.warn("relay: no socket of its own for peer {} ({}); using the shared relay socket", remote,
                            e.toString());
                }
            }
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
                if (p.socket != null) {
                    p.socket.close();
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
            if (p.socket != null) {
                p.socket.close();
            }
        }
        byAddress.clear();
    }
}
