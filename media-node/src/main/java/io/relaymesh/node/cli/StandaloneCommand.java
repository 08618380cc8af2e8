package io.relaymesh.node.cli;

import io.relaymesh.node.config.Role;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code relaymesh standalone}: every role in one process (WebRTC SFU with WHIP and WHEP, tokens, sample pages); needs no cluster. */
@Command(name = "standalone", mixinStandardHelpOptions = true, description = "Every role in one process (WebRTC SFU with WHIP and WHEP, tokens, sample pages); needs no cluster.")
public final class StandaloneCommand implements Callable<Integer> {

    @ParentCommand
    RelaymeshCommand parent;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Mixin
    WebrtcOptions webrtc = new WebrtcOptions();

    @Mixin
    RtmpOptions rtmp = new RtmpOptions();

    @Mixin
    SipOptions sip = new SipOptions();

    @Mixin
    ConnectorOptions connector = new ConnectorOptions();

    @Override
    public Integer call() throws Exception {
        return parent.launch(RelaymeshCommand.settings(Role.STANDALONE, common, webrtc, rtmp, sip, connector, null, null));
    }
}
