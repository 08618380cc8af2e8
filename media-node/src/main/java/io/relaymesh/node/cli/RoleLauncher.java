package io.relaymesh.node.cli;

import io.relaymesh.node.config.NodeSettings;

/**
 * Starts a role once the command line is parsed and validated. The CLI only parses; what runs is decided
 * by the launcher, so the command classes can be used (by the operator's tests, for instance) to check a
 * command line without starting anything.
 */
@FunctionalInterface
public interface RoleLauncher {

    /**
     * Runs the role until the process is asked to stop.
     *
     * @return the process exit code
     */
    int launch(NodeSettings settings) throws Exception;
}
