package io.relaymesh.node.rtmp.handshake;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The digest ("complex") handshake that Flash Player 9+ and the librtmp and ffmpeg clients use: C1 and S1 carry
 * an HMAC-SHA256 digest at an offset chosen by the sender; S2 and C2 end with an HMAC keyed from the peer's
 * digest. It authenticates nothing (the keys are public) but clients that send it check the server's reply.
 *
 * <pre>
 * C1/S1 (1536 bytes): time (4) | version (4, non-zero) | two 764-byte blocks, in either order:
 *   digest block: offset (4) | random (offset) | digest (32) | random (764 - 4 - offset - 32)
 *   key block:    random ... | key (128) | ... | offset (4)    (only used by RTMPE; filled with random here)
 * Scheme 0: digest block at 8; scheme 1: digest block at 772.
 * Digest position = base + 4 + (sum of the 4 offset bytes) mod 728.
 * Digest = HMAC-SHA256(key, the 1504 bytes before and after the digest).
 * S2/C2 (1536 bytes): random (1504) | HMAC-SHA256(HMAC-SHA256(long key, peer's digest), random)
 * </pre>
 */
public final class HandshakeDigest {

    /** Size of C1, S1, C2, S2. */
    public static final int SIZE = 1536;
    public static final int DIGEST_LENGTH = 32;
    /** Where the digest block starts in scheme 0 and scheme 1. */
    public static final int[] BLOCK_BASES = {8, 772};

    private static final int OFFSET_MODULUS = 728;
    /** The 32 bytes that follow the text in both long keys. */
    private static final byte[] KEY_TAIL = {
        (byte) 0xF0, (byte) 0xEE, (byte) 0xC2, (byte) 0x4A, (byte) 0x80, (byte) 0x68, (byte) 0xBE, (byte) 0xE8,
        (byte) 0x2E, (byte) 0x00, (byte) 0xD0, (byte) 0xD1, (byte) 0x02, (byte) 0x9E, (byte) 0x7E, (byte) 0x57,
        (byte) 0x6E, (byte) 0xEC, (byte) 0x5D, (byte) 0x2D, (byte) 0x29, (byte) 0x80, (byte) 0x6F, (byte) 0xAB,
        (byte) 0x93, (byte) 0xB8, (byte) 0xE6, (byte) 0x36, (byte) 0xCF, (byte) 0xEB, (byte) 0x31, (byte) 0xAE
    };
    /** Client key: the text alone signs C1; text + tail keys C2's signature. */
    public static final byte[] PLAYER_KEY = withTail("Genuine Adobe Flash Player 001");
    /** Server key: the text alone signs S1, text + tail keys S2. */
    public static final byte[] SERVER_KEY = withTail("Genuine Adobe Flash Media Server 001");
    public static final int PLAYER_KEY_TEXT_LENGTH = 30;
    public static final int SERVER_KEY_TEXT_LENGTH = 36;

    private HandshakeDigest() {
    }

    private static byte[] withTail(String text) {
        byte[] head = text.getBytes(StandardCharsets.US_ASCII);
        byte[] key = Arrays.copyOf(head, head.length + KEY_TAIL.length);
        System.arraycopy(KEY_TAIL, 0, key, head.length, KEY_TAIL.length);
        return key;
    }

    /** Position of the digest in {@code sig} when its digest block starts at {@code base}. */
    public static int digestPosition(byte[] sig, int base) {
        int sum = (sig[base] & 0xFF) + (sig[base + 1] & 0xFF) + (sig[base + 2] & 0xFF) + (sig[base + 3] & 0xFF);
        return base + 4 + sum % OFFSET_MODULUS;
    }

    /** HMAC-SHA256 of {@code sig} without its 32 digest bytes at {@code position}. */
    public static byte[] digestOf(byte[] sig, int position, byte[] key, int keyLength) {
        Mac mac = hmac(key, keyLength);
        mac.update(sig, 0, position);
        mac.update(sig, position + DIGEST_LENGTH, SIZE - position - DIGEST_LENGTH);
        return mac.doFinal();
    }

    /**
     * The digest position of {@code sig} when it carries a valid digest under either scheme, else -1.
     */
    public static int findDigest(byte[] sig, byte[] key, int keyLength) {
        for (int base : BLOCK_BASES) {
            int position = digestPosition(sig, base);
            byte[] expected = digestOf(sig, position, key, keyLength);
            if (MessageDigest.isEqual(expected, Arrays.copyOfRange(sig, position, position + DIGEST_LENGTH))) {
                return position;
            }
        }
        return -1;
    }

    /** Writes the digest into {@code sig} (digest block at {@code base}) and returns its position. */
    public static int sign(byte[] sig, int base, byte[] key, int keyLength) {
        int position = digestPosition(sig, base);
        byte[] digest = digestOf(sig, position, key, keyLength);
        System.arraycopy(digest, 0, sig, position, DIGEST_LENGTH);
        return position;
    }

    /** Writes the S2/C2 signature (last 32 bytes) of {@code sig}, keyed from the peer's digest. */
    public static void signResponse(byte[] sig, byte[] peerDigest, byte[] longKey) {
        byte[] signature = responseSignature(sig, peerDigest, longKey);
        System.arraycopy(signature, 0, sig, SIZE - DIGEST_LENGTH, DIGEST_LENGTH);
    }

    /** The signature S2/C2 should end with. */
    public static byte[] responseSignature(byte[] sig, byte[] peerDigest, byte[] longKey) {
        byte[] key = hmac(longKey, longKey.length).doFinal(peerDigest);
        Mac mac = hmac(key, key.length);
        mac.update(sig, 0, SIZE - DIGEST_LENGTH);
        return mac.doFinal();
    }

    private static Mac hmac(byte[] key, int keyLength) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, 0, keyLength, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
