package io.relaymesh.node.boot;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The addresses to advertise when none are configured: the machine's non-loopback IPv4 addresses. */
final class HostAddresses {

    private HostAddresses() {
    }

    static List<InetAddress> detect() {
        List<InetAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        out.add(a);
                    }
                }
            }
        } catch (SocketException e) {
            // fall through to loopback
        }
        if (out.isEmpty()) {
            out.add(InetAddress.getLoopbackAddress());
        }
        return out;
    }
}
