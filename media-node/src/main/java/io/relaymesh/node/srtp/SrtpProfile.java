package io.relaymesh.node.srtp;

/**
 * SRTP protection profiles relaymesh negotiates in the DTLS {@code use_srtp} extension
 * (RFC 5764 section 4.1.2, RFC 7714 section 14.2).
 *
 * <p>The keying material exported from DTLS is laid out as client key, server key, client salt,
 * server salt (RFC 5764 section 4.2), so its length is {@code 2 * (keyLength + saltLength)}.
 */
public enum SrtpProfile {

    /** AES-128 counter mode with an 80-bit HMAC-SHA1 tag (RFC 3711, RFC 5764). */
    AES_CM_128_HMAC_SHA1_80(0x0001, 16, 14, 10, "SRTP_AES128_CM_HMAC_SHA1_80"),

    /** AES-128 in Galois/counter mode with a 128-bit tag (RFC 7714). */
    AEAD_AES_128_GCM(0x0007, 16, 12, 16, "SRTP_AEAD_AES_128_GCM");

    private final int id;
    private final int keyLength;
    private final int saltLength;
    private final int tagLength;
    private final String rfcName;

    SrtpProfile(int id, int keyLength, int saltLength, int tagLength, String rfcName) {
        this.id = id;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.tagLength = tagLength;
        this.rfcName = rfcName;
    }

    /** The two-byte profile identifier of the DTLS-SRTP registry. */
    public int id() {
        return id;
    }

    /** Master key length in bytes. */
    public int keyLength() {
        return keyLength;
    }

    /** Master salt length in bytes. */
    public int saltLength() {
        return saltLength;
    }

    /** Bytes the authentication tag adds to every SRTP packet (SRTCP adds 4 more for the index). */
    public int tagLength() {
        return tagLength;
    }

    /** Name as in the registry, e.g. {@code SRTP_AEAD_AES_128_GCM}. */
    public String rfcName() {
        return rfcName;
    }

    /** Bytes of keying material to export from DTLS for this profile. */
    public int keyingMaterialLength() {
        return 2 * (keyLength + saltLength);
    }

    /** The profile with this registry id, or {@code null} when relaymesh does not support it. */
    public static SrtpProfile ofId(int id) {
        for (SrtpProfile p : values()) {
            if (p.id == id) {
                return p;
            }
        }
        return null;
    }
}
