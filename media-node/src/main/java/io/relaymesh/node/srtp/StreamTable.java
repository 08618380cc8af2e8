package io.relaymesh.node.srtp;

/**
 * A bounded open-addressing map from SSRC ({@code int}, no boxing) to {@link StreamState}, with linear probing and
 * backward-shift deletion. All states are allocated up front; a full table refuses new SSRCs instead of growing,
 * so a peer spraying random SSRCs cannot make a session use more memory.
 */
final class StreamTable {

    private final int capacity;
    private final int mask;
    private final int[] keys;
    private final StreamState[] values;
    private final StreamState[] free;
    private int freeCount;

    StreamTable(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
        int slots = Integer.highestOneBit(capacity * 2 - 1) << 1; // load factor at most 1/2
        this.mask = slots - 1;
        this.keys = new int[slots];
        this.values = new StreamState[slots];
        this.free = new StreamState[capacity];
        for (int i = 0; i < capacity; i++) {
            free[i] = new StreamState();
        }
        this.freeCount = capacity;
    }

    int size() {
        return capacity - freeCount;
    }

    boolean isFull() {
        return freeCount == 0;
    }

    /** The state of {@code ssrc}, or null when it is not tracked. */
    StreamState get(int ssrc) {
        for (int i = home(ssrc); ; i = (i + 1) & mask) {
            StreamState v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == ssrc) {
                return v;
            }
        }
    }

    /** The state of {@code ssrc}, added fresh when new; null when new and the table is full. */
    StreamState getOrAdd(int ssrc) {
        int i = home(ssrc);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == ssrc) {
                return values[i];
            }
        }
        if (freeCount == 0) {
            return null;
        }
        StreamState state = free[--freeCount];
        free[freeCount] = null;
        state.reset();
        keys[i] = ssrc;
        values[i] = state;
        return state;
    }

    boolean remove(int ssrc) {
        int i = home(ssrc);
        while (true) {
            if (values[i] == null) {
                return false;
            }
            if (keys[i] == ssrc) {
                break;
            }
            i = (i + 1) & mask;
        }
        free[freeCount++] = values[i];
        values[i] = null;
        // Pull later entries of the probe run back into the hole so lookups never stop early.
        for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int h = home(keys[j]);
            boolean stays = i <= j ? (i < h && h <= j) : (i < h || h <= j);
            if (!stays) {
                keys[i] = keys[j];
                values[i] = values[j];
                values[j] = null;
                i = j;
            }
        }
        return true;
    }

    private int home(int ssrc) {
        int h = ssrc * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }
}
