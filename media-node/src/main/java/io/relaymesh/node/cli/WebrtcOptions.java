package io.relaymesh.node.cli;

import picocli.CommandLine.Option;

/** Flags of the WebRTC SFU. */
public final class WebrtcOptions {

    @Option(names = "--webrtc-port", paramLabel = "PORT", defaultValue = "${env:RELAYMESH_WEBRTC_PORT:-10000}",
            description = "The one UDP port that carries every WebRTC session (env RELAYMESH_WEBRTC_PORT, default ${DEFAULT-VALUE}).")
    int webrtcPort;
}
