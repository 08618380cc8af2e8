package io.relaymesh.node.cli;

import picocli.CommandLine.Option;

/** Flags of the RTMP ingest. */
public final class RtmpOptions {

    @Option(names = "--rtmp-port", paramLabel = "PORT", defaultValue = "${env:RELAYMESH_RTMP_PORT:-1935}",
            description = "TCP port of RTMP ingest (env RELAYMESH_RTMP_PORT, default ${DEFAULT-VALUE}).")
    int rtmpPort;
}
