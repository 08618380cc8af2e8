package io.relaymesh.node.srtp;

/**
 * Outcome of protecting or unprotecting one SRTP or SRTCP packet.
 *
 * <p>{@link SrtpSession} reports problems with a status rather than an exception: forged or garbage packets
 * arrive at line rate on a public port, and building an exception per packet would turn a flood into a CPU and
 * garbage problem. Any status other than {@link #OK} leaves the packet unusable; the caller drops it and counts it.
 */
public enum SrtpStatus {

    /** The packet was protected or unprotected in place. */
    OK,

    /** Shorter than its fixed header, its own header (CSRCs, extension) or the SRTP/SRTCP trailer. */
    TOO_SHORT,

    /** Not an RTP/RTCP version 2 packet. */
    MALFORMED,

    /** The authentication tag did not verify (wrong key, corrupted or forged packet). Nothing was decrypted. */
    AUTH_FAILED,

    /** Already received, or older than the replay window (RFC 3711 section 3.3.2). */
    REPLAYED,

    /** A new SSRC, but the session already tracks {@link SrtpSession#MAX_SSRCS} of them. */
    SSRC_LIMIT_REACHED,

    /** {@code protectRtp}/{@code protectRtcp}: the buffer cannot grow by the trailer the profile appends. */
    NO_TAIL_ROOM,

    /** {@code protectRtcp}: the 31-bit SRTCP index of this SSRC is used up; the session must be re-keyed. */
    INDEX_EXHAUSTED
}
