package io.relaymesh.node.sdp;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The node's UDP host candidates (RFC 8445 section 5.1.2): priority
 * {@code 2^24 * 126 + 2^8 * localPreference + (256 - component)}, the local preference falling with the position
 * in the list, and a foundation that is the same for the same type, base address and protocol.
 */
public final class HostCandidates {

    static final int HOST_TYPE_PREFERENCE = 126;
    static final int COMPONENT_RTP = 1;

    private HostCandidates() {
    }

    public static List<Candidate> of(List<InetSocketAddress> addresses) {
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < addresses.size(); i++) {
            InetSocketAddress a = addresses.get(i);
            String address = hostAddress(a);
            int localPreference = Math.max(0, 65_535 - i);
            long priority = ((long) HOST_TYPE_PREFERENCE << 24) | ((long) localPreference << 8)
                    | (256 - COMPONENT_RTP);
            out.add(new Candidate(foundation(address), COMPONENT_RTP, "udp", priority, address, a.getPort(), "host",
                    "", -1, List.of()));
        }
        return out;
    }

    static String hostAddress(InetSocketAddress a) {
        String text = a.getAddress().getHostAddress();
        int scope = text.indexOf('%'); // a zone id means nothing to the remote peer
        return scope < 0 ? text : text.substring(0, scope);
    }

    static ConnectionData connectionData(InetSocketAddress a) {
        return new ConnectionData("IN", a.getAddress() instanceof Inet6Address ? "IP6" : "IP4", hostAddress(a));
    }

    private static String foundation(String address) {
        CRC32 crc = new CRC32();
        crc.update(("host udp " + address).getBytes(StandardCharsets.US_ASCII));
        return Long.toString(crc.getValue());
    }
}
