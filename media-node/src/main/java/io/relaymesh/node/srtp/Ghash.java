package io.relaymesh.node.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * GHASH, the universal hash of GCM (NIST SP 800-38D section 6.4), with 8-bit Shoup tables precomputed per key.
 *
 * <p>A block is held as two longs, {@code hi} = bytes 0..7 and {@code lo} = bytes 8..15, big-endian; GCM's bit 0
 * (coefficient of x^0) is the most significant bit of {@code hi}, so multiplying by x is a right shift with the
 * reduction constant {@code 0xE1} folded into the top byte. {@code table[b] = b * H} for every byte value (4 KiB per
 * key) and {@link #REDUCE} folds the eight bits a byte-shift pushes out, so one block costs 16 table look-ups.
 *
 * <p>Input is fed in sections ({@link #update} calls, closed by {@link #endSection}): GCM hashes the associated data
 * and the ciphertext each zero-padded to a whole block. Not thread-safe.
 */
final class Ghash {

    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final long R = 0xE1L << 56;
    private static final long[] REDUCE = new long[256];

    static {
        for (int r = 0; r < 256; r++) {
            long hi = 0;
            long lo = r;
            for (int i = 0; i < 8; i++) {
                long carry = lo & 1;
                lo = (lo >>> 1) | (hi << 63);
                hi = (hi >>> 1) ^ (carry != 0 ? R : 0);
            }
            REDUCE[r] = hi;
        }
    }

    private final long[] tableHi = new long[256];
    private final long[] tableLo = new long[256];
    private final byte[] pending = new byte[16];
    private int pendingLength;
    private long stateHi;
    private long stateLo;

    /** @param h the hash subkey {@code E(K, 0^128)}, 16 bytes */
    Ghash(byte[] h) {
        long vh = (long) LONG_BE.get(h, 0);
        long vl = (long) LONG_BE.get(h, 8);
        for (int bit = 0x80; bit > 0; bit >>= 1) {
            tableHi[bit] = vh;
            tableLo[bit] = vl;
            long carry = vl & 1;
            vl = (vl >>> 1) | (vh << 63);
            vh = (vh >>> 1) ^ (carry != 0 ? R : 0);
        }
        for (int power = 2; power < 256; power <<= 1) {
            for (int low = 1; low < power; low++) {
                tableHi[power | low] = tableHi[power] ^ tableHi[low];
                tableLo[power | low] = tableLo[power] ^ tableLo[low];
            }
        }
    }

    void reset() {
        stateHi = 0;
        stateLo = 0;
        pendingLength = 0;
    }

    void update(byte[] data, int offset, int length) {
        if (pendingLength > 0) {
            int n = Math.min(length, 16 - pendingLength);
            System.arraycopy(data, offset, pending, pendingLength, n);
            pendingLength += n;
            offset += n;
            length -= n;
            if (pendingLength < 16) {
                return;
            }
            block((long) LONG_BE.get(pending, 0), (long) LONG_BE.get(pending, 8));
            pendingLength = 0;
        }
        int end = offset + (length & ~15);
        for (; offset < end; offset += 16) {
            block((long) LONG_BE.get(data, offset), (long) LONG_BE.get(data, offset + 8));
        }
        int rest = length & 15;
        if (rest > 0) {
            System.arraycopy(data, offset, pending, 0, rest);
            pendingLength = rest;
        }
    }

    /** Zero-pads and hashes a partial block left by the current section. */
    void endSection() {
        if (pendingLength > 0) {
            Arrays.fill(pending, pendingLength, 16, (byte) 0);
            block((long) LONG_BE.get(pending, 0), (long) LONG_BE.get(pending, 8));
            pendingLength = 0;
        }
    }

    /** Hashes the length block ({@code len(A) || len(C)} in bits) and writes the 16-byte result. */
    void finish(long aadBytes, long ciphertextBytes, byte[] out, int offset) {
        endSection();
        block(aadBytes << 3, ciphertextBytes << 3);
        LONG_BE.set(out, offset, stateHi);
        LONG_BE.set(out, offset + 8, stateLo);
    }

    private void block(long hi, long lo) {
        long xh = stateHi ^ hi;
        long xl = stateLo ^ lo;
        long zh = 0;
        long zl = 0;
        // Horner over the bytes from the last (highest powers of x) to the first.
        for (int shift = 0; shift < 64; shift += 8) {
            int rem = (int) zl & 0xff;
            zl = (zl >>> 8) | (zh << 56);
            zh = (zh >>> 8) ^ REDUCE[rem];
            int b = (int) (xl >>> shift) & 0xff;
            zh ^= tableHi[b];
            zl ^= tableLo[b];
        }
        for (int shift = 0; shift < 64; shift += 8) {
            int rem = (int) zl & 0xff;
            zl = (zl >>> 8) | (zh << 56);
            zh = (zh >>> 8) ^ REDUCE[rem];
            int b = (int) (xh >>> shift) & 0xff;
            zh ^= tableHi[b];
            zl ^= tableLo[b];
        }
        stateHi = zh;
        stateLo = zl;
    }
}
