package io.relaymesh.node.boot;

import io.relaymesh.node.cluster.ClusterNode;
import io.relaymesh.node.cluster.ClusterSettings;
import io.relaymesh.node.cluster.membership.SwimConfig;
import io.relaymesh.node.config.NodeSettings;
import io.relaymesh.node.config.Secret;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.Set;

/** Joining the cluster from the command line: shared by the gateway and media roles. */
final class ClusterMembership {

    private ClusterMembership() {
    }

    /** The secret every member shares; a cluster role cannot make one up. */
    static Secret requireSecret(NodeSettings settings) {
        return settings.secret().orElseThrow(() -> new IllegalStateException(
                "a cluster node needs --secret (the same on every member, at least 32 bytes)"));
    }

    /** The address other members reach this node at: the first --advertise-ip, else the first detected one. */
    static InetAddress advertisedIp(NodeSettings settings) {
        return settings.advertiseIps().isEmpty() ? HostAddresses.detect().getFirst() : settings.advertiseIps().getFirst();
    }

    /**
     * Binds the cluster port and starts joining through the seeds.
     *
     * @param httpPort   the node's bound HTTP port (gossiped so gateways can reach it)
     * @param webrtcPort the node's WebRTC port, when it has one
     */
    static ClusterNode join(NodeSettings settings, Secret secret, int httpPort, Optional<Integer> webrtcPort)
            throws InterruptedException {
        InetAddress ip = advertisedIp(settings);
        ClusterSettings cluster = new ClusterSettings(settings.zone(), settings.nodeIndex(), Set.of(settings.role()),
                new InetSocketAddress(settings.clusterPort()), Optional.of(ip), settings.seeds(), secret,
                Optional.of(new InetSocketAddress(ip, httpPort)),
                webrtcPort.map(p -> new InetSocketAddress(ip, p)),
                StandaloneNode.softwareVersion(), SwimConfig.DEFAULTS);
        return ClusterNode.start(cluster);
    }

    /** The lines that tell the operator how others join. */
    static void printJoinHint(PrintStream out, NodeSettings settings, ClusterNode cluster) {
        out.println("  cluster    " + cluster.address());
        if (settings.seeds().isEmpty()) {
            out.println("  first node of the cluster: start the others with --seeds " + cluster.address());
        } else {
            out.println("  joining through " + settings.seeds());
        }
    }
}
