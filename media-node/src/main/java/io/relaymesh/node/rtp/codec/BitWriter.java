package io.relaymesh.node.rtp.codec;

import io.netty.buffer.ByteBuf;

/**
 * Writes MSB-first bit fields into a byte range that the caller has zeroed, the inverse of {@link BitReader}.
 * {@link #measure()} makes a writer that only counts, so an encoder can size its output with the same code.
 */
final class BitWriter {

    private final ByteBuf buf;
    private final int start;
    private int bit;

    private BitWriter(ByteBuf buf, int start) {
        this.buf = buf;
        this.start = start;
    }

    static BitWriter into(ByteBuf buf, int offset) {
        return new BitWriter(buf, offset);
    }

    static BitWriter measure() {
        return new BitWriter(null, 0);
    }

    void bits(int n, int value) {
        for (int i = n - 1; i >= 0; i--, bit++) {
            if (buf != null && ((value >>> i) & 1) != 0) {
                int at = start + (bit >>> 3);
                buf.setByte(at, buf.getUnsignedByte(at) | (0x80 >>> (bit & 7)));
            }
        }
    }

    void flag(boolean value) {
        bits(1, value ? 1 : 0);
    }

    /** Inverse of {@link BitReader#nonSymmetric}. */
    void nonSymmetric(int n, int value) {
        int w = 32 - Integer.numberOfLeadingZeros(n);
        int m = (1 << w) - n;
        if (value < m) {
            bits(w - 1, value);
        } else {
            int v = value + m;
            bits(w - 1, v >>> 1);
            bits(1, v & 1);
        }
    }

    int position() {
        return bit;
    }

    /** Whole bytes the bits written so far occupy. */
    int bytes() {
        return (bit + 7) >>> 3;
    }
}
