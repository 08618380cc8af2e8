package io.relaymesh.node.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in counter mode built on one AES/ECB {@link Cipher} keyed once per session key.
 *
 * <p>Both SRTP ciphers are counter modes: AES-CM (RFC 3711 section 4.1.1) counts in the low 16 bits of a 128-bit
 * block, GCM (NIST SP 800-38D) in the low 32. Re-initialising a JDK CTR or GCM cipher with a fresh IV for every
 * packet allocates parameter and engine objects; encrypting the counter blocks ourselves with an ECB cipher that
 * never changes key does not allocate, and the JDK still runs AES itself on the CPU's AES instructions.
 *
 * <p>Not thread-safe: the scratch arrays are per instance.
 */
final class AesKeystream {

    static final int BLOCK = 16;
    /** Counter blocks encrypted per {@link Cipher#update} call: a full-size packet takes two calls. */
    private static final int CHUNK_BLOCKS = 64;

    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_NATIVE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final Cipher ecb;
    private final byte[] counters = new byte[CHUNK_BLOCKS * BLOCK];
    private final byte[] keystream = new byte[CHUNK_BLOCKS * BLOCK];

    AesKeystream(byte[] key) {
        try {
            ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is not available in this JVM", e);
        }
    }

    /** Encrypts one block; {@code in} and {@code out} must be different arrays. */
    void encryptBlock(byte[] in, int inOffset, byte[] out, int outOffset) {
        try {
            ecb.update(in, inOffset, BLOCK, out, outOffset);
        } catch (ShortBufferException e) {
            throw new IllegalStateException("an AES block always fits its 16-byte output", e);
        }
    }

    /**
     * XORs the counter-mode keystream into {@code data[offset, offset + length)}.
     *
     * @param iv           16 bytes; its last four bytes are a big-endian counter base
     * @param firstCounter added to that base for the first block, then incremented per block (mod 2^32)
     */
    void xor(byte[] iv, int firstCounter, byte[] data, int offset, int length) {
        int base = (int) INT_BE.get(iv, 12);
        int counter = firstCounter;
        while (length > 0) {
            int blocks = Math.min(CHUNK_BLOCKS, (length + BLOCK - 1) / BLOCK);
            for (int b = 0; b < blocks; b++) {
                int at = b * BLOCK;
                System.arraycopy(iv, 0, counters, at, 12);
                INT_BE.set(counters, at + 12, base + counter++);
            }
            try {
                ecb.update(counters, 0, blocks * BLOCK, keystream, 0);
            } catch (ShortBufferException e) {
                throw new IllegalStateException("keystream scratch is sized for the counter blocks", e);
            }
            int n = Math.min(length, blocks * BLOCK);
            xorInto(data, offset, keystream, n);
            offset += n;
            length -= n;
        }
    }

    private static void xorInto(byte[] data, int offset, byte[] stream, int length) {
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            long v = (long) LONG_NATIVE.get(data, offset + i) ^ (long) LONG_NATIVE.get(stream, i);
            LONG_NATIVE.set(data, offset + i, v);
        }
        for (; i < length; i++) {
            data[offset + i] ^= stream[i];
        }
    }
}
