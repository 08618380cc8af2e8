package io.relaymesh.node.rtp.codec;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.protocol.ProtocolException;

/**
 * Reads MSB-first bit fields ({@code f(n)} and {@code ns(n)} of the AV1 RTP specification, appendix A.4.1) from a
 * byte range of a buffer, bounds-checked. Reusable: {@link #reset} points it at a new range without allocating.
 */
final class BitReader {

    private ByteBuf buf;
    private int start;
    private int endBit;
    private int bit;
    private String what;

    BitReader reset(ByteBuf buf, int offset, int length, String what) {
        this.buf = buf;
        this.start = offset;
        this.endBit = length * 8;
        this.bit = 0;
        this.what = what;
        return this;
    }

    /** {@code f(n)}: an unsigned {@code n}-bit number, {@code 0 <= n <= 31}. */
    int bits(int n, String field) throws ProtocolException {
        if (endBit - bit < n) {
            throw new ProtocolException(what + " truncated in " + field + ": needs " + n + " bits, "
                    + (endBit - bit) + " left");
        }
        int value = 0;
        for (int i = 0; i < n; i++, bit++) {
            int b = buf.getUnsignedByte(start + (bit >>> 3));
            value = (value << 1) | ((b >>> (7 - (bit & 7))) & 1);
        }
        return value;
    }

    boolean flag(String field) throws ProtocolException {
        return bits(1, field) != 0;
    }

    /** {@code ns(n)}: a non-symmetric unsigned number in {@code 0..n-1}, {@code n >= 1}. */
    int nonSymmetric(int n, String field) throws ProtocolException {
        int w = 32 - Integer.numberOfLeadingZeros(n);
        int m = (1 << w) - n;
        int v = bits(w - 1, field);
        if (v < m) {
            return v;
        }
        return (v << 1) - m + bits(1, field);
    }

    /** Bits consumed since {@link #reset}. */
    int position() {
        return bit;
    }
}
