package io.relaymesh.node.srtp;

/**
 * The per-profile packet transform of one SRTP or SRTCP key set, working in place on a byte array.
 *
 * <p>{@link SrtpSession} parses headers, tracks indices and replay, and hands the cipher the packet bytes: the
 * backing array of a heap buffer, or a per-session copy of a direct one. Implementations keep reusable scratch
 * state and are not thread-safe. {@code off} is where the packet starts in {@code p}; all lengths are in bytes.
 */
sealed interface SrtpCipher permits AesCmHmacSha1, AesGcm {

    /** Bytes appended to an SRTP packet. */
    int rtpTrailerLength();

    /** Bytes appended to an SRTCP packet: the tag and the 4-byte {@code E || SRTCP index} word. */
    int rtcpTrailerLength();

    /** Where the {@code E || SRTCP index} word of a protected SRTCP packet of {@code length} bytes starts. */
    int rtcpIndexOffset(int length);

    /**
     * Encrypts {@code p[off + headerLength, off + length)} and writes the trailer at {@code off + length}.
     *
     * @param index the 48-bit packet index {@code ROC << 16 | SEQ}
     */
    void protectRtp(byte[] p, int off, int headerLength, int length, int ssrc, long index);

    /**
     * Verifies the trailer of the SRTP packet {@code p[off, off + length)} and, only when it verifies, decrypts
     * the payload in place.
     *
     * @return false when authentication failed (nothing was changed)
     */
    boolean unprotectRtp(byte[] p, int off, int headerLength, int length, int ssrc, long index);

    /** Encrypts everything after the first 8 bytes of the compound RTCP packet and appends the trailer (E = 1). */
    void protectRtcp(byte[] p, int off, int length, int ssrc, int srtcpIndex);

    /**
     * Verifies the SRTCP packet {@code p[off, off + length)} (trailer included) and, when its E flag is set,
     * decrypts it in place.
     *
     * @return false when authentication failed
     */
    boolean unprotectRtcp(byte[] p, int off, int length, int ssrc);

    /** Compares {@code expected[0, length)} with {@code p[at, at + length)} in time independent of the content. */
    static boolean tagEquals(byte[] expected, byte[] p, int at, int length) {
        int diff = 0;
        for (int i = 0; i < length; i++) {
            diff |= expected[i] ^ p[at + i];
        }
        return diff == 0;
    }
}
