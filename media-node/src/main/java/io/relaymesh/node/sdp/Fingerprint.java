package io.relaymesh.node.sdp;

import java.util.List;
import java.util.Locale;

/**
 * {@code a=fingerprint:<hash-func> <fingerprint>} (RFC 8122): the DTLS certificate hash, colon-separated hex
 * pairs. The value is stored upper-case so that comparisons do not depend on the peer's spelling.
 */
public record Fingerprint(String algorithm, String value) {

    public Fingerprint {
        algorithm = algorithm.toLowerCase(Locale.ROOT);
        value = value.toUpperCase(Locale.ROOT);
    }

    public static Fingerprint sha256(String value) {
        return new Fingerprint("sha-256", value);
    }

    static Fingerprint parse(String text) throws SdpException {
        List<String> w = SdpSyntax.words(text);
        if (w.size() != 2) {
            throw new SdpException("a=fingerprint must be '<hash-func> <hex pairs>', got '"
                    + SdpSyntax.abbreviate(text) + "'");
        }
        String algorithm = SdpSyntax.requireToken(w.get(0), "a=fingerprint hash function");
        String value = w.get(1);
        if (!isHexPairs(value)) {
            throw new SdpException("bad a=fingerprint value '" + SdpSyntax.abbreviate(value)
                    + "': expected colon-separated hex byte pairs");
        }
        return new Fingerprint(algorithm, value);
    }

    /** Number of bytes in the hash: 32 for sha-256. */
    public int byteLength() {
        return (value.length() + 1) / 3;
    }

    static boolean isHexPairs(String value) {
        if (value.length() < 2 || (value.length() + 1) % 3 != 0) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (i % 3 == 2) {
                if (c != ':') {
                    return false;
                }
            } else if (Character.digit(c, 16) < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return algorithm + " " + value;
    }
}
