package io.relaymesh.node.dtls;

import io.relaymesh.node.protocol.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DtlsFingerprintTest {

    private static final byte[] DER = {0x30, 0x03, 0x02, 0x01, 0x05};
    private static final String SHA256 = DtlsCertificate.fingerprintSha256(DER);

    @Test
    void parsesEitherLetterCaseAndMatchesTheSameCertificate() throws Exception {
        DtlsFingerprint upper = DtlsFingerprint.parse("sha-256", SHA256);
        DtlsFingerprint lower = DtlsFingerprint.parse("SHA-256", SHA256.toLowerCase(Locale.ROOT));

        assertThat(upper).isEqualTo(lower);
        assertThat(lower.value()).isEqualTo(SHA256);
        assertThat(lower.algorithm()).isEqualTo("sha-256");
        assertThat(lower.toString()).isEqualTo("sha-256 " + SHA256);
        assertThat(upper.matches(DER)).isTrue();
        assertThat(upper.matches(new byte[] {0x30, 0x00})).isFalse();
    }

    @Test
    void supportsTheOtherRegistryHashes() throws Exception {
        DtlsFingerprint sha1 = DtlsFingerprint.of("sha-1", DER);
        DtlsFingerprint sha512 = DtlsFingerprint.of("sha-512", DER);

        assertThat(DtlsFingerprint.parse("sha-1", sha1.value()).matches(DER)).isTrue();
        assertThat(DtlsFingerprint.parse("sha-512", sha512.value()).matches(DER)).isTrue();
        assertThat(sha512.value()).hasSize(64 * 3 - 1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown hash      | md5     | AB:CD                  | unsupported fingerprint hash function",
        "truncated value   | sha-256 | AB:CD:EF               | must be 32 colon-separated hex bytes",
        "missing colons    | sha-256 | " + "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCD"
                + " | must be 32",
        "empty value       | sha-256 | ''                     | must be 32",
    })
    void rejectsMalformedInputWithAReason(String name, String algorithm, String value, String reason) {
        assertThatThrownBy(() -> DtlsFingerprint.parse(algorithm, value))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void rejectsNonHexOfTheRightLength() {
        String notHex = "ZZ" + SHA256.substring(2);
        assertThatThrownBy(() -> DtlsFingerprint.parse("sha-256", notHex))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("not colon-separated hex");
        String wrongSeparator = SHA256.replace(':', '-');
        assertThatThrownBy(() -> DtlsFingerprint.parse("sha-256", wrongSeparator))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void rejectsMissingParts() {
        assertThatThrownBy(() -> DtlsFingerprint.parse(null, SHA256)).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> DtlsFingerprint.parse("sha-256", null)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void endpointBuilderRejectsAMalformedRemoteFingerprint() {
        assertThatThrownBy(() -> DtlsEndpoint.builder().remoteFingerprint("sha-256", "AB:CD"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid remote fingerprint");
    }
}
