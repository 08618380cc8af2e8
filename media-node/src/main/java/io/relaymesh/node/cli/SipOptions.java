package io.relaymesh.node.cli;

import picocli.CommandLine.Option;

/** Flags of the SIP edge. */
public final class SipOptions {

    @Option(names = "--sip-port", paramLabel = "PORT", defaultValue = "${env:RELAYMESH_SIP_PORT:-5060}",
            description = "UDP and TCP port of the SIP edge (env RELAYMESH_SIP_PORT, default ${DEFAULT-VALUE}).")
    int sipPort;
}
