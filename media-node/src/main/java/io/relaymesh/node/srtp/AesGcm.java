package io.relaymesh.node.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * {@code AEAD_AES_128_GCM} for SRTP and SRTCP (RFC 7714 sections 8, 9 and 10), with GCM built here from an
 * {@link AesKeystream} (GCTR) and a table-driven {@link Ghash}.
 *
 * <pre>
 * SRTP:  | RTP header (AAD) | ciphertext | tag (16) |
 *        IV = (00 00 | SSRC | ROC | SEQ) XOR salt
 * SRTCP: | 8-byte header | ciphertext | tag (16) | E | SRTCP index (31) |
 *        IV = (00 00 | SSRC | 00 00 | 0 | index) XOR salt
 *        AAD = header | E | index (E = 1), or the whole packet | E | index (E = 0, nothing encrypted)
 * </pre>
 *
 * <p>The JDK's {@code AES/GCM/NoPadding} cipher must be re-initialised with a new IV for every packet, which
 * allocates its engine state; this implementation allocates nothing per packet. See {@code docs/PERFORMANCE.md} for
 * how the two compare.
 */
final class AesGcm implements SrtpCipher {

    static final int TAG_LENGTH = 16;
    static final int SALT_LENGTH = 12;
    private static final int RTCP_HEADER = 8;
    private static final int INDEX_WORD = 4;
    private static final int E_FLAG = 0x8000_0000;
    /** GCTR starts at inc32(J0); J0 = IV || 0x00000001 masks the tag. */
    private static final int FIRST_DATA_COUNTER = 2;

    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final AesKeystream aes;
    private final Ghash ghash;
    private final byte[] salt;
    /** {@code IV || 0x00000000}; the counter is added by {@link AesKeystream#xor}. */
    private final byte[] counter = new byte[AesKeystream.BLOCK];
    private final byte[] j0 = new byte[AesKeystream.BLOCK];
    private final byte[] tag = new byte[TAG_LENGTH];
    private final byte[] mask = new byte[TAG_LENGTH];
    private final byte[] indexWord = new byte[INDEX_WORD];

    /** From session keys, as RFC 7714 section 16 gives them. */
    AesGcm(byte[] sessionKey, byte[] sessionSalt) {
        if (sessionSalt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("AES-GCM session salt must be 12 bytes, got " + sessionSalt.length);
        }
        this.aes = new AesKeystream(sessionKey);
        byte[] h = new byte[AesKeystream.BLOCK];
        aes.encryptBlock(new byte[AesKeystream.BLOCK], 0, h, 0);
        this.ghash = new Ghash(h);
        this.salt = sessionSalt.clone();
    }

    static AesGcm forRtp(SrtpKeyDerivation kdf) {
        return new AesGcm(kdf.derive(SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, 16),
                kdf.derive(SrtpKeyDerivation.LABEL_RTP_SALT, SALT_LENGTH));
    }

    static AesGcm forRtcp(SrtpKeyDerivation kdf) {
        return new AesGcm(kdf.derive(SrtpKeyDerivation.LABEL_RTCP_ENCRYPTION, 16),
                kdf.derive(SrtpKeyDerivation.LABEL_RTCP_SALT, SALT_LENGTH));
    }

    @Override
    public int rtpTrailerLength() {
        return TAG_LENGTH;
    }

    @Override
    public int rtcpTrailerLength() {
        return TAG_LENGTH + INDEX_WORD;
    }

    @Override
    public int rtcpIndexOffset(int length) {
        return length - INDEX_WORD;
    }

    @Override
    public void protectRtp(byte[] p, int off, int headerLength, int length, int ssrc, long index) {
        rtpIv(ssrc, index);
        int payload = length - headerLength;
        aes.xor(counter, FIRST_DATA_COUNTER, p, off + headerLength, payload);
        ghash.reset();
        ghash.update(p, off, headerLength);
        ghash.endSection();
        ghash.update(p, off + headerLength, payload);
        writeTag(headerLength, payload, p, off + length);
    }

