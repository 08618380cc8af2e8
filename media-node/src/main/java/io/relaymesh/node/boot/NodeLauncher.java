package io.relaymesh.node.boot;

import io.relaymesh.node.cli.RelaymeshCommand;
import io.relaymesh.node.cli.RoleLauncher;
import io.relaymesh.node.config.NodeSettings;
import io.relaymesh.node.config.Role;

/** Starts the role a command line asked for. */
public final class NodeLauncher implements RoleLauncher {

    @Override
    public int launch(NodeSettings settings) throws Exception {
        if (settings.role() != Role.STANDALONE) {
            System.err.println("relaymesh " + settings.role().command()
                    + ": not available yet in this build; run 'relaymesh standalone'");
            return RelaymeshCommand.EXIT_NOT_AVAILABLE;
        }
        return StandaloneNode.run(settings);
    }
}
