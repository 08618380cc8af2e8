package io.relaymesh.operator.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.relaymesh.operator.testing.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CertificatesTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
    private final SelfSignedIssuer issuer = new SelfSignedIssuer(clock, new SecureRandom());
    private final List<String> names = List.of("media.example.com", "gw.ns.svc");

    @Test
    void issuedCertificateNamesTheHostsAndLastsItsValidity() {
        var pair = issuer.issue(names, Duration.ofDays(90));
        var cert = CertificateCheck.parse(pair.certificatePem()).orElseThrow();
        assertThat(CertificateCheck.dnsNames(cert)).containsExactlyElementsOf(names);
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(clock.instant().plus(Duration.ofDays(90)));
        assertThat(cert.getSubjectX500Principal().getName()).contains("CN=media.example.com");
        assertThat(pair.privateKeyPem()).startsWith("-----BEGIN");
    }

    @Test
    void aCertificateServesUntilTheRenewalWindowStarts() {
        String pem = issuer.issue(names, Duration.ofDays(90)).certificatePem();
        Duration renewBefore = Duration.ofDays(30);
        clock.advance(Duration.ofDays(60).minusSeconds(1));
        assertThat(CertificateCheck.stillServes(pem, names, clock, renewBefore)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(CertificateCheck.stillServes(pem, names, clock, renewBefore)).isFalse();
    }

    @Test
    void aCertificateForOtherNamesIsReplaced() {
        String pem = issuer.issue(names, Duration.ofDays(90)).certificatePem();
        assertThat(CertificateCheck.stillServes(pem, List.of("other.example.com", "gw.ns.svc"), clock, Duration.ofDays(1)))
                .isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not a certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"})
    void malformedPemIsNotACertificate(String pem) {
        assertThat(CertificateCheck.parse(pem)).isEmpty();
        assertThat(CertificateCheck.stillServes(pem, names, clock, Duration.ofDays(1))).isFalse();
    }

    @Test
    void truncatedPemIsNotACertificate() {
        String pem = issuer.issue(names, Duration.ofDays(90)).certificatePem();
        for (int cut : new int[] {pem.length() / 3, pem.length() / 2, pem.length() - 40}) {
            assertThat(CertificateCheck.parse(pem.substring(0, cut))).as("cut at %d", cut).isEmpty();
        }
    }
}
