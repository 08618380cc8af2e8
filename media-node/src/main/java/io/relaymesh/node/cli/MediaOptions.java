package io.relaymesh.node.cli;

import picocli.CommandLine.Option;

/** Flags of a media node in a cluster: what it offers gateways and where it relays media to other nodes. */
public final class MediaOptions {

    @Option(names = "--session-capacity", paramLabel = "N", defaultValue = "${env:RELAYMESH_SESSION_CAPACITY:-500}",
            description = "Live WebRTC sessions this node offers gateways; 0 takes none through a gateway (a node kept "
                    + "for relaying, or cordoned) (env RELAYMESH_SESSION_CAPACITY, default ${DEFAULT-VALUE}).")
    long sessionCapacity;

    @Option(names = "--relay-port", paramLabel = "PORT", defaultValue = "${env:RELAYMESH_RELAY_PORT}",
            description = "UDP port media is relayed to and from other media nodes on (env RELAYMESH_RELAY_PORT, "
                    + "default: the cluster port + 1).")
    Integer relayPort;
}
