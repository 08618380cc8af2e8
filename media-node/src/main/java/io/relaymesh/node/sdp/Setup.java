package io.relaymesh.node.sdp;

/** The DTLS role attribute {@code a=setup} (RFC 4145, RFC 8842). */
public enum Setup {
    ACTIVE("active"),
    PASSIVE("passive"),
    ACTPASS("actpass"),
    HOLDCONN("holdconn");

    private final String sdpName;

    Setup(String sdpName) {
        this.sdpName = sdpName;
    }

    public String sdpName() {
        return sdpName;
    }

    static Setup parse(String value) throws SdpException {
        for (Setup s : values()) {
            if (s.sdpName.equals(value)) {
                return s;
            }
        }
        throw new SdpException("bad a=setup value '" + SdpSyntax.abbreviate(value)
                + "' (expected active, passive, actpass or holdconn)");
    }
}
