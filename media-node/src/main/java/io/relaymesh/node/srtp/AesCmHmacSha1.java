package io.relaymesh.node.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * {@code AES_CM_128_HMAC_SHA1_80}: AES-128 in counter mode and an 80-bit HMAC-SHA1 tag (RFC 3711 sections 4.1.1,
 * 4.2.1, 3.4).
 *
 * <pre>
 * SRTP:  | RTP header | encrypted payload | tag (10) |        tag = HMAC(k_a, header | payload | ROC)[0..10)
 * SRTCP: | 8-byte header | encrypted rest | E | SRTCP index (31) | tag (10) |
 *        tag = HMAC(k_a, header | rest | E | index)[0..10)
 * IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16)
 * </pre>
 */
final class AesCmHmacSha1 implements SrtpCipher {

    static final int TAG_LENGTH = 10;
    static final int SALT_LENGTH = 14;
    static final int AUTH_KEY_LENGTH = 20;
    private static final int RTCP_HEADER = 8;
    private static final int INDEX_WORD = 4;
    private static final int E_FLAG = 0x8000_0000;

    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final AesKeystream aes;
    private final HmacSha1 hmac;
    private final byte[] salt;
    private final byte[] iv = new byte[AesKeystream.BLOCK];
    private final byte[] mac = new byte[HmacSha1.LENGTH];
    private final byte[] roc = new byte[4];

    /** From session keys, as RFC 3711 appendix B.2 gives them. */
    AesCmHmacSha1(byte[] sessionKey, byte[] sessionSalt, byte[] authKey) {
        if (sessionSalt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("AES-CM session salt must be 14 bytes, got " + sessionSalt.length);
        }
        this.aes = new AesKeystream(sessionKey);
        this.hmac = new HmacSha1(authKey);
        this.salt = sessionSalt.clone();
    }

    static AesCmHmacSha1 forRtp(SrtpKeyDerivation kdf) {
        return new AesCmHmacSha1(kdf.derive(SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, 16),
                kdf.derive(SrtpKeyDerivation.LABEL_RTP_SALT, SALT_LENGTH),
                kdf.derive(SrtpKeyDerivation.LABEL_RTP_AUTHENTICATION, AUTH_KEY_LENGTH));
    }

    static AesCmHmacSha1 forRtcp(SrtpKeyDerivation kdf) {
        return new AesCmHmacSha1(kdf.derive(SrtpKeyDerivation.LABEL_RTCP_ENCRYPTION, 16),
                kdf.derive(SrtpKeyDerivation.LABEL_RTCP_SALT, SALT_LENGTH),
                kdf.derive(SrtpKeyDerivation.LABEL_RTCP_AUTHENTICATION, AUTH_KEY_LENGTH));
    }

    @Override
    public int rtpTrailerLength() {
        return TAG_LENGTH;
    }

    @Override
    public int rtcpTrailerLength() {
        return INDEX_WORD + TAG_LENGTH;
    }

    @Override
    public int rtcpIndexOffset(int length) {
        return length - TAG_LENGTH - INDEX_WORD;
    }

    @Override
    public void protectRtp(byte[] p, int off, int headerLength, int length, int ssrc, long index) {
        iv(ssrc, index);
        aes.xor(iv, 0, p, off + headerLength, length - headerLength);
        rtpMac(p, off, length, index);
        System.arraycopy(mac, 0, p, off + length, TAG_LENGTH);
    }

    @Override
    public boolean unprotectRtp(byte[] p, int off, int headerLength, int length, int ssrc, long index) {
        int body = length - TAG_LENGTH;
        rtpMac(p, off, body, index);
        if (!SrtpCipher.tagEquals(mac, p, off + body, TAG_LENGTH)) {
            return false;
        }
        iv(ssrc, index);
        aes.xor(iv, 0, p, off + headerLength, body - headerLength);
        return true;
    }

    @Override
    public void protectRtcp(byte[] p, int off, int length, int ssrc, int srtcpIndex) {
        iv(ssrc, srtcpIndex);
        aes.xor(iv, 0, p, off + RTCP_HEADER, length - RTCP_HEADER);
        INT_BE.set(p, off + length, E_FLAG | srtcpIndex);
        hmac.begin();
        hmac.update(p, off, length + INDEX_WORD);
        hmac.finish(mac, 0);
        System.arraycopy(mac, 0, p, off + length + INDEX_WORD, TAG_LENGTH);
    }

    @Override
    public boolean unprotectRtcp(byte[] p, int off, int length, int ssrc) {
        int authenticated = length - TAG_LENGTH;
        hmac.begin();
        hmac.update(p, off, authenticated);
        hmac.finish(mac, 0);
        if (!SrtpCipher.tagEquals(mac, p, off + authenticated, TAG_LENGTH)) {
            return false;
        }
        int word = (int) INT_BE.get(p, off + authenticated - INDEX_WORD);
        if ((word & E_FLAG) != 0) {
            iv(ssrc, word & ~E_FLAG);
            aes.xor(iv, 0, p, off + RTCP_HEADER, authenticated - INDEX_WORD - RTCP_HEADER);
        }
        return true;
    }

    private void rtpMac(byte[] p, int off, int length, long index) {
        INT_BE.set(roc, 0, (int) (index >>> 16));
        hmac.begin();
        hmac.update(p, off, length);
        hmac.update(roc, 0, 4);
        hmac.finish(mac, 0);
    }

    private void iv(int ssrc, long index) {
        System.arraycopy(salt, 0, iv, 0, SALT_LENGTH);
        iv[14] = 0;
        iv[15] = 0;
        iv[4] ^= (byte) (ssrc >>> 24);
        iv[5] ^= (byte) (ssrc >>> 16);
        iv[6] ^= (byte) (ssrc >>> 8);
        iv[7] ^= (byte) ssrc;
        for (int i = 0; i < 6; i++) {
            iv[8 + i] ^= (byte) (index >>> (40 - 8 * i));
        }
    }
}
