package io.relaymesh.node.cluster.membership;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** Counts of dropped datagrams by reason: written on the protocol thread, readable from any thread. */
public final class DropCounters {

    private static final DropReason[] REASONS = DropReason.values();
    private final AtomicLongArray counts = new AtomicLongArray(REASONS.length);

    void count(DropReason reason) {
        counts.incrementAndGet(reason.ordinal());
    }

    public long get(DropReason reason) {
        return counts.get(reason.ordinal());
    }

    /** Every reason with its count (zeros included). */
    public Map<DropReason, Long> snapshot() {
        Map<DropReason, Long> out = new EnumMap<>(DropReason.class);
        for (DropReason r : REASONS) {
            out.put(r, counts.get(r.ordinal()));
        }
        return out;
    }

    public long total() {
        long sum = 0;
        for (int i = 0; i < counts.length(); i++) {
            sum += counts.get(i);
        }
        return sum;
    }
}
