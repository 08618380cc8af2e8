package io.relaymesh.node.sfu;

import java.util.Arrays;

/**
 * Bitrate over the last second of what a viewer of a single scalable stream (VP9 SVC, AV1 with the dependency
 * descriptor) would receive at each (spatial, temporal) choice. Each cell counts the bytes of every packet that a
 * viewer at that choice gets, so a cell is already cumulative (all the layers it depends on); {@link ScalableLayers}
 * decides which cells a packet counts in. Also remembers which spatial and temporal ids were seen in the last
 * second, so a layer the publisher stops sending is not a choice, and since when each spatial id has been sent
 * without a pause, so a layer whose reading is partial is no step up. Ten 100 ms slots like {@link BitrateMeter};
 * event loop only; no allocation.
 */
final class LayerBitrates {

    /** Spatial ids counted separately (what browsers send: L3); higher ones count as the highest. */
    static final int SPATIAL_IDS = 4;
    static final int TEMPORAL_IDS = BitrateMeter.TEMPORAL_IDS;
    static final int CELLS = SPATIAL_IDS * TEMPORAL_IDS;
    private static final int SLOTS = BitrateMeter.SLOTS;
    private static final long WINDOW_NANOS = SLOTS * BitrateMeter.SLOT_NANOS;

    private final long[] bytes = new long[SLOTS * CELLS];
    private final long[] spatialSeenSlot = new long[SPATIAL_IDS];
    /** The first slot of the run of sending each spatial id's last packet belongs to. */
    private final long[] spatialRunStartSlot = new long[SPATIAL_IDS];
    private final long[] temporalSeenSlot = new long[TEMPORAL_IDS];
    private long currentSlot = Long.MIN_VALUE;

    LayerBitrates() {
        Arrays.fill(spatialSeenSlot, Long.MIN_VALUE);
        Arrays.fill(spatialRunStartSlot, Long.MIN_VALUE);
        Arrays.fill(temporalSeenSlot, Long.MIN_VALUE);
    }

    /** The cell of (spatial, temporal), both clamped into the counted ids. */
    static int cell(int spatial, int temporal) {
        return Math.clamp(spatial, 0, SPATIAL_IDS - 1) * TEMPORAL_IDS + Math.clamp(temporal, 0, TEMPORAL_IDS - 1);
    }

    /** Marks a packet of layer (spatialId, temporalId) as seen now. */
    void seen(int spatialId, int temporalId, long nowNanos) {
        roll(nowNanos);
        int sid = Math.clamp(spatialId, 0, SPATIAL_IDS - 1);
        if (spatialSeenSlot[sid] == Long.MIN_VALUE || currentSlot - spatialSeenSlot[sid] > BitrateMeter.GAP_SLOTS) {
            spatialRunStartSlot[sid] = currentSlot;
        }
        spatialSeenSlot[sid] = currentSlot;
        temporalSeenSlot[Math.clamp(temporalId, 0, TEMPORAL_IDS - 1)] = currentSlot;
    }

    /** Counts {@code length} bytes in cell {@code cell} (a viewer at that choice receives them). */
    void add(int cell, int length, long nowNanos) {
        roll(nowNanos);
        bytes[(int) Math.floorMod(currentSlot, (long) SLOTS) * CELLS + cell] += length;
    }

    /** Bits per second a viewer at (spatial, temporal) would have received over the last second. */
    long bitsPerSecond(int spatial, int temporal, long nowNanos) {
        roll(nowNanos);
        int c = cell(spatial, temporal);
        long sum = 0;
        for (int s = 0; s < SLOTS; s++) {
            sum += bytes[s * CELLS + c];
        }
        return sum * 8 * 1_000_000_000L / WINDOW_NANOS;
    }

    /** Whether spatial id {@code spatial} was seen in the last second. */
    boolean spatialActive(int spatial, long nowNanos) {
        roll(nowNanos);
        return spatial >= 0 && spatial < SPATIAL_IDS && recent(spatialSeenSlot[spatial]);
    }

    /**
     * Whether spatial id {@code spatial} has been sent without a pause for the whole window and still is, as
     * {@link BitrateMeter#steady}: only then do the cells that include it measure its rate. A layer the publisher
     * just turned on, or sends in bursts, reads low.
     */
    boolean spatialSteady(int spatial, long nowNanos) {
        roll(nowNanos);
        if (spatial < 0 || spatial >= SPATIAL_IDS || spatialSeenSlot[spatial] == Long.MIN_VALUE) {
            return false;
        }
        return currentSlot - spatialSeenSlot[spatial] <= BitrateMeter.GAP_SLOTS
                && currentSlot - spatialRunStartSlot[spatial] >= SLOTS - 1;
    }

    /** Spatial layers seen in the last second (the highest spatial id + 1), 0 when silent. */
    int spatialLayers(long nowNanos) {
        roll(nowNanos);
        return highestRecent(spatialSeenSlot) + 1;
    }

    /** Temporal layers seen in the last second (the highest temporal id + 1), 0 when silent. */
    int temporalLayers(long nowNanos) {
        roll(nowNanos);
        return highestRecent(temporalSeenSlot) + 1;
    }

    private int highestRecent(long[] seen) {
        for (int i = seen.length - 1; i >= 0; i--) {
            if (recent(seen[i])) {
                return i;
            }
        }
        return -1;
    }

    private boolean recent(long slot) {
        return slot != Long.MIN_VALUE && currentSlot - slot < SLOTS;
    }

    private void roll(long nowNanos) {
        long slot = Math.floorDiv(nowNanos, BitrateMeter.SLOT_NANOS);
        if (slot <= currentSlot) {
            return;
        }
        long stale = currentSlot == Long.MIN_VALUE ? SLOTS : Math.min(SLOTS, slot - currentSlot);
        for (long k = 0; k < stale; k++) {
            Arrays.fill(bytes, (int) Math.floorMod(slot - k, (long) SLOTS) * CELLS,
                    ((int) Math.floorMod(slot - k, (long) SLOTS) + 1) * CELLS, 0L);
        }
        currentSlot = slot;
    }
}
