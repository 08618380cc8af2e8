package io.relaymesh.node;

import io.relaymesh.node.boot.NodeLauncher;
import io.relaymesh.node.cli.RelaymeshCommand;

/** The {@code relaymesh} program: parses the command line and starts the chosen role. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int code = RelaymeshCommand.commandLine(new NodeLauncher()).execute(args);
        System.exit(code);
    }
}
