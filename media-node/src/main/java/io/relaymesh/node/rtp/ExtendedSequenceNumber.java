package io.relaymesh.node.rtp;

/**
 * Extends one stream's 16-bit sequence numbers to 64 bits by counting wrap-arounds, in the spirit of
 * RFC 3550 appendix A.1 (cycles count) and RFC 3711 section 3.3.1 (rollover counter). Mutable, one per
 * stream, not thread-safe, allocation-free.
 *
 * <p>Each number is placed at the shortest distance from the highest one seen so far: a number up to 32767
 * ahead advances the highest (crossing 65535 to 0 increments the cycle count), one behind is a late or
 * reordered packet and is placed in the cycle it belongs to without moving the highest. A late packet from
 * before the very first one, across a wrap, gets a negative extended number.
 */
public final class ExtendedSequenceNumber {

    private boolean started;
    private long highest;

    /** Returns the extended sequence number of {@code seq} (0..65535) and advances the highest if newer. */
    public long unwrap(int seq) {
        int s = seq & SequenceNumbers.MASK;
        if (!started) {
            started = true;
            highest = s;
            return s;
        }
        long extended = highest + SequenceNumbers.distance(s, (int) highest);
        if (extended > highest) {
            highest = extended;
        }
        return extended;
    }

    /** The highest extended sequence number so far, or -1 before the first packet. */
    public long highest() {
        return started ? highest : -1;
    }

    /** Wrap-arounds of the highest sequence number (RFC 3550's {@code cycles / 2^16}, SRTP's ROC). */
    public int cycles() {
        return started ? (int) (highest >> 16) : 0;
    }

    /** Forgets the stream, e.g. after an SSRC change. */
    public void reset() {
        started = false;
        highest = 0;
    }
}
