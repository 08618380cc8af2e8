package io.relaymesh.node.transport;

import io.relaymesh.node.srtp.SrtpStatus;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What the transport dropped, and why; written on the event loop, read by metrics and tests. */
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
        PROTECT_FAILED
    }

    private final Map<Drop, LongAdder> drops = new EnumMap<>(Drop.class);
    private final LongAdder datagramsIn = new LongAdder();
    private final LongAdder datagramsOut = new LongAdder();

    public TransportCounters() {
        for (Drop d : Drop.values()) {
            drops.put(d, new LongAdder());
        }
    }

    void drop(Drop reason) {
        drops.get(reason).increment();
    }

    void received() {
        datagramsIn.increment();
    }

    void sent() {
        datagramsOut.increment();
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
        return datagramsIn.sum();
    }

    public long datagramsOut() {
        return datagramsOut.sum();
    }
}
