package io.relaymesh.node.sfu;

/**
 * Keeps one outgoing RTP stream continuous for a viewer while its source changes (another publisher, a
 * restarted encoder, another simulcast layer): outgoing sequence number and timestamp = incoming + an offset that
 * is recomputed at every source switch, so the viewer sees sequence numbers go up by one and time move forward,
 * never back.
 *
 * <p>Packets the viewer does not get (a temporal layer above its target) are {@link #skip skipped}: the sequence
 * offset shrinks by one so the viewer sees no gap for them; only real loss leaves gaps. Because the offset changes
 * within a source, the outgoing number of every incoming one from the last {@value #HISTORY} is remembered, so a
 * late (reordered) or duplicated packet gets the number reserved for it when its gap was seen.
 *
 * <p>Sequence numbers are 16-bit and timestamps 32-bit, both wrap; all arithmetic is modular. Event loop only;
 * no allocation.
 */
final class StreamRewriter {

    private static final int SEQ_MASK = 0xFFFF;
    /** Incoming sequence numbers whose outgoing numbers are remembered (late and duplicate packets). */
    static final int HISTORY = 1024;
    private static final int HISTORY_MASK = HISTORY - 1;
    /** Marks a remembered incoming number that was skipped (not sent). */
    private static final int SKIPPED = -1;

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
    /** Outgoing timestamp the next switch should use, when the caller knows it (sender report mapping). */
    private long nextSwitchTs = NO_HINT;
    private static final long NO_HINT = Long.MIN_VALUE;
    private final int[] historyIn = new int[HISTORY];
    private final int[] historyOut = new int[HISTORY];

    /** Outputs of {@link #rewrite}: valid until the next call. */
    private int outSeq;
    private int outTs;

    StreamRewriter(int clockRate, int initialSeq, int initialTs) {
        this.clockRate = clockRate;
        this.lastOutSeq = (initialSeq - 1) & SEQ_MASK;
        this.lastOutTs = initialTs;
        java.util.Arrays.fill(historyIn, -1);
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
        }
        int ahead = (short) (inSeq - highestInSeq);
        if (ahead > 0) {
            reserveGap(ahead);
            outSeq = (inSeq + seqOffset) & SEQ_MASK;
            remember(inSeq, outSeq);
            lastOutSeq = outSeq;
            lastOutTs = inTs + tsOffset;
            lastOutNanos = nowNanos;
            highestInSeq = inSeq;
            highestSinceSwitch += ahead;
        } else {
            if (highestSinceSwitch + ahead < 0 || -ahead >= HISTORY) {
                return false; // older than where this source started for the viewer, or than what is remembered
            }
            int slot = inSeq & HISTORY_MASK;
            if (historyIn[slot] != inSeq || historyOut[slot] == SKIPPED) {
                return false;
            }
            outSeq = historyOut[slot];
        }
        outTs = inTs + tsOffset;
        return true;
    }

    /**
     * Accounts a packet of source {@code epoch} the viewer does not get, so the next one sent takes its number.
     * A skipped packet that arrives late (behind a newer one) keeps the number reserved for it: the viewer sees
     * that one gap.
     */
    void skip(int epoch, int inSeq) {
        if (epoch != sourceEpoch) {
            return;
        }
        int ahead = (short) (inSeq - highestInSeq);
        if (ahead <= 0) {
            return;
        }
        reserveGap(ahead);
        remember(inSeq, SKIPPED);
        highestInSeq = inSeq;
        highestSinceSwitch += ahead;
        seqOffset = (seqOffset - 1) & SEQ_MASK;
    }

    /** Keeps outgoing numbers for the packets missing between the highest one and one {@code ahead} of it. */
    private void reserveGap(int ahead) {
        for (int k = Math.max(1, ahead - HISTORY + 1); k < ahead; k++) {
            int missing = (highestInSeq + k) & SEQ_MASK;
            remember(missing, (missing + seqOffset) & SEQ_MASK);
        }
    }

    private void remember(int inSeq, int out) {
        int slot = inSeq & HISTORY_MASK;
        historyIn[slot] = inSeq;
        historyOut[slot] = out;
    }

    /**
     * Sets the outgoing timestamp the first packet of the next source should get (from the two sources' sender
     * reports, so a simulcast layer switch keeps audio/video sync); ignored unless it moves time forward.
     */
    void nextSwitchTimestamp(int outTs) {
        nextSwitchTs = outTs;
    }

    private void switchTo(int epoch, int inSeq, int inTs, long nowNanos) {
        int nextSeq = (lastOutSeq + 1) & SEQ_MASK;
        seqOffset = (nextSeq - inSeq) & SEQ_MASK;
        // Time continues: advance by the wall-clock gap since the last packet sent (at least one tick).
        long elapsedTicks = started ? Math.max(1, (nowNanos - lastOutNanos) * clockRate / 1_000_000_000L) : 0;
        int nextTs = (int) (lastOutTs + elapsedTicks);
        if (started && nextSwitchTs != NO_HINT && (int) nextSwitchTs - lastOutTs > 0) {
            nextTs = (int) nextSwitchTs;
        }
        nextSwitchTs = NO_HINT;
        tsOffset = nextTs - inTs;
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
