package io.relaymesh.node.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** AEAD_AES_128_GCM against RFC 7714 sections 16.1 and 17, and against the JDK's own GCM. */
class AesGcmTest {

    // RFC 7714 section 16/17: session key and salt ("Quid pro quo") used directly, no key derivation.
    private static final byte[] KEY = hex("000102030405060708090a0b0c0d0e0f");
    private static final byte[] SALT = hex("517569642070726f2071756f");

    private static final String RTP = "8040f17b 8041f8d3 5501a0b2" // V=2, PT 64, seq 0xf17b, ts, SSRC 0x5501a0b2
            + "47616c6c 69612065 7374206f 6d6e6973 20646976 69736120 696e2070 61727465 73207472 6573";
    private static final String SRTP_16_1 = "8040f17b 8041f8d3 5501a0b2"
            + "f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f 42a5f47a 51c7d19b 36de3adf 8833" // ciphertext
            + "899d7f27 beb16a91 52cf765e e4390cce"; // tag

    private static final String RTCP = "81c8000d 4d617273" // SR, length 13, SSRC "Mars"
            + "4e545031 4e545032 52545020 0000042a 0000e930 4c756e61 deadbeef deadbeef deadbeef deadbeef deadbeef";
    private static final String SRTCP_17_1 = "81c8000d 4d617273"
            + "63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d c676a5f1 730d6fda 4ce09b46 86303ded 0bb9275b"
            + "c84aa458 96cf4d2f c5abf872 45d9eade" // tag
            + "800005d4"; // E = 1, SRTCP index 0x5d4
    private static final String SRTCP_17_3 = RTCP // E = 0: authenticated only
            + "841dd968 3dd78ec9 2ae58790 125f62b3" // tag
            + "000005d4";

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static SrtpSession rfcSession() {
        return new SrtpSession(SrtpProfile.AEAD_AES_128_GCM, new AesGcm(KEY, SALT), new AesGcm(KEY, SALT));
    }

    @Test
    void protectsTheRfc7714Section16_1Packet() {
        ByteBuf packet = Unpooled.buffer(128);
        try {
            packet.writerIndex(7).readerIndex(7); // non-zero offset
            packet.writeBytes(hex(RTP));
            assertThat(rfcSession().protectRtp(packet)).isEqualTo(SrtpStatus.OK);
            assertThat(ByteBufTestBytes.readable(packet)).isEqualTo(hex(SRTP_16_1));
        } finally {
            packet.release();
        }
    }

    @Test
    void unprotectsTheRfc7714Section16_1Packet() {
        ByteBuf packet = Unpooled.directBuffer(128);
        try {
            packet.writerIndex(3).readerIndex(3);
            packet.writeBytes(hex(SRTP_16_1));
            assertThat(rfcSession().unprotectRtp(packet)).isEqualTo(SrtpStatus.OK);
            assertThat(ByteBufTestBytes.readable(packet)).isEqualTo(hex(RTP));
        } finally {
            packet.release();
        }
    }

    @Test
    void protectsTheRfc7714Section17_1Packet() {
        AesGcm cipher = new AesGcm(KEY, SALT);
        byte[] rtcp = hex(RTCP);
        byte[] p = Arrays.copyOf(rtcp, rtcp.length + 20);
        cipher.protectRtcp(p, 0, rtcp.length, 0x4d617273, 0x5d4);
        assertThat(p).isEqualTo(hex(SRTCP_17_1));
    }

    @ParameterizedTest
    @ValueSource(strings = {SRTCP_17_1, SRTCP_17_3})
    void unprotectsTheRfc7714Section17Packets(String srtcp) {
        ByteBuf packet = Unpooled.wrappedBuffer(hex(srtcp));
        try {
            assertThat(rfcSession().unprotectRtcp(packet)).isEqualTo(SrtpStatus.OK);
            assertThat(ByteBufTestBytes.readable(packet)).isEqualTo(hex(RTCP));
        } finally {
            packet.release();
        }
    }

    @Test
    void tagOnlySrtcpWithAFlippedBitFailsAuthentication() {
        byte[] bytes = hex(SRTCP_17_3);
        bytes[20] ^= 0x01; // inside the clear RTCP body
        ByteBuf packet = Unpooled.wrappedBuffer(bytes);
        try {
            assertThat(rfcSession().unprotectRtcp(packet)).isEqualTo(SrtpStatus.AUTH_FAILED);
        } finally {
            packet.release();
        }
    }

    /**
     * Every split of associated data and payload up to a few blocks, against {@code AES/GCM/NoPadding}: covers
     * GHASH's partial blocks and the counter layout.
     */
    @Test
    void agreesWithTheJdkGcmForAllSmallHeaderAndPayloadLengths() throws Exception {
        SplittableRandom random = new SplittableRandom(7714);
        byte[] key = new byte[16];
        random.nextBytes(key);
        byte[] salt = new byte[12]; // zero salt: the IV is 00 00 | SSRC | ROC | SEQ
        AesGcm ours = new AesGcm(key, salt);
        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        for (int header = 0; header <= 40; header += 1) {
            for (int payload = 0; payload <= 70; payload++) {
                int ssrc = random.nextInt();
                long index = random.nextLong() >>> 16;
                byte[] plain = new byte[header + payload];
                random.nextBytes(plain);
                byte[] p = Arrays.copyOf(plain, plain.length + 16);
                ours.protectRtp(p, 0, header, plain.length, ssrc, index);

                byte[] iv = new byte[12];
                for (int i = 0; i < 4; i++) {
                    iv[2 + i] = (byte) (ssrc >>> (24 - 8 * i));
                }
                for (int i = 0; i < 6; i++) {
                    iv[6 + i] = (byte) (index >>> (40 - 8 * i));
                }
                jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
                jdk.updateAAD(plain, 0, header);
                byte[] expected = jdk.doFinal(plain, header, payload);
                assertThat(Arrays.copyOfRange(p, header, p.length)).as("header %d payload %d", header, payload)
                        .isEqualTo(expected);
                assertThat(ours.unprotectRtp(p, 0, header, p.length, ssrc, index)).isTrue();
                assertThat(Arrays.copyOf(p, plain.length)).isEqualTo(plain);
            }
        }
    }
}