    @Override
    public boolean unprotectRtp(byte[] p, int off, int headerLength, int length, int ssrc, long index) {
        rtpIv(ssrc, index);
        int payload = length - headerLength - TAG_LENGTH;
        ghash.reset();
        ghash.update(p, off, headerLength);
        ghash.endSection();
        ghash.update(p, off + headerLength, payload);
        writeTag(headerLength, payload, tag, 0);
        if (!SrtpCipher.tagEquals(tag, p, off + headerLength + payload, TAG_LENGTH)) {
            return false;
        }
        aes.xor(counter, FIRST_DATA_COUNTER, p, off + headerLength, payload);
        return true;
    }

    @Override
    public void protectRtcp(byte[] p, int off, int length, int ssrc, int srtcpIndex) {
        rtcpIv(ssrc, srtcpIndex);
        int word = E_FLAG | srtcpIndex;
        INT_BE.set(indexWord, 0, word);
        int body = length - RTCP_HEADER;
        aes.xor(counter, FIRST_DATA_COUNTER, p, off + RTCP_HEADER, body);
        ghash.reset();
        ghash.update(p, off, RTCP_HEADER);
        ghash.update(indexWord, 0, INDEX_WORD);
        ghash.endSection();
        ghash.update(p, off + RTCP_HEADER, body);
        writeTag(RTCP_HEADER + INDEX_WORD, body, p, off + length);
        INT_BE.set(p, off + length + TAG_LENGTH, word);
    }

    @Override
    public boolean unprotectRtcp(byte[] p, int off, int length, int ssrc) {
        int tagAt = length - INDEX_WORD - TAG_LENGTH;
        int word = (int) INT_BE.get(p, off + length - INDEX_WORD);
        rtcpIv(ssrc, word & ~E_FLAG);
        ghash.reset();
        if ((word & E_FLAG) != 0) {
            int body = tagAt - RTCP_HEADER;
            ghash.update(p, off, RTCP_HEADER);
            ghash.update(p, off + length - INDEX_WORD, INDEX_WORD);
            ghash.endSection();
            ghash.update(p, off + RTCP_HEADER, body);
            writeTag(RTCP_HEADER + INDEX_WORD, body, tag, 0);
            if (!SrtpCipher.tagEquals(tag, p, off + tagAt, TAG_LENGTH)) {
                return false;
            }
            aes.xor(counter, FIRST_DATA_COUNTER, p, off + RTCP_HEADER, body);
            return true;
        }
        ghash.update(p, off, tagAt);
        ghash.update(p, off + length - INDEX_WORD, INDEX_WORD);
        writeTag(tagAt + INDEX_WORD, 0, tag, 0);
        return SrtpCipher.tagEquals(tag, p, off + tagAt, TAG_LENGTH);
    }

    /** Finishes GHASH and masks it with {@code E(K, J0)}. */
    private void writeTag(int aadLength, int ciphertextLength, byte[] out, int at) {
        ghash.finish(aadLength, ciphertextLength, tag, 0);
        System.arraycopy(counter, 0, j0, 0, 12);
        INT_BE.set(j0, 12, 1);
        aes.encryptBlock(j0, 0, mask, 0);
        for (int i = 0; i < TAG_LENGTH; i++) {
            out[at + i] = (byte) (tag[i] ^ mask[i]);
        }
    }

    private void rtpIv(int ssrc, long index) {
        counter[0] = 0;
        counter[1] = 0;
        INT_BE.set(counter, 2, ssrc);
        INT_BE.set(counter, 6, (int) (index >>> 16));
        counter[10] = (byte) (index >>> 8);
        counter[11] = (byte) index;
        finishIv();
    }

    private void rtcpIv(int ssrc, int srtcpIndex) {
        counter[0] = 0;
        counter[1] = 0;
        INT_BE.set(counter, 2, ssrc);
        counter[6] = 0;
        counter[7] = 0;
        INT_BE.set(counter, 8, srtcpIndex);
        finishIv();
    }

    private void finishIv() {
        for (int i = 0; i < SALT_LENGTH; i++) {
            counter[i] ^= salt[i];
        }
        INT_BE.set(counter, 12, 0);
    }
}
