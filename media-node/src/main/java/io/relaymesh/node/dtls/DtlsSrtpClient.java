package io.relaymesh.node.dtls;

import io.relaymesh.node.srtp.SrtpProfile;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;

import java.io.IOException;
import java.util.Hashtable;

/**
 * The DTLS-SRTP client policy: offers DTLS 1.2, ECDHE suites, extended master secret (required), the SRTP
 * profiles in our preference order, and presents our certificate; accepts the server only when its
 * certificate matches the SDP fingerprint and it picked exactly one of the offered profiles.
 */
final class DtlsSrtpClient extends DefaultTlsClient {

    private final HandshakeState state;
    private SrtpProfile selected;

    DtlsSrtpClient(HandshakeState state) {
        super(state.crypto);
        this.state = state;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), HandshakeState.CLIENT_CIPHER_SUITES);
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
    @SuppressWarnings({"rawtypes", "unchecked"}) // Bouncy Castle's extension API predates generics.
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = super.getClientExtensions();
        int[] ids = state.profiles.stream().mapToInt(SrtpProfile::id).toArray();
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(ids, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData chosen = serverExtensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (chosen == null) {
            throw state.reject(AlertDescription.handshake_failure,
                    "server did not answer the use_srtp extension (RFC 5764)");
        }
        int[] ids = chosen.getProtectionProfiles();
        if (ids.length != 1) {
            throw state.reject(AlertDescription.illegal_parameter,
                    "server must select exactly one SRTP profile, selected " + ids.length);
        }
        SrtpProfile profile = SrtpProfile.ofId(ids[0]);
        if (profile == null || !state.profiles.contains(profile)) {
            throw state.reject(AlertDescription.illegal_parameter,
                    String.format("server selected SRTP profile 0x%04X, which was not offered", ids[0]));
        }
        if (chosen.getMki().length != 0) {
            throw state.reject(AlertDescription.illegal_parameter, "server sent an SRTP MKI, which was not offered");
        }
        selected = profile;
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                state.verifyPeer(serverCertificate.getCertificate());
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest certificateRequest) {
                return state.signer(context);
            }
        };
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
}
