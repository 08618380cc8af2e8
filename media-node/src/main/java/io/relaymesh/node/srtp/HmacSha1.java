package io.relaymesh.node.srtp;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA1 (RFC 2104) over two reusable {@link MessageDigest}s.
 *
 * <p>{@code javax.crypto.Mac.doFinal(byte[], int)} allocates the digest it then copies out; this class computes the
 * same inner and outer hashes into caller-supplied arrays, so authenticating a packet allocates nothing. The work
 * per message is the same as the JDK's: the padded key block is hashed again for every message.
 */
final class HmacSha1 {

    static final int LENGTH = 20;
    private static final int BLOCK = 64;

    private final MessageDigest inner;
    private final MessageDigest outer;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] innerDigest = new byte[LENGTH];

    HmacSha1(byte[] key) {
        if (key.length > BLOCK) {
            throw new IllegalArgumentException("HMAC keys longer than one block are not used by SRTP");
        }
        try {
            inner = MessageDigest.getInstance("SHA-1");
            outer = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available in this JVM", e);
        }
        for (int i = 0; i < BLOCK; i++) {
            byte k = i < key.length ? key[i] : 0;
            innerPad[i] = (byte) (k ^ 0x36);
            outerPad[i] = (byte) (k ^ 0x5c);
        }
    }

    void begin() {
        inner.reset();
        inner.update(innerPad);
    }

    void update(byte[] data, int offset, int length) {
        inner.update(data, offset, length);
    }

    /** Writes the 20-byte MAC of everything passed to {@link #update} since {@link #begin}. */
    void finish(byte[] out, int offset) {
        try {
            inner.digest(innerDigest, 0, LENGTH);
            outer.reset();
            outer.update(outerPad);
            outer.update(innerDigest);
            outer.digest(out, offset, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("a SHA-1 digest always fits 20 bytes", e);
        }
    }
}
