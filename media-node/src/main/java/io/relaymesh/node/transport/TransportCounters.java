package io.relaymesh.node.transport;

import io.relaymesh.node.srtp.SrtpStatus;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the transport received, sent and dropped (and why), and how long forwarded packets stayed in the node.
 * Written on the event loop (sends also from DTLS threads) without locks or allocation, read by metrics and
 * tests.
 */
public final class TransportCounters {

    /** Reasons a datagram was dropped. */
    public enum Drop {
        UNKNOWN_KIND,
        STUN_MALFORMED,
        STUN_UNKNOWN_UFRAG,
        STUN_BAD_FINGERPRINT,
        STUN_BAD_INTEGRITY,
        STUN_NOT_REQUEST,
        DTLS_UNKNOWN_ADDRESS,
        MEDIA_UNKNOWN_ADDRESS,
        MEDIA_NOT_SECURE,
        SRTP_AUTH_FAILED,
        SRTP_REPLAYED,
        SRTP_OTHER,
        PROTECT_FAILED,
        /** A transport-cc or REMB packet from a peer that did not parse (the rest of its compound is still used). */
        RTCP_FEEDBACK_MALFORMED
    }

    private final Map<Drop, LongAdder> drops = new EnumMap<>(Drop.class);
    private final LongAdder[] packetsIn = adders(PacketKind.values().length);
    private final LongAdder[] bytesIn = adders(PacketKind.values().length);
    private final LongAdder[] packetsOut = adders(PacketKind.values().length);
    private final LongAdder[] bytesOut = adders(PacketKind.values().length);
    private final InNodeLatency latency = new InNodeLatency();

    public TransportCounters() {
        for (Drop d : Drop.values()) {
            drops.put(d, new LongAdder());
        }
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] out = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            out[i] = new LongAdder();
        }
        return out;
    }

    void drop(Drop reason) {
        drops.get(reason).increment();
    }

    void received(PacketKind kind, int bytes) {
        packetsIn[kind.ordinal()].increment();
        bytesIn[kind.ordinal()].add(bytes);
    }

    void sent(PacketKind kind, int bytes) {
        packetsOut[kind.ordinal()].increment();
        bytesOut[kind.ordinal()].add(bytes);
    }

    void notSecure() {
        drop(Drop.MEDIA_NOT_SECURE);
    }

    void protectFailed() {
        drop(Drop.PROTECT_FAILED);
    }

    void unprotectFailed(SrtpStatus status) {
        drop(switch (status) {
            case AUTH_FAILED -> Drop.SRTP_AUTH_FAILED;
            case REPLAYED -> Drop.SRTP_REPLAYED;
            default -> Drop.SRTP_OTHER;
        });
    }

    public long dropped(Drop reason) {
        return drops.get(reason).sum();
    }

    public long droppedTotal() {
        long sum = 0;
        for (LongAdder a : drops.values()) {
            sum += a.sum();
        }
        return sum;
    }

    /** Non-zero drop counts, e.g. {@code {STUN_MALFORMED=3}}. */
    public String describeDrops() {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<Drop, LongAdder> e : drops.entrySet()) {
            long n = e.getValue().sum();
            if (n > 0) {
                sb.append(sb.length() > 1 ? ", " : "").append(e.getKey()).append('=').append(n);
            }
        }
        return sb.append('}').toString();
    }

    public long datagramsIn() {
        return sum(packetsIn);
    }

    public long datagramsOut() {
        return sum(packetsOut);
    }

    /** Datagrams of {@code kind} received (before any check: dropped ones count too). */
    public long packetsIn(PacketKind kind) {
        return packetsIn[kind.ordinal()].sum();
    }

    /** Bytes of datagrams of {@code kind} received, as they arrived (SRTP tags included). */
    public long bytesIn(PacketKind kind) {
        return bytesIn[kind.ordinal()].sum();
    }

    /** Datagrams of {@code kind} queued on the socket. */
    public long packetsOut(PacketKind kind) {
        return packetsOut[kind.ordinal()].sum();
    }

    /** Bytes of datagrams of {@code kind} queued on the socket, as sent (SRTP tags included). */
    public long bytesOut(PacketKind kind) {
        return bytesOut[kind.ordinal()].sum();
    }

    /** Time forwarded RTP datagrams spent in the node. */
    public InNodeLatency latency() {
        return latency;
    }

    private static long sum(LongAdder[] adders) {
        long sum = 0;
        for (LongAdder a : adders) {
            sum += a.sum();
        }
        return sum;
    }
}
