package io.relaymesh.node.relay;

import io.netty.buffer.ByteBuf;

/**
 * Keeps a relayed stream continuous for the local room while its parent changes: each parent's copy has its own
 * sequence numbers and timestamps (its own {@code DownTrack}), so at the first packet from a new parent the
 * offsets are recomputed so that sequence numbers go on from the last one forwarded and time from the last
 * timestamp plus the wall-clock gap. Rewrites the RTP header in place; no allocation. Event loop only.
 *
 * <p>All arithmetic is modular (16-bit sequence numbers, 32-bit timestamps).
 */
final class SeqSplice {

    private static final int SEQ_OFFSET = 2;
    private static final int TS_OFFSET = 4;

    private final int clockRate;
    private int source = -1;
    private boolean started;
    private int seqOffset;
    private int tsOffset;
    /** First outgoing sequence number of the current source: NACKs below it are not the current parent's. */
    private int firstOutSeq;
    private int lastOutSeq;
    private int lastOutTs;
    private long lastOutNanos;

    SeqSplice(int clockRate) {
        this.clockRate = clockRate;
    }

    /**
     * Rewrites the sequence number and timestamp of the RTP packet at {@code packet}'s reader index (at least 12
     * readable bytes), received from source {@code source} (a new value at each parent change).
     */
    void apply(ByteBuf packet, int source, long nowNanos) {
        int at = packet.readerIndex();
        int inSeq = packet.getUnsignedShort(at + SEQ_OFFSET);
        int inTs = packet.getInt(at + TS_OFFSET);
        if (source != this.source) {
            if (started) {
                seqOffset = (lastOutSeq + 1 - inSeq) & 0xFFFF;
                long ticks = Math.max(1, (nowNanos - lastOutNanos) * clockRate / 1_000_000_000L);
                tsOffset = (int) (lastOutTs + ticks - inTs);
            }
            firstOutSeq = (inSeq + seqOffset) & 0xFFFF;
            lastOutSeq = (firstOutSeq - 1) & 0xFFFF;
            this.source = source;
            started = true;
        }
        int outSeq = (inSeq + seqOffset) & 0xFFFF;
        int outTs = inTs + tsOffset;
        if ((short) (outSeq - lastOutSeq) > 0) {
            lastOutSeq = outSeq;
            lastOutTs = outTs;
            lastOutNanos = nowNanos;
        }
        if (seqOffset != 0 || tsOffset != 0) {
            packet.setShort(at + SEQ_OFFSET, outSeq);
            packet.setInt(at + TS_OFFSET, outTs);
        }
    }

    /**
     * The current parent's sequence number for local (rewritten) sequence number {@code seq}, or -1 when it
     * precedes the current source (lost before the parent changed: nobody can resend it).
     */
    int upstreamSeq(int seq) {
        if (!started || (short) (seq - firstOutSeq) < 0) {
            return -1;
        }
        return (seq - seqOffset) & 0xFFFF;
    }
}
