package io.relaymesh.node.boot;

import io.relaymesh.node.cli.RelaymeshCommand;
import io.relaymesh.node.cli.RoleLauncher;
import io.relaymesh.node.config.NodeSettings;

/** Starts the role a command line asked for. */
public final class NodeLauncher implements RoleLauncher {

    @Override
    public int launch(NodeSettings settings) throws Exception {
        return switch (settings.role()) {
            case STANDALONE -> StandaloneNode.run(settings);
            case MEDIA -> MediaNode.run(settings);
            case GATEWAY -> GatewayNode.run(settings);
            default -> {
                System.err.println("relaymesh " + settings.role().command()
                        + ": not available yet in this build; run 'relaymesh standalone', 'media' or 'gateway'");
                yield RelaymeshCommand.EXIT_NOT_AVAILABLE;
            }
        };
    }
}
