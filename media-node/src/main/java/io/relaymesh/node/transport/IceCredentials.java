package io.relaymesh.node.transport;

import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;

/**
 * An ICE username fragment and password (RFC 8445 section 5.3, RFC 8839 section 5.4): ufrag at least 4 and
 * password at least 22 ice-chars. The node's come from a cryptographic random source: together they are what
 * authenticates connectivity checks.
 */
public record IceCredentials(String ufrag, String pwd) {

    private static final char[] ICE_CHARS =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/".toCharArray();
    private static final int UFRAG_LENGTH = 8;
    private static final int PWD_LENGTH = 24;

    public IceCredentials {
        if (ufrag == null || ufrag.length() < 4 || ufrag.length() > 256 || !isIceChars(ufrag)) {
            throw new IllegalArgumentException("ice-ufrag must be 4 to 256 ice-chars");
        }
        if (pwd == null || pwd.length() < 22 || pwd.length() > 256 || !isIceChars(pwd)) {
            throw new IllegalArgumentException("ice-pwd must be 22 to 256 ice-chars");
        }
    }

    public static IceCredentials random(RandomGenerator random) {
        return new IceCredentials(randomString(random, UFRAG_LENGTH), randomString(random, PWD_LENGTH));
    }

    /** The MESSAGE-INTEGRITY key of short-term credentials: the password's bytes (RFC 5389 section 15.4). */
    public byte[] integrityKey() {
        return pwd.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + ", pwd=****]";
    }

    private static String randomString(RandomGenerator random, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ICE_CHARS[random.nextInt(ICE_CHARS.length)];
        }
        return new String(chars);
    }

    private static boolean isIceChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '/')) {
                return false;
            }
        }
        return true;
    }
}
