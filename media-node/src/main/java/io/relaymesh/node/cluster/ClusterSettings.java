package io.relaymesh.node.cluster;

import io.relaymesh.node.cluster.membership.SwimConfig;
import io.relaymesh.node.config.NodeSettings;
import io.relaymesh.node.config.Role;
import io.relaymesh.node.config.Secret;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link ClusterNode} starts with.
 *
 * @param zone          zone id
 * @param nodeIndex     index in the zone; the node id is {@code zone-index}
 * @param roles         roles this node serves (gossiped)
 * @param bind          local UDP address of the cluster port (port 0 picks one)
 * @param advertiseIp   the IP other members reach this node at; required when {@code bind} is the wildcard
 * @param seeds         members to join through, {@code host:port}, unresolved names allowed (resolved at each
 *                      attempt; one name may stand for several members)
 * @param secret        the cluster secret; the message key is derived from it
 * @param httpAddress   this node's HTTP API, when it has one (gossiped)
 * @param webrtcAddress this node's WebRTC port, when it has one (gossiped)
 * @param version       software version (gossiped)
 * @param swim          protocol parameters
 */
public record ClusterSettings(String zone, int nodeIndex, Set<Role> roles, InetSocketAddress bind,
                              Optional<InetAddress> advertiseIp, List<InetSocketAddress> seeds, Secret secret,
                              Optional<InetSocketAddress> httpAddress, Optional<InetSocketAddress> webrtcAddress,
                              String version, SwimConfig swim) {

    public ClusterSettings {
        Objects.requireNonNull(zone, "zone");
        roles = Set.copyOf(roles);
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(advertiseIp, "advertiseIp");
        seeds = List.copyOf(seeds);
        Objects.requireNonNull(secret, "the cluster secret (--secret)");
        Objects.requireNonNull(httpAddress, "httpAddress");
        Objects.requireNonNull(webrtcAddress, "webrtcAddress");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(swim, "swim");
        if (bind.getAddress() == null || (bind.getAddress().isAnyLocalAddress() && advertiseIp.isEmpty())) {
            throw new IllegalArgumentException("the cluster port is bound to every address: --advertise-ip must say "
                    + "which one other members use");
        }
    }

    /** The node id: zone and index. */
    public String nodeId() {
        return zone + "-" + nodeIndex;
    }

    /** The IP address put into this node's gossiped metadata. */
    public InetAddress advertisedIp() {
        return advertiseIp.orElse(bind.getAddress());
    }

    /** The cluster settings of a node started from the command line. */
    public static ClusterSettings of(NodeSettings node, String version) {
        Secret secret = node.secret().orElseThrow(() -> new IllegalArgumentException(
                "a cluster node needs --secret (the same on every member)"));
        Optional<InetAddress> advertise = node.advertiseIps().stream().findFirst();
        InetAddress ip = advertise.orElseThrow(() -> new IllegalArgumentException(
                "a cluster node needs --advertise-ip (the address other members reach it at)"));
        return new ClusterSettings(node.zone(), node.nodeIndex(), Set.of(node.role()),
                new InetSocketAddress(node.clusterPort()), advertise, node.seeds(), secret,
                Optional.of(new InetSocketAddress(ip, node.httpPort())),
                Optional.of(new InetSocketAddress(ip, node.webrtcPort())), version, SwimConfig.DEFAULTS);
    }
}
