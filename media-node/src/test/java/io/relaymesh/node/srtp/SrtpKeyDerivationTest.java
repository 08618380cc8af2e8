package io.relaymesh.node.srtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** RFC 3711 appendix B.2 (AES-CM keystream) and B.3 (key derivation). */
class SrtpKeyDerivationTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void aesCmKeystreamMatchesRfc3711AppendixB2() {
        AesKeystream aes = new AesKeystream(hex("2B7E151628AED2A6ABF7158809CF4F3C"));
        // IV = session salt * 2^16 (SSRC 0, index 0); blocks count up in the low 16 bits.
        byte[] iv = hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        int blocks = 0xFF02;
        byte[] keystream = new byte[blocks * 16];
        aes.xor(iv, 0, keystream, 0, keystream.length);

        assertThat(block(keystream, 0x0000)).isEqualTo(hex("E03EAD0935C95E80E166B16DD92B4EB4"));
        assertThat(block(keystream, 0x0001)).isEqualTo(hex("D23513162B02D0F72A43A2FE4A5F97AB"));
        assertThat(block(keystream, 0x0002)).isEqualTo(hex("41E95B3BB0A2E8DD477901E4FCA894C0"));
        assertThat(block(keystream, 0xFEFF)).isEqualTo(hex("EC8CDF7398607CB0F2D21675EA9EA1E4"));
        assertThat(block(keystream, 0xFF00)).isEqualTo(hex("362B7C3C6773516318A077D7FC5073AE"));
        assertThat(block(keystream, 0xFF01)).isEqualTo(hex("6A2CC3787889374FBEB4C81B17BA6C44"));
    }

    @Test
    void keystreamStartingAtALaterCounterEqualsTheSameBlocksOfTheFullRun() {
        AesKeystream aes = new AesKeystream(hex("2B7E151628AED2A6ABF7158809CF4F3C"));
        byte[] iv = hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        byte[] tail = new byte[3 * 16];
        aes.xor(iv, 0xFEFF, tail, 0, tail.length);
        assertThat(Arrays.copyOfRange(tail, 32, 48)).isEqualTo(hex("6A2CC3787889374FBEB4C81B17BA6C44"));
    }

    @Test
    void sessionKeysMatchRfc3711AppendixB3() {
        SrtpKeyDerivation kdf = new SrtpKeyDerivation(hex("E1F97A0D3E018BE0D64FA32C06DE4139"),
                hex("0EC675AD498AFEEBB6960B3AABE6"));

        assertThat(kdf.derive(SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, 16))
                .isEqualTo(hex("C61E7A93744F39EE10734AFE3FF7A087"));
        assertThat(kdf.derive(SrtpKeyDerivation.LABEL_RTP_SALT, 14))
                .isEqualTo(hex("30CBBC08863D8C85D49DB34A9AE1"));
        // B.3 lists 94 bytes of authentication key material; HMAC-SHA1 uses the first 20.
        assertThat(kdf.derive(SrtpKeyDerivation.LABEL_RTP_AUTHENTICATION, 94)).isEqualTo(hex(
                "CEBE321F6FF7716B6FD4AB49AF256A15" + "6D38BAA48F0A0ACF3C34E2359E6CDBCE"
                + "E049646C43D9327AD175578EF7227098" + "6371C10C9A369AC2F94A8C5FBCDDDC25"
                + "6D6E919A48B610EF17C2041E47403576" + "6B68642C59BBFC2F34DB60DBDFB2"));
    }

    @Test
    void rtcpLabelsDeriveDifferentKeysThanRtpLabels() {
        SrtpKeyDerivation kdf = new SrtpKeyDerivation(hex("E1F97A0D3E018BE0D64FA32C06DE4139"),
                hex("0EC675AD498AFEEBB6960B3AABE6"));
        assertThat(kdf.derive(SrtpKeyDerivation.LABEL_RTCP_ENCRYPTION, 16))
                .isNotEqualTo(kdf.derive(SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, 16));
    }

    @Test
    void rejectsKeysOfTheWrongSize() {
        assertThatThrownBy(() -> new SrtpKeyDerivation(new byte[15], new byte[14]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SrtpKeyDerivation(new byte[16], new byte[15]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] block(byte[] keystream, int index) {
        return Arrays.copyOfRange(keystream, index * 16, index * 16 + 16);
    }
}
