package io.relaymesh.node.cli;

import io.relaymesh.node.config.Role;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code relaymesh gateway}: HTTP entry point (tokens, WHIP and WHEP signalling) that routes each session to the best media node. */
@Command(name = "gateway", mixinStandardHelpOptions = true, description = "HTTP entry point (tokens, WHIP and WHEP signalling) that routes each session to the best media node.")
public final class GatewayCommand implements Callable<Integer> {

    @ParentCommand
    RelaymeshCommand parent;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Mixin
    ConnectorOptions connector = new ConnectorOptions();

    @Mixin
    GatewayOptions gateway = new GatewayOptions();

    @Override
    public Integer call() throws Exception {
        return parent.launch(RelaymeshCommand.settings(Role.GATEWAY, common, null, null, null, connector, null,
                gateway));
    }
}
