package io.relaymesh.node.sfu;

/**
 * Keeps one outgoing RTP stream continuous for a viewer while its source changes (another publisher, a
 * restarted encoder): outgoing sequence number and timestamp = incoming + an offset that is recomputed at
 * every source switch, so the viewer sees sequence numbers go up by one and time move forward, never back.
 *
 * <p>Sequence numbers are 16-bit and timestamps 32-bit, both wrap; all arithmetic is modular. Event loop only;
 * no allocation.
 */
final class StreamRewriter {

    private static final int SEQ_MASK = 0xFFFF;

    private final int clockRate;
    private boolean started;
    private int sourceEpoch = -1;
    private int seqOffset;
    private int tsOffset;
    /** Packets of the current source since its first forwarded one (0), at {@link #highestInSeq}. */
    private long highestSinceSwitch;
    private int lastOutSeq;
    private int lastOutTs;
    private long lastOutNanos;
    private int highestInSeq;

    /** Outputs of {@link #rewrite}: valid until the next call. */
    private int outSeq;
    private int outTs;

    StreamRewriter(int clockRate, int initialSeq, int initialTs) {
        this.clockRate = clockRate;
        this.lastOutSeq = (initialSeq - 1) & SEQ_MASK;
        this.lastOutTs = initialTs;
    }

    /**
     * Maps an incoming packet of source {@code epoch} to the outgoing numbering.
     *
     * @return false when the packet must not be sent: it belongs to an old source or precedes the first
     *         packet forwarded from this source
     */
    boolean rewrite(int epoch, int inSeq, int inTs, long nowNanos) {
        if (epoch != sourceEpoch) {
            if (epoch < sourceEpoch) {
                return false;
            }
            switchTo(epoch, inSeq, inTs, nowNanos);
        } else if (highestSinceSwitch + (short) (inSeq - highestInSeq) < 0) {
            return false; // older than where this source started for the viewer
        }
        outSeq = (inSeq + seqOffset) & SEQ_MASK;
        outTs = inTs + tsOffset;
        int ahead = (short) (inSeq - highestInSeq);
        if (ahead > 0) {
            lastOutSeq = outSeq;
            lastOutTs = outTs;
            lastOutNanos = nowNanos;
            highestInSeq = inSeq;
            highestSinceSwitch += ahead;
        }
        return true;
    }

    private void switchTo(int epoch, int inSeq, int inTs, long nowNanos) {
        int nextSeq = (lastOutSeq + 1) & SEQ_MASK;
        seqOffset = (nextSeq - inSeq) & SEQ_MASK;
        // Time continues: advance by the wall-clock gap since the last packet sent (at least one tick).
        long elapsedTicks = started ? Math.max(1, (nowNanos - lastOutNanos) * clockRate / 1_000_000_000L) : 0;
        tsOffset = (int) (lastOutTs + elapsedTicks - inTs);
        // The switching packet counts as one ahead of its predecessor, so it becomes the epoch's first (0).
        highestInSeq = (inSeq - 1) & SEQ_MASK;
        highestSinceSwitch = -1;
        sourceEpoch = epoch;
        started = true;
    }

    /** Outgoing sequence number of the last {@link #rewrite} that returned true. */
    int outSeq() {
        return outSeq;
    }

    /** Outgoing timestamp of the last {@link #rewrite} that returned true. */
    int outTs() {
        return outTs;
    }

    /**
     * The incoming sequence number that produced {@code outSeq} in the current epoch (NACK translation), or -1
     * when it was not forwarded from the current source.
     */
    int incomingSeq(int outgoingSeq) {
        if (!started) {
            return -1;
        }
        int in = (outgoingSeq - seqOffset) & SEQ_MASK;
        int behind = (short) (highestInSeq - in);
        if (behind < 0 || highestSinceSwitch - behind < 0) {
            return -1;
        }
        return in;
    }

    /** Outgoing minus incoming timestamp in the current epoch. */
    int tsOffset() {
        return tsOffset;
    }

    /** The current source epoch, -1 before the first packet. */
    int epoch() {
        return sourceEpoch;
    }

    boolean started() {
        return started;
    }

    int lastOutTs() {
        return lastOutTs;
    }

    long lastOutNanos() {
        return lastOutNanos;
    }

    int clockRate() {
        return clockRate;
    }
}
