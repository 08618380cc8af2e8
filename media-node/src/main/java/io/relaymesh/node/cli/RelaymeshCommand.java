package io.relaymesh.node.cli;

import io.relaymesh.node.config.NodeSettings;
import io.relaymesh.node.config.Role;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code relaymesh}: the media-node program. One role per process, or every role in {@code standalone}.
 *
 * <p>Exit codes: 0 clean stop, 2 invalid command line, 3 role not available in this build, 1 failure at run time.
 */
@Command(name = "relaymesh",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Decentralized, low-latency media node: WebRTC SFU (WHIP/WHEP), gateway, RTMP, SIP, events.",
        subcommands = {
            StandaloneCommand.class,
            GatewayCommand.class,
            MediaCommand.class,
            RtmpCommand.class,
            SipCommand.class,
            ConnectorCommand.class
        })
public final class RelaymeshCommand implements Runnable {

    public static final int EXIT_USAGE = 2;
    public static final int EXIT_NOT_AVAILABLE = 3;

    private final RoleLauncher launcher;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public RelaymeshCommand(RoleLauncher launcher) {
        this.launcher = Objects.requireNonNull(launcher, "launcher");
    }

    /** A command line ready to {@code execute(args)} or {@code parseArgs(args)}. */
    public static CommandLine commandLine(RoleLauncher launcher) {
        CommandLine cl = new CommandLine(new RelaymeshCommand(launcher));
        cl.setExitCodeExceptionMapper(RelaymeshCommand::exitCodeOf);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof IllegalArgumentException) {
                commandLine.getErr().println("relaymesh " + commandLine.getCommandName() + ": " + ex.getMessage());
                return EXIT_USAGE;
            }
            throw ex;
        });
        return cl;
    }

    private static int exitCodeOf(Throwable t) {
        return t instanceof IllegalArgumentException || t instanceof CommandLine.ParameterException ? EXIT_USAGE : 1;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "choose a role: standalone, gateway, media, rtmp, sip or connector (try 'relaymesh standalone')");
    }

    int launch(NodeSettings settings) throws Exception {
        return launcher.launch(settings);
    }

    /** Shared by subcommands: builds validated settings for a role from the option groups it has. */
    static NodeSettings settings(Role role, CommonOptions common, WebrtcOptions webrtc, RtmpOptions rtmp,
                                 SipOptions sip, ConnectorOptions connector, MediaOptions media,
                                 GatewayOptions gateway) {
        return SettingsAssembler.assemble(role, common, webrtc, rtmp, sip, connector, media, gateway);
    }
}
