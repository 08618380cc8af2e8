package io.relaymesh.node.relay;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The relay's counters for metrics, readable from any thread (Prometheus scrapes on its own). The event loop is
 * the only writer, so a count is a plain read plus an ordered store ({@code lazySet}): no CAS, no lock and no
 * allocation on the packet path; a peer's counters are made once, when the first link to it appears.
 */
public final class RelayCounters {

    /** Why a relay datagram or control message was dropped (the {@code reason} label). */
    public enum Drop {
        /** Too short to be an SRTP packet, or not RTP version 2. */
        MALFORMED("malformed"),
        /** No subscription on this node has the packet's channel (SSRC): stale or foreign. */
        UNKNOWN_CHANNEL("unknown_channel"),
        /** SRTP authentication failed, or a replay. */
        UNAUTHENTICATED("unauthenticated"),
        /** A control message that does not parse. */
        BAD_CONTROL("bad_control"),
        /** A subscription this node refused (unknown or ended track, stale boot id, channel limits). */
        REFUSED("refused"),
        /** A datagram a peer socket could not send: the kernel's send buffer was full or the peer unreachable. */
        SEND_FAILED("send_failed"),
        /** An error a peer socket's read reported (an ICMP error from the peer's host: its port closed). */
        RECEIVE_ERROR("receive_error");

        private final String label;

        Drop(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** What went to and came from one peer node (all its process lives together). */
    public static final class Peer {
        private final AtomicLong packetsSent = new AtomicLong();
        private final AtomicLong bytesSent = new AtomicLong();
        private final AtomicLong packetsReceived = new AtomicLong();
        private final AtomicLong bytesReceived = new AtomicLong();

        void sent(int bytes) {
            packetsSent.lazySet(packetsSent.get() + 1);
            bytesSent.lazySet(bytesSent.get() + bytes);
        }

        void received(int bytes) {
            packetsReceived.lazySet(packetsReceived.get() + 1);
            bytesReceived.lazySet(bytesReceived.get() + bytes);
        }

        public long packetsSent() {
            return packetsSent.get();
        }

        public long bytesSent() {
            return bytesSent.get();
        }

        public long packetsReceived() {
            return packetsReceived.get();
        }

        public long bytesReceived() {
            return bytesReceived.get();
        }
    }

    private final Map<String, Peer> peers = new ConcurrentHashMap<>();
    private final AtomicLong[] drops = new AtomicLong[Drop.values().length];
    private final AtomicLong keyframeRequestsSent = new AtomicLong();
    private final AtomicLong keyframeRequestsReceived = new AtomicLong();
    private final AtomicLong nacksSent = new AtomicLong();
    private volatile int subscriptionsIn;
    private volatile int subscriptionsOut;

    public RelayCounters() {
        for (int i = 0; i < drops.length; i++) {
            drops[i] = new AtomicLong();
        }
    }

    /** The counters of {@code node}, made on first use (event loop). */
    Peer peer(String node) {
        return peers.computeIfAbsent(node, n -> new Peer());
    }

    /** Every peer seen since start, by node id (a live view). */
    public Map<String, Peer> peers() {
        return java.util.Collections.unmodifiableMap(peers);
    }

    void drop(Drop reason) {
        AtomicLong c = drops[reason.ordinal()];
        c.lazySet(c.get() + 1);
    }

    public long dropped(Drop reason) {
        return drops[reason.ordinal()].get();
    }

    void keyframeRequestSent() {
        keyframeRequestsSent.lazySet(keyframeRequestsSent.get() + 1);
    }

    void keyframeRequestReceived() {
        keyframeRequestsReceived.lazySet(keyframeRequestsReceived.get() + 1);
    }

    void nacksSent(int seqs) {
        nacksSent.lazySet(nacksSent.get() + seqs);
    }

    void subscriptions(int in, int out) {
        subscriptionsIn = in;
        subscriptionsOut = out;
    }

    /** Keyframe requests this node sent to its parents. */
    public long keyframeRequestsSent() {
        return keyframeRequestsSent.get();
    }

    /** Keyframe requests this node's children sent to it. */
    public long keyframeRequestsReceived() {
        return keyframeRequestsReceived.get();
    }

    /** Sequence numbers this node NACKed to its parents. */
    public long nacksSent() {
        return nacksSent.get();
    }

    /** Streams this node receives from other nodes now. */
    public int subscriptionsIn() {
        return subscriptionsIn;
    }

    /** Streams this node sends to other nodes now. */
    public int subscriptionsOut() {
        return subscriptionsOut;
    }

    /** Relay media bytes sent to every peer since start (for the load the node gossips). */
    public long bytesSent() {
        long sum = 0;
        for (Peer p : peers.values()) {
            sum += p.bytesSent();
        }
        return sum;
    }
}
