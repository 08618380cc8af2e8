package io.relaymesh.node.cli;

import picocli.CommandLine;

/** Reports the version recorded in the jar's manifest. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = RelaymeshCommand.class.getPackage().getImplementationVersion();
        return new String[] {"relaymesh " + (version == null ? "development build" : version)};
    }
}
