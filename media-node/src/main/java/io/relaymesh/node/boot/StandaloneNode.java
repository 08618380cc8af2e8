package io.relaymesh.node.boot;

import io.relaymesh.node.config.NodeSettings;

/** Placeholder until the standalone node is wired. */
final class StandaloneNode {
    private StandaloneNode() {
    }

    static int run(NodeSettings settings) {
        System.err.println("relaymesh standalone: not available yet");
        return 3;
    }
}
