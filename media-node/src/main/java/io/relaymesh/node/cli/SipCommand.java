package io.relaymesh.node.cli;

import io.relaymesh.node.config.Role;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code relaymesh sip}: SIP calls bridged into rooms. */
@Command(name = "sip", mixinStandardHelpOptions = true, description = "SIP calls bridged into rooms.")
public final class SipCommand implements Callable<Integer> {

    @ParentCommand
    RelaymeshCommand parent;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Mixin
    SipOptions sip = new SipOptions();

    @Override
    public Integer call() throws Exception {
        return parent.launch(RelaymeshCommand.settings(Role.SIP, common, null, null, sip, null, null, null));
    }
}
