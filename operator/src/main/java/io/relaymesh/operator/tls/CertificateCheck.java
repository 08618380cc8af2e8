package io.relaymesh.operator.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads a PEM certificate and decides whether it still serves: right names, not expiring within the renewal window. */
public final class CertificateCheck {

    private static final int SAN_DNS = 2;

    private CertificateCheck() {
    }

    /** The first certificate of a PEM bundle, or empty when the text holds none or is malformed. */
    public static Optional<X509Certificate> parse(String pem) {
        if (pem == null || pem.isBlank()) {
            return Optional.empty();
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            return Optional.of((X509Certificate) factory.generateCertificate(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        } catch (CertificateException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /** DNS names of the certificate's subjectAltName extension. */
    public static List<String> dnsNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && Integer.valueOf(SAN_DNS).equals(san.get(0))) {
                        names.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return List.of();
        }
        return names;
    }

    /**
     * Whether the certificate can stay: it covers exactly {@code wantedNames} and is valid beyond {@code now + renewBefore}.
     */
    public static boolean stillServes(String pem, List<String> wantedNames, Clock clock, Duration renewBefore) {
        Optional<X509Certificate> parsed = parse(pem);
        if (parsed.isEmpty()) {
            return false;
        }
        X509Certificate certificate = parsed.get();
        Set<String> have = new HashSet<>(dnsNames(certificate));
        if (!have.equals(new HashSet<>(wantedNames))) {
            return false;
        }
        Instant renewAt = certificate.getNotAfter().toInstant().minus(renewBefore);
        return clock.instant().isBefore(renewAt);
    }
}
