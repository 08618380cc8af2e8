package io.relaymesh.node.dtls;

import io.relaymesh.node.srtp.SrtpProfile;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * What the Bouncy Castle server and client of one endpoint share: the local identity, the expected peer
 * fingerprint, the SRTP profiles, the timers, and what the handshake found out (reason for a local
 * rejection, alerts from the peer, the agreed profile and keys). Written on the worker thread, read by the
 * endpoint on the same thread after Bouncy Castle returns or throws.
 */
final class HandshakeState {

    /**
     * ECDSA suites a server with a P-256 certificate can select, strongest-first as browsers offer them.
     * The server follows the client's order among these.
     */
    static final int[] ECDSA_CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    };

    /** A client also accepts servers with RSA certificates (some WebRTC stacks still generate them). */
    static final int[] CLIENT_CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
    };

    /** Our certificate is P-256, which TLS 1.2 pairs with SHA-256 (every browser accepts it). */
    private static final SignatureAndHashAlgorithm SIGNATURE =
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    final BcTlsCrypto crypto;
    final List<SrtpProfile> profiles;
    final int handshakeTimeoutMillis;
    final int resendMillis;
    private final DtlsCertificate local;
    private final Certificate localChain;
    private final DtlsFingerprint remote;

    private String rejection;
    private volatile short fatalAlertReceived = -1;
    private volatile boolean closeNotifyReceived;
    private SrtpProfile agreedProfile;
    private byte[] keyingMaterial;

    HandshakeState(BcTlsCrypto crypto, DtlsCertificate local, DtlsFingerprint remote, List<SrtpProfile> profiles,
                   int handshakeTimeoutMillis, int resendMillis) {
        this.crypto = crypto;
        this.local = local;
        this.remote = remote;
        this.profiles = profiles;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.resendMillis = resendMillis;
        try {
            this.localChain = new Certificate(new TlsCertificate[] {crypto.createCertificate(local.der())});
        } catch (IOException e) {
            throw new UncheckedIOException("Bouncy Castle cannot parse our own certificate", e);
        }
    }

    /** Credentials that sign ServerKeyExchange (server) or CertificateVerify (client) with our key. */
    TlsCredentialedSigner signer(TlsContext context) {
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, local.privateKey(),
                localChain, SIGNATURE);
    }

    /**
     * Accepts the peer's certificate only when its end-entity certificate hashes to the SDP fingerprint
     * (RFC 8122 section 5); WebRTC certificates are self-signed, so there is no chain to validate.
     */
    void verifyPeer(Certificate chain) throws IOException {
        if (chain == null || chain.isEmpty()) {
            throw reject(AlertDescription.handshake_failure, "peer sent no certificate (WebRTC requires one)");
        }
        byte[] der = chain.getCertificateAt(0).getEncoded();
        if (!remote.matches(der)) {
            throw reject(AlertDescription.bad_certificate, "peer certificate fingerprint "
                    + DtlsFingerprint.of(remote.algorithm(), der) + " does not match the SDP fingerprint "
                    + remote);
        }
    }

    /** Records why we abort the handshake and builds the alert Bouncy Castle will send. */
    TlsFatalAlert reject(short alertDescription, String reason) {
        if (rejection == null) {
            rejection = reason;
        }
        return new TlsFatalAlert(alertDescription, reason);
    }

    /** Exports the SRTP keying material; must run inside notifyHandshakeComplete, before the secrets are wiped. */
    void handshakeComplete(TlsContext context, SrtpProfile profile) {
        this.agreedProfile = profile;
        this.keyingMaterial = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null,
                profile.keyingMaterialLength());
    }

    void alertReceived(short level, short description) {
        if (level == AlertLevel.fatal) {
            fatalAlertReceived = description;
        } else if (description == AlertDescription.close_notify) {
            closeNotifyReceived = true;
        }
    }

    String rejection() {
        return rejection;
    }

    /** The description of the fatal alert the peer sent, or -1. */
    short fatalAlertReceived() {
        return fatalAlertReceived;
    }

    boolean closeNotifyReceived() {
        return closeNotifyReceived;
    }

    SrtpProfile agreedProfile() {
        return agreedProfile;
    }

    /** Hands the keying material over once and forgets it. */
    byte[] takeKeyingMaterial() {
        byte[] keys = keyingMaterial;
        keyingMaterial = null;
        return keys;
    }

    void wipe() {
        if (keyingMaterial != null) {
            Arrays.fill(keyingMaterial, (byte) 0);
            keyingMaterial = null;
        }
    }
}
