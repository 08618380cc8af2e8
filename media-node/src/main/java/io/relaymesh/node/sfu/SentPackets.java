package io.relaymesh.node.sfu;

import java.util.Arrays;

/**
 * What one viewer was sent, by outgoing sequence number, so its NACKs are answered from the right layer's cache
 * with the same header fields even after a layer or source switch: the layer it came from, its incoming sequence
 * number, the outgoing timestamp and VP8 picture id / TL0PICIDX. A ring of the last {@value #CAPACITY} packets
 * (about a second of a 1.5 Mbit/s stream; older NACKs go unanswered, as the retransmission cache's age bound would
 * make them anyway). Holds references to layers, not buffers. Event loop only; no allocation.
 */
final class SentPackets {

    static final int CAPACITY = 1024;
    private static final int MASK = CAPACITY - 1;

    private final int[] outSeq = new int[CAPACITY];
    private final int[] inSeq = new int[CAPACITY];
    private final int[] outTs = new int[CAPACITY];
    private final int[] pictureId = new int[CAPACITY];
    private final int[] tl0PicIdx = new int[CAPACITY];
    private final PublishedTrack[] layer = new PublishedTrack[CAPACITY];
    private final long[] resentAt = new long[CAPACITY];

    SentPackets() {
        Arrays.fill(outSeq, -1);
    }

    void record(int seq, PublishedTrack from, int incomingSeq, int ts, int picture, int tl0) {
        int slot = seq & MASK;
        outSeq[slot] = seq;
        inSeq[slot] = incomingSeq;
        outTs[slot] = ts;
        pictureId[slot] = picture;
        tl0PicIdx[slot] = tl0;
        layer[slot] = from;
        resentAt[slot] = Long.MIN_VALUE;
    }

    /**
     * Whether the packet in {@code slot} may be resent now: not resent within {@code minIntervalNanos} (a viewer
     * repeats a NACK until the retransmission arrives; answering every repeat multiplies the load on a link that is
     * already losing). Marks it resent when it may.
     */
    boolean mayResend(int slot, long nowNanos, long minIntervalNanos) {
        if (resentAt[slot] != Long.MIN_VALUE && nowNanos - resentAt[slot] < minIntervalNanos) {
            return false;
        }
        resentAt[slot] = nowNanos;
        return true;
    }

    /** The slot holding outgoing sequence number {@code seq}, -1 when it is not remembered. */
    int find(int seq) {
        int slot = seq & MASK;
        return outSeq[slot] == seq ? slot : -1;
    }

    PublishedTrack layer(int slot) {
        return layer[slot];
    }

    int incomingSeq(int slot) {
        return inSeq[slot];
    }

    int outTs(int slot) {
        return outTs[slot];
    }

    int pictureId(int slot) {
        return pictureId[slot];
    }

    int tl0PicIdx(int slot) {
        return tl0PicIdx[slot];
    }

    /** Forgets everything (the viewer's track closed), dropping the references to layers. */
    void clear() {
        Arrays.fill(outSeq, -1);
        Arrays.fill(layer, null);
    }
}
