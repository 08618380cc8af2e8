package io.relaymesh.node.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Flags every role takes. Each flag can also come from the environment variable named in its default. */
public final class CommonOptions {

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:RELAYMESH_HTTP_PORT:-3000}",
            description = "HTTP port: API, sample pages, health, metrics (env RELAYMESH_HTTP_PORT, default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--advertise-ip", paramLabel = "IP", split = ",",
            defaultValue = "${env:RELAYMESH_ADVERTISE_IP}",
            description = "Address put in ICE candidates and announced to the cluster; repeatable or comma-separated "
                    + "(env RELAYMESH_ADVERTISE_IP). Default: the machine's non-loopback addresses, or loopback when it has none.")
    List<String> advertiseIps = new ArrayList<>();

    @Option(names = "--secret", paramLabel = "SECRET", defaultValue = "${env:RELAYMESH_SECRET}",
            description = "Cluster secret (at least 32 bytes) that signs tokens and cluster messages (env RELAYMESH_SECRET). "
                    + "standalone generates a random one when absent; there is no fixed default.")
    String secret;

    @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "${env:RELAYMESH_ZONE:-local}",
            description = "Zone id, a DNS label (env RELAYMESH_ZONE, default ${DEFAULT-VALUE}).")
    String zone;

    @Option(names = "--node-index", paramLabel = "N", defaultValue = "${env:RELAYMESH_NODE_INDEX:-0}",
            description = "Index of this node in its zone; node id = zone-index (env RELAYMESH_NODE_INDEX, default ${DEFAULT-VALUE}).")
    int nodeIndex;

    @Option(names = "--cluster-port", paramLabel = "PORT", defaultValue = "${env:RELAYMESH_CLUSTER_PORT:-4000}",
            description = "UDP port of the cluster overlay (env RELAYMESH_CLUSTER_PORT, default ${DEFAULT-VALUE}).")
    int clusterPort;

    @Option(names = "--seeds", paramLabel = "HOST:PORT", split = ",", defaultValue = "${env:RELAYMESH_SEEDS}",
            description = "A cluster member to join through; repeatable or comma-separated; a DNS name may resolve to "
                    + "several members (env RELAYMESH_SEEDS).")
    List<String> seeds = new ArrayList<>();

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:RELAYMESH_DATA_DIR:-data}",
            description = "Directory for durable state such as the event queue (env RELAYMESH_DATA_DIR, default ${DEFAULT-VALUE}).")
    Path dataDir;
}
