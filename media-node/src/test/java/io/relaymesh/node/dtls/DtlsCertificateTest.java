package io.relaymesh.node.dtls;

import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class DtlsCertificateTest {

    /** RFC 8122 section 5 grammar for a SHA-256 fingerprint as browsers write it. */
    private static final Pattern RFC8122_SHA256 = Pattern.compile("([0-9A-F]{2}:){31}[0-9A-F]{2}");

    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final DtlsCertificate certificate = DtlsCertificate.generate(CLOCK, new SecureRandom());

    @Test
    void isASelfSignedEcdsaP256CertificateTheJdkAccepts() throws Exception {
        X509Certificate jdk = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate.encoded()));

        assertThat(jdk.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(jdk.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(((ECPublicKey) jdk.getPublicKey()).getParams().getCurve().getField().getFieldSize())
                .isEqualTo(256);
        assertThat(jdk.getSubjectX500Principal().getName()).isEqualTo("CN=relaymesh");
        assertThat(jdk.getIssuerX500Principal()).isEqualTo(jdk.getSubjectX500Principal());
        jdk.verify(jdk.getPublicKey()); // throws unless self-signed with this key
        assertThat(jdk.getSerialNumber()).isPositive();
    }

    @Test
    void namesTheP256CurveByOid() {
        var algorithm = certificate.x509().getSubjectPublicKeyInfo().getAlgorithm();
        assertThat(algorithm.getAlgorithm()).isEqualTo(X9ObjectIdentifiers.id_ecPublicKey);
        assertThat(algorithm.getParameters()).isEqualTo(SECObjectIdentifiers.secp256r1);
        assertThat(certificate.x509().getSignatureAlgorithm().getAlgorithm())
                .isEqualTo(X9ObjectIdentifiers.ecdsa_with_SHA256);
    }

    @Test
    void isValidFromADayAgoForThirtyDays() {
        assertThat(certificate.x509().getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofDays(1)));
        assertThat(certificate.notAfter()).isEqualTo(NOW.plus(Duration.ofDays(30)));
        assertThat(certificate.x509().isValidOn(java.util.Date.from(NOW))).isTrue();
    }

    @Test
    void fingerprintHasTheSdpFormatAndIsTheSha256OfTheDer() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.encoded());
        StringBuilder expected = new StringBuilder();
        for (byte b : digest) {
            if (!expected.isEmpty()) {
                expected.append(':');
            }
            expected.append(String.format("%02X", b & 0xFF));
        }

        assertThat(certificate.fingerprintSha256()).matches(RFC8122_SHA256).isEqualTo(expected.toString());
        assertThat(DtlsCertificate.fingerprintSha256(certificate.encoded())).isEqualTo(expected.toString());
        assertThat(certificate.fingerprint().matches(certificate.encoded())).isTrue();
    }

    @Test
    void everyGenerationHasItsOwnKeySerialAndFingerprint() {
        DtlsCertificate other = DtlsCertificate.generate(CLOCK, new SecureRandom());

        assertThat(other.fingerprintSha256()).isNotEqualTo(certificate.fingerprintSha256());
        assertThat(other.x509().getSerialNumber()).isNotEqualTo(certificate.x509().getSerialNumber());
        assertThat(other.x509().getSubjectPublicKeyInfo()).isNotEqualTo(certificate.x509().getSubjectPublicKeyInfo());
    }

    @Test
    void encodedReturnsACopy() {
        byte[] first = certificate.encoded();
        first[0] ^= 1;
        assertThat(certificate.encoded()).isNotEqualTo(first);
    }
}
