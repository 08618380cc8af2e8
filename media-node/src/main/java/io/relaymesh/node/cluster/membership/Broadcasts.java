package io.relaymesh.node.cluster.membership;

import io.relaymesh.node.cluster.wire.MemberUpdate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates waiting to be gossiped, at most one per member (a newer update about a member replaces the older
 * one). Each is sent a bounded number of times, least-sent first, so fresh news goes out before old news and
 * the queue drains: with the limit at {@code multiplier * ceil(log10(N + 1))} an update reaches every member
 * with high probability (SWIM section 4.1, as tuned by memberlist).
 */
final class Broadcasts {

    private static final Comparator<Pending> LEAST_SENT_NEWEST_FIRST =
            Comparator.comparingInt((Pending p) -> p.transmits).thenComparing(p -> -p.order);

    private final Map<String, Pending> byMember = new HashMap<>();
    private long order;

    private static final class Pending {
        final MemberUpdate update;
        final int length;
        final long order;
        int transmits;

        Pending(MemberUpdate update, long order) {
            this.update = update;
            this.length = update.encodedLength();
            this.order = order;
        }
    }

    void add(MemberUpdate update) {
        byMember.put(update.nodeId(), new Pending(update, order++));
    }

    boolean isEmpty() {
        return byMember.isEmpty();
    }

    int size() {
        return byMember.size();
    }

    /**
     * Takes the updates that fit in {@code budget} bytes (at most {@code maxCount}), counting one transmission
     * for each and forgetting those sent {@code limit} times.
     */
    List<MemberUpdate> take(int budget, int maxCount, int limit) {
        if (byMember.isEmpty() || budget <= 0) {
            return List.of();
        }
        List<Pending> candidates = new ArrayList<>(byMember.values());
        candidates.sort(LEAST_SENT_NEWEST_FIRST);
        List<MemberUpdate> out = new ArrayList<>();
        int left = budget;
        for (Pending p : candidates) {
            if (out.size() == maxCount) {
                break;
            }
            if (p.length > left) {
                continue;
            }
            left -= p.length;
            out.add(p.update);
            if (++p.transmits >= limit) {
                byMember.remove(p.update.nodeId(), p);
            }
        }
        return out;
    }
}
