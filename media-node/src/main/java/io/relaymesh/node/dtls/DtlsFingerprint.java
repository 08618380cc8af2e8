package io.relaymesh.node.dtls;

import io.relaymesh.node.protocol.ProtocolException;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * A certificate fingerprint as carried in SDP {@code a=fingerprint:<hash-func> <fingerprint>} (RFC 8122
 * section 5): a hash function name from the RFC 4572 registry and the hash of the DER certificate, written
 * as colon-separated hex pairs.
 *
 * <p>Parsing accepts either letter case in both parts (the grammar is case-insensitive); comparison is on
 * the hash bytes, so case never matters.
 */
public final class DtlsFingerprint {

    private static final HexFormat SDP_HEX = HexFormat.ofDelimiter(":").withUpperCase();

    /** Registry name (lower case) to JDK digest name; SHA-256 is what browsers use. */
    private static final Map<String, String> DIGESTS = Map.of(
            "sha-1", "SHA-1",
            "sha-224", "SHA-224",
            "sha-256", "SHA-256",
            "sha-384", "SHA-384",
            "sha-512", "SHA-512");

    private final String algorithm;
    private final byte[] hash;

    private DtlsFingerprint(String algorithm, byte[] hash) {
        this.algorithm = algorithm;
        this.hash = hash;
    }

    /**
     * Parses the two tokens of an SDP fingerprint attribute.
     *
     * @param algorithm hash function name, e.g. {@code sha-256} (any case)
     * @param value colon-separated hex pairs, e.g. {@code AB:CD:...} (any case)
     * @throws ProtocolException when the algorithm is unknown or the value is not hex pairs of the digest length
     */
    public static DtlsFingerprint parse(String algorithm, String value) throws ProtocolException {
        if (algorithm == null || value == null) {
            throw new ProtocolException("fingerprint algorithm and value are required");
        }
        String name = algorithm.trim().toLowerCase(Locale.ROOT);
        String digestName = DIGESTS.get(name);
        if (digestName == null) {
            throw new ProtocolException("unsupported fingerprint hash function '" + algorithm + "'");
        }
        int expectedLength = digest(digestName).getDigestLength();
        String text = value.trim();
        // Each byte is two hex digits plus a colon, except the last which has no colon.
        if (text.length() != expectedLength * 3 - 1) {
            throw new ProtocolException("fingerprint for " + name + " must be " + expectedLength
                    + " colon-separated hex bytes, got " + text.length() + " characters");
        }
        byte[] hash;
        try {
            hash = SDP_HEX.parseHex(text);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("fingerprint is not colon-separated hex bytes: " + e.getMessage());
        }
        return new DtlsFingerprint(name, hash);
    }

    /** The fingerprint of a DER-encoded certificate with the given hash function (registry name). */
    public static DtlsFingerprint of(String algorithm, byte[] derCertificate) {
        String name = algorithm.toLowerCase(Locale.ROOT);
        String digestName = DIGESTS.get(name);
        if (digestName == null) {
            throw new IllegalArgumentException("unsupported fingerprint hash function '" + algorithm + "'");
        }
        return new DtlsFingerprint(name, digest(digestName).digest(derCertificate));
    }

    /** Hash function name in lower case, as written in SDP ({@code sha-256}). */
    public String algorithm() {
        return algorithm;
    }

    /** The value as written in SDP: upper-case hex pairs separated by colons. */
    public String value() {
        return SDP_HEX.formatHex(hash);
    }

    /** Whether the DER-encoded certificate hashes to this fingerprint. */
    public boolean matches(byte[] derCertificate) {
        byte[] actual = digest(DIGESTS.get(algorithm)).digest(derCertificate);
        return MessageDigest.isEqual(actual, hash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DtlsFingerprint other
                && algorithm.equals(other.algorithm)
                && MessageDigest.isEqual(hash, other.hash);
    }

    @Override
    public int hashCode() {
        return algorithm.hashCode() * 31 + java.util.Arrays.hashCode(hash);
    }

    /** The SDP attribute value, e.g. {@code sha-256 AB:CD:...}. */
    @Override
    public String toString() {
        return algorithm + " " + value();
    }

    private static MessageDigest digest(String jdkName) {
        try {
            return MessageDigest.getInstance(jdkName);
        } catch (NoSuchAlgorithmException e) {
            // Every JDK ships SHA-1 and the SHA-2 family.
            throw new IllegalStateException("JDK lacks " + jdkName, e);
        }
    }
}
