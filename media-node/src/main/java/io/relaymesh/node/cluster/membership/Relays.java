package io.relaymesh.node.cluster.membership;

import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Indirect probes this node runs for other members: the probe id of its own ping to the target, mapped to whom
 * to ack when the target answers. Bounded; entries expire after one probe interval.
 */
final class Relays {

    static final int MAX_RELAYS = 256;

    /** An indirect probe run for {@code originId}, whose probe id was {@code originProbeId}. */
    record Relay(InetSocketAddress origin, String originId, int originProbeId, long expiresNanos) {
    }

    private final Map<Integer, Relay> byProbeId = new LinkedHashMap<>();

    void add(int probeId, Relay relay, long nowNanos) {
        expire(nowNanos);
        if (byProbeId.size() >= MAX_RELAYS) {
            Iterator<Integer> eldest = byProbeId.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
        byProbeId.put(probeId, relay);
    }

    /** The relay waiting for the ack of {@code probeId}, removed; null when there is none. */
    Relay remove(int probeId) {
        return byProbeId.remove(probeId);
    }

    void expire(long nowNanos) {
        Iterator<Relay> it = byProbeId.values().iterator();
        while (it.hasNext()) {
            if (it.next().expiresNanos() - nowNanos > 0) {
                break; // insertion order is expiry order
            }
            it.remove();
        }
    }
}
