package io.relaymesh.node.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * AES_CM_128_HMAC_SHA1_80 against known packets: the RFC 3711 B.2 keystream through the packet path, and the
 * reference RTP/RTCP packets of libsrtp's validation driver (master key and salt of RFC 3711 B.3).
 */
class AesCmHmacSha1Test {

    private static final byte[] MASTER_KEY = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static final byte[] MASTER_SALT = hex("0EC675AD498AFEEBB6960B3AABE6");

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void zeroPayloadEncryptsToTheRfc3711B2Keystream() {
        AesCmHmacSha1 cipher = new AesCmHmacSha1(hex("2B7E151628AED2A6ABF7158809CF4F3C"),
                hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD"), new byte[20]);
        byte[] packet = new byte[5 + 12 + 48 + 10]; // starts at offset 5
        cipher.protectRtp(packet, 5, 12, 12 + 48, 0, 0);
        assertThat(Arrays.copyOfRange(packet, 5 + 12, 5 + 60)).isEqualTo(hex(
                "E03EAD0935C95E80E166B16DD92B4EB4" + "D23513162B02D0F72A43A2FE4A5F97AB"
                + "41E95B3BB0A2E8DD477901E4FCA894C0"));
    }

    @Test
    void protectsTheReferenceRtpPacket() {
        SrtpSession session = new SrtpSession(SrtpProfile.AES_CM_128_HMAC_SHA1_80, MASTER_KEY, MASTER_SALT);
        ByteBuf packet = Unpooled.buffer(64);
        try {
            packet.writeBytes(hex("800f1234 decafbad cafebabe abababab abababab abababab abababab"));
            assertThat(session.protectRtp(packet)).isEqualTo(SrtpStatus.OK);
            assertThat(ByteBufTestBytes.readable(packet)).isEqualTo(hex(
                    "800f1234 decafbad cafebabe" // header, in the clear
                    + "4e55dc4c e79978d8 8ca4d215 949d2402" // encrypted payload
                    + "b78d6acc 99ea179b 8dbb")); // 80-bit HMAC-SHA1 tag
        } finally {
            packet.release();
        }
    }

    @Test
    void unprotectsTheReferenceRtpPacket() {
        SrtpSession session = new SrtpSession(SrtpProfile.AES_CM_128_HMAC_SHA1_80, MASTER_KEY, MASTER_SALT);
        ByteBuf packet = Unpooled.wrappedBuffer(hex(
                "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb"));
        try {
            assertThat(session.unprotectRtp(packet)).isEqualTo(SrtpStatus.OK);
            assertThat(ByteBufTestBytes.readable(packet))
                    .isEqualTo(hex("800f1234decafbadcafebabeabababababababababababababababab"));
        } finally {
            packet.release();
        }
    }

    @Test
    void protectsTheReferenceRtcpPacketWithSrtcpIndexOne() {
        SrtpSession session = new SrtpSession(SrtpProfile.AES_CM_128_HMAC_SHA1_80, MASTER_KEY, MASTER_SALT);
        ByteBuf packet = Unpooled.buffer(64);
        try {
            packet.writeBytes(hex("81c8000b cafebabe abababab abababab abababab abababab"));
            assertThat(session.protectRtcp(packet)).isEqualTo(SrtpStatus.OK);
            assertThat(ByteBufTestBytes.readable(packet)).isEqualTo(hex(
                    "81c8000b cafebabe" // first 8 bytes in the clear
                    + "7128035b e487b9bd bef89041 f977a5a8" // encrypted rest
                    + "80000001" // E = 1, SRTCP index 1
                    + "993e08cd 54d6c123 0798")); // tag
        } finally {
            packet.release();
        }
    }

    @Test
    void unprotectsTheReferenceRtcpPacket() {
        SrtpSession session = new SrtpSession(SrtpProfile.AES_CM_128_HMAC_SHA1_80, MASTER_KEY, MASTER_SALT);
        ByteBuf packet = Unpooled.wrappedBuffer(hex(
                "81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001993e08cd54d6c1230798"));
        try {
            assertThat(session.unprotectRtcp(packet)).isEqualTo(SrtpStatus.OK);
            assertThat(ByteBufTestBytes.readable(packet))
                    .isEqualTo(hex("81c8000bcafebabeabababababababababababababababab"));
        } finally {
            packet.release();
        }
    }
}
