package io.relaymesh.node.dtls;

import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * The node's DTLS identity: an ECDSA P-256 key and a self-signed X.509 certificate over it.
 *
 * <p>WebRTC peers authenticate each other only by the certificate fingerprint exchanged in the signalled SDP
 * (RFC 8827 section 6.5), so the certificate needs no chain and no meaningful name. One certificate can be
 * shared by all endpoints of a node and rotated before it expires.
 */
public final class DtlsCertificate {

    /** Subject and issuer of every generated certificate. */
    public static final String SUBJECT = "CN=relaymesh";

    /** How far validity starts in the past, so peers with a clock behind ours still accept it. */
    public static final Duration BACKDATE = Duration.ofDays(1);

    /** How long a generated certificate stays valid after its creation. */
    public static final Duration LIFETIME = Duration.ofDays(30);

    private static final int SERIAL_BITS = 64;

    private final X509CertificateHolder certificate;
    private final byte[] der;
    private final ECPrivateKeyParameters privateKey;
    private final String fingerprintSha256;

    private DtlsCertificate(X509CertificateHolder certificate, ECPrivateKeyParameters privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        try {
            this.der = certificate.getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot DER-encode a certificate just built", e);
        }
        this.fingerprintSha256 = fingerprintSha256(der);
    }

    /**
     * Generates a fresh key pair and a self-signed certificate ({@value #SUBJECT}, ecdsa-with-SHA256, a random
     * positive serial, valid from {@link #BACKDATE} before now to {@link #LIFETIME} after now).
     */
    public static DtlsCertificate generate(Clock clock, SecureRandom random) {
        ECNamedDomainParameters p256 = ECNamedDomainParameters.lookup(SECObjectIdentifiers.secp256r1);
        ECKeyPairGenerator generator = new ECKeyPairGenerator();
        generator.init(new ECKeyGenerationParameters(p256, random));
        AsymmetricCipherKeyPair keyPair = generator.generateKeyPair();

        Instant now = clock.instant();
        BigInteger serial = new BigInteger(SERIAL_BITS - 1, random).add(BigInteger.ONE);
        X500Name name = new X500Name(SUBJECT);
        try {
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
                    name,
                    serial,
                    Date.from(now.minus(BACKDATE)),
                    Date.from(now.plus(LIFETIME)),
                    name,
                    SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(keyPair.getPublic()));
            BcECContentSignerBuilder signer = new BcECContentSignerBuilder(
                    new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256),
                    new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256));
            signer.setSecureRandom(random);
            X509CertificateHolder holder = builder.build(signer.build(keyPair.getPrivate()));
            return new DtlsCertificate(holder, (ECPrivateKeyParameters) keyPair.getPrivate());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the certificate's public key", e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("Bouncy Castle cannot sign with ECDSA P-256", e);
        }
    }

    /**
     * SHA-256 of a DER certificate formatted as in SDP: 32 upper-case hex pairs separated by colons
     * (RFC 8122 section 5).
     */
    public static String fingerprintSha256(byte[] derCertificate) {
        return DtlsFingerprint.of("sha-256", derCertificate).value();
    }

    /** This certificate's SHA-256 fingerprint for {@code a=fingerprint:sha-256 ...}. */
    public String fingerprintSha256() {
        return fingerprintSha256;
    }

    /** This certificate's SHA-256 fingerprint as a value object. */
    public DtlsFingerprint fingerprint() {
        return DtlsFingerprint.of("sha-256", der);
    }

    /** A copy of the DER encoding. */
    public byte[] encoded() {
        return der.clone();
    }

    /** The certificate as a Bouncy Castle holder (subject, validity, public key). */
    public X509CertificateHolder x509() {
        return certificate;
    }

    /** When the certificate stops being valid; rotate before this. */
    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    byte[] der() {
        return der;
    }

    ECPrivateKeyParameters privateKey() {
        return privateKey;
    }
}
