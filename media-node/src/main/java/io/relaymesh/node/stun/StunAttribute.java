package io.relaymesh.node.stun;

/**
 * STUN attribute types used by relaymesh (RFC 5389 section 18.2, RFC 8445 section 16.1).
 *
 * <p>Every attribute is a TLV aligned on 32 bits (RFC 5389 section 15):
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Type                  |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Value (variable)                ....
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Length counts the value without its padding to the next multiple of four. Types below 0x8000 are
 * comprehension-required, the others comprehension-optional.
 */
public final class StunAttribute {

    /** Bytes of the type and length fields in front of every value. */
    public static final int HEADER_LENGTH = 4;

    public static final int MAPPED_ADDRESS = 0x0001;
    public static final int USERNAME = 0x0006;
    public static final int MESSAGE_INTEGRITY = 0x0008;
    public static final int ERROR_CODE = 0x0009;
    public static final int UNKNOWN_ATTRIBUTES = 0x000A;
    public static final int REALM = 0x0014;
    public static final int NONCE = 0x0015;
    public static final int MESSAGE_INTEGRITY_SHA256 = 0x001C;
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    /** ICE (RFC 8445 section 7.1.1): the candidate priority the peer would assign a peer-reflexive candidate. */
    public static final int PRIORITY = 0x0024;
    /** ICE: the controlling agent nominates this pair (no value). */
    public static final int USE_CANDIDATE = 0x0025;
    public static final int SOFTWARE = 0x8022;
    public static final int FINGERPRINT = 0x8028;
    /** ICE: sender is the controlled agent; value is its 64-bit tie-breaker. */
    public static final int ICE_CONTROLLED = 0x8029;
    /** ICE: sender is the controlling agent; value is its 64-bit tie-breaker. */
    public static final int ICE_CONTROLLING = 0x802A;

    /** Value length of MESSAGE-INTEGRITY: an HMAC-SHA1. */
    public static final int MESSAGE_INTEGRITY_LENGTH = 20;
    /** Value length of FINGERPRINT: a CRC-32. */
    public static final int FINGERPRINT_LENGTH = 4;
    /** XOR'ed into the CRC-32 of FINGERPRINT (the ASCII of "STUN"), RFC 5389 section 15.5. */
    public static final int FINGERPRINT_XOR = 0x5354554E;
    /** RFC 5389 section 15.3: the USERNAME must be shorter than 513 bytes. */
    public static final int MAX_USERNAME_LENGTH = 512;

    /** Address families of (XOR-)MAPPED-ADDRESS. */
    public static final int FAMILY_IPV4 = 0x01;
    public static final int FAMILY_IPV6 = 0x02;

    private StunAttribute() {
    }

    /** True for types 0x0000-0x7FFF, which a receiver must understand or reject the message (420). */
    public static boolean isComprehensionRequired(int type) {
        return (type & 0x8000) == 0;
    }

    /** The value length rounded up to the 32-bit boundary the next attribute starts on. */
    public static int paddedLength(int valueLength) {
        return (valueLength + 3) & ~3;
    }
}
