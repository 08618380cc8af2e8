package io.relaymesh.node.dtls;

import io.relaymesh.node.srtp.SrtpProfile;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;

import java.io.IOException;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.stream.Collectors;

/**
 * The DTLS-SRTP server policy (RFC 5763, RFC 5764): DTLS 1.2 only, ECDHE-ECDSA suites, extended master
 * secret required, a client certificate required and checked against the SDP fingerprint, and the SRTP
 * profile chosen by the server's preference order among those the client offers.
 */
final class DtlsSrtpServer extends DefaultTlsServer {

    private static final short[] CLIENT_CERTIFICATE_TYPES = {
        ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign,
    };

    private final HandshakeState state;
    private SrtpProfile selected;

    DtlsSrtpServer(HandshakeState state) {
        super(state.crypto);
        this.state = state;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), HandshakeState.ECDSA_CIPHER_SUITES);
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return state.handshakeTimeoutMillis;
    }

    @Override
    public int getHandshakeResendTimeMillis() {
        return state.resendMillis;
    }

    @Override
    public boolean requiresExtendedMasterSecret() {
        return true;
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() {
        return state.signer(context);
    }

    /** WebRTC authenticates both ends (RFC 8827 section 6.5), so the client must present a certificate. */
    @Override
    public CertificateRequest getCertificateRequest() {
        return new CertificateRequest(CLIENT_CERTIFICATE_TYPES,
                TlsUtils.getDefaultSupportedSignatureAlgorithms(context), null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        state.verifyPeer(clientCertificate);
    }

    @Override
    @SuppressWarnings("rawtypes") // Bouncy Castle's extension API predates generics.
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered == null) {
            throw state.reject(AlertDescription.handshake_failure,
                    "client did not offer the use_srtp extension (RFC 5764)");
        }
        int[] offeredIds = offered.getProtectionProfiles();
        for (SrtpProfile candidate : state.profiles) {
            if (Arrays.stream(offeredIds).anyMatch(id -> id == candidate.id())) {
                selected = candidate;
                return;
            }
        }
        throw state.reject(AlertDescription.handshake_failure, "no common SRTP profile: client offered "
                + Arrays.stream(offeredIds).mapToObj(DtlsSrtpServer::profileName).collect(Collectors.joining(", "))
                + "; this endpoint allows " + state.profiles);
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        // RFC 5764 4.1.1: exactly one profile; no MKI, since our SRTP packets carry none.
        TlsSRTPUtils.addUseSRTPExtension(extensions,
                new UseSRTPData(new int[] {selected.id()}, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        state.handshakeComplete(context, selected);
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        state.alertReceived(alertLevel, alertDescription);
    }

    private static String profileName(int id) {
        SrtpProfile known = SrtpProfile.ofId(id);
        return known != null ? known.rfcName() : String.format("0x%04X", id);
    }
}
