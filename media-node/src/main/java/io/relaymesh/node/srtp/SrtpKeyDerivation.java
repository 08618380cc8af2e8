package io.relaymesh.node.srtp;

/**
 * SRTP session key derivation with the AES-CM pseudo-random function (RFC 3711 section 4.3, section 4.3.3).
 *
 * <p>With a key derivation rate of zero, which DTLS-SRTP uses (RFC 5764 section 4.1.2), each session key is the
 * AES-CM keystream under the master key with the IV {@code ((label << 48) XOR master_salt) * 2^16}. A 96-bit GCM
 * master salt (RFC 7714 section 11) fills the first 12 of the 14 salt bytes, the remaining two being zero, as
 * libsrtp and browsers do.
 */
final class SrtpKeyDerivation {

    static final int LABEL_RTP_ENCRYPTION = 0x00;
    static final int LABEL_RTP_AUTHENTICATION = 0x01;
    static final int LABEL_RTP_SALT = 0x02;
    static final int LABEL_RTCP_ENCRYPTION = 0x03;
    static final int LABEL_RTCP_AUTHENTICATION = 0x04;
    static final int LABEL_RTCP_SALT = 0x05;

    /** The 112-bit salt field of the PRF input; the label sits at byte 7 ({@code key_id} is right-aligned). */
    private static final int PRF_SALT_BYTES = 14;
    private static final int LABEL_BYTE = 7;

    private final AesKeystream prf;
    private final byte[] masterSalt;

    SrtpKeyDerivation(byte[] masterKey, byte[] masterSalt) {
        if (masterKey.length != 16) {
            throw new IllegalArgumentException("AES-128 master key must be 16 bytes, got " + masterKey.length);
        }
        if (masterSalt.length > PRF_SALT_BYTES) {
            throw new IllegalArgumentException("master salt longer than 14 bytes: " + masterSalt.length);
        }
        this.prf = new AesKeystream(masterKey);
        this.masterSalt = masterSalt.clone();
    }

    /** Derives {@code length} bytes of the session key with {@code label} (one of the {@code LABEL_} constants). */
    byte[] derive(int label, int length) {
        byte[] iv = new byte[AesKeystream.BLOCK];
        System.arraycopy(masterSalt, 0, iv, 0, masterSalt.length);
        iv[LABEL_BYTE] ^= (byte) label;
        byte[] out = new byte[length];
        prf.xor(iv, 0, out, 0, length);
        return out;
    }
}
