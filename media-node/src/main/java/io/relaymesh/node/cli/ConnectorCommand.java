package io.relaymesh.node.cli;

import io.relaymesh.node.config.Role;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code relaymesh connector}: delivers session, room and track events to NATS and webhooks. */
@Command(name = "connector", mixinStandardHelpOptions = true, description = "Delivers session, room and track events to NATS and webhooks.")
public final class ConnectorCommand implements Callable<Integer> {

    @ParentCommand
    RelaymeshCommand parent;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Mixin
    ConnectorOptions connector = new ConnectorOptions();

    @Override
    public Integer call() throws Exception {
        return parent.launch(RelaymeshCommand.settings(Role.CONNECTOR, common, null, null, null, connector, null, null));
    }
}
