package io.relaymesh.node.cluster.wire;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that authenticates cluster messages: HMAC-SHA256 under a key derived from the cluster secret with
 * HKDF-SHA256 (RFC 5869), so the secret itself (which also signs tokens) is never used as a MAC key. The salt
 * and info labels separate this key from any other use of the secret.
 *
 * <p>Not thread-safe (it keeps one {@link Mac}): each cluster event loop owns its instance.
 */
public final class ClusterKey {

    /** Bytes of the tag at the end of every message: the full HMAC-SHA256 output. */
    public static final int TAG_LENGTH = 32;

    static final byte[] SALT = "relaymesh cluster v1".getBytes(StandardCharsets.US_ASCII);
    static final byte[] INFO = "cluster message authentication".getBytes(StandardCharsets.US_ASCII);
    private static final String HMAC = "HmacSHA256";

    private final Mac mac;
    private final byte[] tag = new byte[TAG_LENGTH];
    private final byte[] expected = new byte[TAG_LENGTH];

    private ClusterKey(byte[] key) {
        try {
            mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** Derives the message key of the cluster whose secret is {@code secret}. */
    public static ClusterKey derive(Secret secret) {
        return new ClusterKey(hkdfSha256(SALT, secret.bytes(), INFO, 32));
    }

    /** HKDF-SHA256 extract-then-expand (RFC 5869 section 2). */
    static byte[] hkdfSha256(byte[] salt, byte[] ikm, byte[] info, int length) {
        if (length < 1 || length > 255 * 32) {
            throw new IllegalArgumentException("HKDF-SHA256 output length must be 1..8160");
        }
        try {
            Mac extract = Mac.getInstance(HMAC);
            extract.init(new SecretKeySpec(salt.length == 0 ? new byte[32] : salt, HMAC));
            byte[] prk = extract.doFinal(ikm);
            Mac expand = Mac.getInstance(HMAC);
            expand.init(new SecretKeySpec(prk, HMAC));
            byte[] out = new byte[length];
            byte[] block = new byte[0];
            for (int i = 1, done = 0; done < length; i++) {
                expand.update(block);
                expand.update(info);
                expand.update((byte) i);
                block = expand.doFinal();
                int n = Math.min(block.length, length - done);
                System.arraycopy(block, 0, out, done, n);
                done += n;
            }
            Arrays.fill(prk, (byte) 0);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Appends the tag of the {@code length} bytes at {@code from} to {@code out}. */
    public void sign(ByteBuf out, int from, int length) {
        computeTag(out, from, length, tag);
        out.writeBytes(tag);
    }

    /** Whether the tag that follows the {@code length} bytes at {@code from} is theirs (constant time). */
    public boolean verify(ByteBuf in, int from, int length) {
        if (in.writerIndex() - from - length < TAG_LENGTH) {
            return false;
        }
        computeTag(in, from, length, expected);
        in.getBytes(from + length, tag);
        return MessageDigest.isEqual(expected, tag);
    }

    /** The HMAC of the {@code length} bytes at {@code from}, into {@code into} (TAG_LENGTH bytes). */
    private void computeTag(ByteBuf buf, int from, int length, byte[] into) {
        mac.update(buf.nioBuffer(from, length));
        try {
            mac.doFinal(into, 0);
        } catch (javax.crypto.ShortBufferException e) {
            throw new IllegalStateException("a tag buffer is always TAG_LENGTH bytes", e);
        }
    }
}
