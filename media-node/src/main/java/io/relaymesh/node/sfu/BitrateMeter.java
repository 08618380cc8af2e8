package io.relaymesh.node.sfu;

/**
 * Bitrate of one stream over the last second, split by temporal layer, so layer selection can ask what a viewer
 * would receive with temporal layers {@code 0..t}. Ten 100 ms slots per temporal id; the slot being filled
 * counts too, so a steady stream reads up to 10 % low. Event loop only; no allocation.
 */
final class BitrateMeter {

    /** Temporal ids counted separately (VP8 allows 0..3); higher ones count as the highest. */
    static final int TEMPORAL_IDS = 4;
    static final int SLOTS = 10;
    static final long SLOT_NANOS = 100_000_000L;
    private static final long WINDOW_NANOS = SLOTS * SLOT_NANOS;
    /** Empty slots in a row that end a run of sending (a paused layer; a 5 fps stream leaves at most two). */
    static final int GAP_SLOTS = 5;

    private final long[] bytes = new long[SLOTS * TEMPORAL_IDS];
    private final long[] lastSeenSlot = new long[TEMPORAL_IDS];
    private long currentSlot = Long.MIN_VALUE;
    /** The slot of the last byte counted, and the first slot of the run of sending it belongs to. */
    private long lastSlot = Long.MIN_VALUE;
    private long runStartSlot = Long.MIN_VALUE;

    BitrateMeter() {
        java.util.Arrays.fill(lastSeenSlot, Long.MIN_VALUE);
    }

    /** Counts {@code length} bytes of temporal layer {@code temporalId} (negative: not layered, counts as 0). */
    void add(int temporalId, int length, long nowNanos) {
        roll(nowNanos);
        if (lastSlot == Long.MIN_VALUE || currentSlot - lastSlot > GAP_SLOTS) {
            runStartSlot = currentSlot;
        }
        lastSlot = currentSlot;
        int tid = Math.min(Math.max(temporalId, 0), TEMPORAL_IDS - 1);
        bytes[(int) Math.floorMod(currentSlot, (long) SLOTS) * TEMPORAL_IDS + tid] += length;
        lastSeenSlot[tid] = currentSlot;
    }

    /** Bits per second of temporal layers {@code 0..maxTemporal} over the last second. */
    long bitsPerSecond(int maxTemporal, long nowNanos) {
        roll(nowNanos);
        int top = Math.min(maxTemporal, TEMPORAL_IDS - 1);
        long sum = 0;
        for (int s = 0; s < SLOTS; s++) {
            for (int t = 0; t <= top; t++) {
                sum += bytes[s * TEMPORAL_IDS + t];
            }
        }
        return sum * 8 * 1_000_000_000L / WINDOW_NANOS;
    }

    /** Temporal layers seen in the last second (the highest temporal id + 1), 0 when the stream is silent. */
    int temporalLayers(long nowNanos) {
        roll(nowNanos);
        for (int t = TEMPORAL_IDS - 1; t >= 0; t--) {
            if (lastSeenSlot[t] != Long.MIN_VALUE && currentSlot - lastSeenSlot[t] < SLOTS) {
                return t + 1;
            }
        }
        return 0;
    }

    /**
     * Whether the stream has been sending without a pause for the whole window and still is: then
     * {@link #bitsPerSecond} measures its rate. Right after it starts (or resumes) the window is partly empty and
     * reads low, and after it stops the reading decays to zero; either way a layer looks cheaper than it is.
     */
    boolean steady(long nowNanos) {
        roll(nowNanos);
        return lastSlot != Long.MIN_VALUE && currentSlot - lastSlot <= GAP_SLOTS
                && currentSlot - runStartSlot >= SLOTS - 1;
    }

    private void roll(long nowNanos) {
        long slot = Math.floorDiv(nowNanos, SLOT_NANOS);
        if (slot <= currentSlot) {
            return;
        }
        long stale = currentSlot == Long.MIN_VALUE ? SLOTS : Math.min(SLOTS, slot - currentSlot);
        for (long k = 0; k < stale; k++) {
            int base = (int) Math.floorMod(slot - k, (long) SLOTS) * TEMPORAL_IDS;
            for (int t = 0; t < TEMPORAL_IDS; t++) {
                bytes[base + t] = 0;
            }
        }
        currentSlot = slot;
    }
}
