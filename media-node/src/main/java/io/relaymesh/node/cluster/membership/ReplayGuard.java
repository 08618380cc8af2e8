package io.relaymesh.node.cluster.membership;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rejects replayed and stale messages. Sequences are microseconds since the epoch that never go backwards at
 * the sender, so a message is fresh when its sequence is within {@code maxAge} before and {@code maxSkew}
 * after the local clock; per sender the last {@link #WINDOW} accepted sequences are remembered, so a message
 * is new when it is above the oldest of them and not one of them. Reordering within the window is accepted.
 *
 * <p>Only authenticated messages reach this guard, so the number of senders is bounded by the cluster size;
 * the map is bounded anyway (least recently heard-from sender evicted).
 */
final class ReplayGuard {

    static final int WINDOW = 64;

    private final long maxAgeMicros;
    private final long maxSkewMicros;
    private final int maxSenders;
    private final Map<String, Window> bySender;

    ReplayGuard(long maxAgeMicros, long maxSkewMicros, int maxSenders) {
        this.maxAgeMicros = maxAgeMicros;
        this.maxSkewMicros = maxSkewMicros;
        this.maxSenders = maxSenders;
        this.bySender = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
                return size() > ReplayGuard.this.maxSenders;
            }
        };
    }

    /** Records {@code sequence} when it is new and fresh; otherwise says why not. */
    DropReason check(String sender, long sequence, long nowMicros) {
        if (sequence < nowMicros - maxAgeMicros) {
            return DropReason.STALE;
        }
        if (sequence > nowMicros + maxSkewMicros) {
            return DropReason.FUTURE;
        }
        Window w = bySender.computeIfAbsent(sender, s -> new Window());
        return w.accept(sequence) ? null : DropReason.REPLAYED;
    }

    int senders() {
        return bySender.size();
    }

    /** The recent sequences of one sender, sorted, and the floor below which everything is refused. */
    private static final class Window {
        private final long[] recent = new long[WINDOW];
        private int size;
        private long floor = Long.MIN_VALUE;

        boolean accept(long sequence) {
            if (sequence <= floor) {
                return false;
            }
            int at = Arrays.binarySearch(recent, 0, size, sequence);
            if (at >= 0) {
                return false;
            }
            int insert = -at - 1;
            if (size == WINDOW) {
                if (insert == 0) {
                    floor = sequence; // older than every remembered one: accept once, then it is the floor
                    return true;
                }
                floor = recent[0];
                System.arraycopy(recent, 1, recent, 0, insert - 1);
                recent[insert - 1] = sequence;
                return true;
            }
            System.arraycopy(recent, insert, recent, insert + 1, size - insert);
            recent[insert] = sequence;
            size++;
            return true;
        }
    }
}
