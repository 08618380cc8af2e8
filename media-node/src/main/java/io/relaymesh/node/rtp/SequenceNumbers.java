package io.relaymesh.node.rtp;

/**
 * Arithmetic on 16-bit RTP sequence numbers, which wrap from 65535 to 0 (RFC 3550 section 5.1). Two numbers
 * are compared by their shortest distance around the circle, so 0 is newer than 65535.
 */
public final class SequenceNumbers {

    public static final int MODULUS = 1 << 16;
    public static final int MASK = MODULUS - 1;

    private SequenceNumbers() {
    }

    /**
     * The signed distance {@code a - b} in -32768..32767. Exactly half the circle apart counts as -32768, so
     * of two numbers 32768 apart neither {@link #isNewer} the other.
     */
    public static int distance(int a, int b) {
        return (short) (a - b);
    }

    /** True when {@code a} comes after {@code b} by less than half the sequence space. */
    public static boolean isNewer(int a, int b) {
        return distance(a, b) > 0;
    }

    /** {@code seq + delta} modulo 2^16. */
    public static int add(int seq, int delta) {
        return (seq + delta) & MASK;
    }

    /** Steps from {@code from} forward to {@code to}, 0..65535. */
    public static int forwardDistance(int from, int to) {
        return (to - from) & MASK;
    }
}
