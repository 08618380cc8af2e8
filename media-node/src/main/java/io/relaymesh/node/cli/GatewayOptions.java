package io.relaymesh.node.cli;

import picocli.CommandLine.Option;

/** Flags of a gateway: how it places sessions on media nodes. */
public final class GatewayOptions {

    @Option(names = "--placement-cpu-limit", paramLabel = "PERCENT",
            defaultValue = "${env:RELAYMESH_PLACEMENT_CPU_LIMIT:-60}",
            description = "A media node whose process uses this share of its machine's CPU or more takes no new "
                    + "sessions; 100 places by session capacity alone (env RELAYMESH_PLACEMENT_CPU_LIMIT, default "
                    + "${DEFAULT-VALUE}).")
    int placementCpuLimit;
}
