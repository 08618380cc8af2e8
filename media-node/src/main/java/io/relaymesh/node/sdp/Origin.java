package io.relaymesh.node.sdp;

import java.util.List;

/**
 * The {@code o=} line (RFC 8866 section 5.2):
 * {@code o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>}.
 * Session id and version are kept as text: they are up to 64-bit unsigned and only compared.
 */
public record Origin(String username, String sessionId, String sessionVersion, String netType, String addressType,
                     String address) {

    static Origin parse(String value) throws SdpException {
        List<String> w = SdpSyntax.words(value);
        if (w.size() != 6) {
            throw new SdpException("o= needs 6 fields (username sess-id sess-version nettype addrtype address), got "
                    + w.size());
        }
        SdpSyntax.parseLong(w.get(1), 0, Long.MAX_VALUE, "o= session id");
        SdpSyntax.parseLong(w.get(2), 0, Long.MAX_VALUE, "o= session version");
        return new Origin(w.get(0), w.get(1), w.get(2), w.get(3), w.get(4), w.get(5));
    }

    @Override
    public String toString() {
        return username + " " + sessionId + " " + sessionVersion + " " + netType + " " + addressType + " " + address;
    }
}
