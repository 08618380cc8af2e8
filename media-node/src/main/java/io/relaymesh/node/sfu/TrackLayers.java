package io.relaymesh.node.sfu;

import java.util.Arrays;

/**
 * The layers of one published track: one stream for a plain track, up to {@value #MAX_LAYERS} for a simulcast one
 * (RFC 8853), each its own {@link PublishedTrack} with its own SSRC, statistics, NACKs, retransmission cache and
 * keyframe requests. The room and viewers see the first layer learned (the primary) as "the track"; the viewers'
 * {@link DownTrack}s attach to the group and each picks the layer it forwards.
 *
 * <p>Layers are ranked low to high by resolution (VP8 keyframes carry it) when every layer has one, else by
 * the highest bitrate each has reached (so a layer the publisher pauses keeps its rank while its rate decays), never by
 * rid spelling;
 * {@link #rank} re-ranks, at most once per selection tick. Event loop
 * only; attaching and detaching viewers replaces the array (rare), forwarding reads it without allocating.
 */
final class TrackLayers {

    /** Simulcast layers per track at most (what browsers send). */
    static final int MAX_LAYERS = 3;
    private static final DownTrack[] NONE = new DownTrack[0];

    private final PublishedTrack[] learned = new PublishedTrack[MAX_LAYERS];
    private final PublishedTrack[] ranked = new PublishedTrack[MAX_LAYERS];
    /** Highest bitrate each learned layer reached: a layer the publisher pauses (its rate decays) keeps its rank. */
    private final long[] peakRate = new long[MAX_LAYERS];
    /**
     * Each learned layer's index (0..{@value #MAX_LAYERS} - 1): fixed for the track's life where it is published (the
     * order layers were learned in), and kept by every node a relay carries the track to, so a layer has one name
     * along the whole relay tree.
     */
    private final int[] indexes = new int[MAX_LAYERS];
    private int count;
    private DownTrack[] downTracks = NONE;
    private long rankedAtNanos = Long.MIN_VALUE;

    /** Adds a layer (the first one is the primary); false when the track already has the maximum. */
    boolean add(PublishedTrack layer) {
        return add(layer, count);
    }

    /** Adds a layer with the given {@link #indexOf index}; false when full or the index is taken or out of range. */
    boolean add(PublishedTrack layer, int index) {
        if (count == MAX_LAYERS || index < 0 || index >= MAX_LAYERS || byIndex(index) != null) {
            return false;
        }
        indexes[count] = index;
        learned[count] = layer;
        ranked[count] = layer;
        count++;
        rankedAtNanos = Long.MIN_VALUE;
        return true;
    }

    PublishedTrack primary() {
        return learned[0];
    }

    int count() {
        return count;
    }

    /** The layer of rank {@code rank} (0 lowest), clamped into the layers there are. */
    PublishedTrack layer(int rank) {
        return ranked[Math.max(0, Math.min(rank, count - 1))];
    }

    /** Rank of {@code layer}, -1 when it is not one of these. */
    int rankOf(PublishedTrack layer) {
        for (int i = 0; i < count; i++) {
            if (ranked[i] == layer) {
                return i;
            }
        }
        return -1;
    }

    /** The layer's index along the relay tree, -1 when it is not one of these. */
    int indexOf(PublishedTrack layer) {
        for (int i = 0; i < count; i++) {
            if (learned[i] == layer) {
                return indexes[i];
            }
        }
        return -1;
    }

    /** The layer with this index, or null. */
    PublishedTrack byIndex(int index) {
        for (int i = 0; i < count; i++) {
            if (indexes[i] == index) {
                return learned[i];
            }
        }
        return null;
    }

    /** The indexes of the layers learned, as a bit mask (bit i: index i). */
    int indexMask() {
        int mask = 0;
        for (int i = 0; i < count; i++) {
            mask |= 1 << indexes[i];
        }
        return mask;
    }

    /** The layer with this rid, or null. */
    PublishedTrack byRid(String rid) {
        for (int i = 0; i < count; i++) {
            if (rid.equals(learned[i].rid())) {
                return learned[i];
            }
        }
        return null;
    }

    /** Re-ranks the layers low to high; does nothing when already done at this instant. */
    void rank(long nowNanos) {
        if (nowNanos == rankedAtNanos || count < 2) {
            return;
        }
        rankedAtNanos = nowNanos;
        boolean byResolution = true;
        for (int i = 0; i < count; i++) {
            byResolution &= learned[i].width() > 0;
            long rate = learned[i].bitrate().bitsPerSecond(BitrateMeter.TEMPORAL_IDS, nowNanos);
            peakRate[i] = Math.max(peakRate[i], rate);
        }
        // Insertion sort of at most three: stable, so equal layers keep the order they were learned in.
        for (int i = 1; i < count; i++) {
            PublishedTrack x = ranked[i];
            long key = key(x, byResolution);
            int j = i - 1;
            while (j >= 0 && key(ranked[j], byResolution) > key) {
                ranked[j + 1] = ranked[j];
                j--;
            }
            ranked[j + 1] = x;
        }
    }

    private long key(PublishedTrack layer, boolean byResolution) {
        if (byResolution) {
            return (long) layer.width() * layer.height();
        }
        for (int i = 0; i < count; i++) {
            if (learned[i] == layer) {
                return peakRate[i];
            }
        }
        return 0;
    }

    void attach(DownTrack downTrack) {
        DownTrack[] next = Arrays.copyOf(downTracks, downTracks.length + 1);
        next[downTracks.length] = downTrack;
        downTracks = next;
    }

    void detach(DownTrack downTrack) {
        int index = -1;
        for (int i = 0; i < downTracks.length; i++) {
            if (downTracks[i] == downTrack) {
                index = i;
                break;
            }
        }
        if (index < 0) {
            return;
        }
        DownTrack[] next = new DownTrack[downTracks.length - 1];
        System.arraycopy(downTracks, 0, next, 0, index);
        System.arraycopy(downTracks, index + 1, next, index, downTracks.length - index - 1);
        downTracks = next.length == 0 ? NONE : next;
    }

    DownTrack[] downTracks() {
        return downTracks;
    }
}
