package io.relaymesh.node.sdp;

import java.util.List;

/** A {@code c=} line (RFC 8866 section 5.7): {@code c=<nettype> <addrtype> <connection-address>}. */
public record ConnectionData(String netType, String addressType, String address) {

    /** The placeholder JSEP writes when candidates carry the real addresses. */
    public static final ConnectionData UNSPECIFIED_IP4 = new ConnectionData("IN", "IP4", "0.0.0.0");

    static ConnectionData parse(String value) throws SdpException {
        List<String> w = SdpSyntax.words(value);
        if (w.size() != 3) {
            throw new SdpException("c= needs 3 fields (nettype addrtype address), got " + w.size());
        }
        return new ConnectionData(w.get(0), w.get(1), w.get(2));
    }

    @Override
    public String toString() {
        return netType + " " + addressType + " " + address;
    }
}
