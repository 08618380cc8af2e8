package io.relaymesh.node.gateway;

import io.relaymesh.node.cluster.membership.Member;
import io.relaymesh.node.cluster.wire.MemberState;
import io.relaymesh.node.cluster.wire.NodeLoad;
import io.relaymesh.node.cluster.wire.NodeMetadata;
import io.relaymesh.node.config.Role;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Members as a gateway sees them, for selection and routing tests. */
final class Members {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private Members() {
    }

    static Member media(String zone, int index, MemberState state, int cpuPermille, long sessions, long capacity,
                        Duration rtt, int httpPort) {
        NodeMetadata metadata = new NodeMetadata(zone, index, Set.of(Role.MEDIA),
                new InetSocketAddress(LOOPBACK, 7000 + index), Optional.of(new InetSocketAddress(LOOPBACK, httpPort)),
                Optional.of(new InetSocketAddress(LOOPBACK, 10000 + index)),
                new NodeLoad(cpuPermille, 100, sessions, capacity, 0, 0), "test");
        return new Member(metadata.nodeId(), state, 1, metadata, Optional.ofNullable(rtt), false);
    }

    static Member media(String zone, int index, int cpuPermille, long sessions, Duration rtt) {
        return media(zone, index, MemberState.ALIVE, cpuPermille, sessions, 100, rtt, 8000 + index);
    }

    static Member gateway(String zone, int index) {
        NodeMetadata metadata = new NodeMetadata(zone, index, Set.of(Role.GATEWAY),
                new InetSocketAddress(LOOPBACK, 7000 + index), Optional.of(new InetSocketAddress(LOOPBACK, 3000)),
                Optional.empty(), NodeLoad.IDLE, "test");
        return new Member(metadata.nodeId(), MemberState.ALIVE, 1, metadata, Optional.empty(), true);
    }
}
