package io.relaymesh.node.cli;

import io.relaymesh.node.config.Role;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code relaymesh media}: the WebRTC SFU of a cluster. */
@Command(name = "media", mixinStandardHelpOptions = true, description = "The WebRTC SFU of a cluster.")
public final class MediaCommand implements Callable<Integer> {

    @ParentCommand
    RelaymeshCommand parent;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Mixin
    WebrtcOptions webrtc = new WebrtcOptions();

    @Mixin
    MediaOptions media = new MediaOptions();

    @Mixin
    ConnectorOptions connector = new ConnectorOptions();

    @Override
    public Integer call() throws Exception {
        return parent.launch(RelaymeshCommand.settings(Role.MEDIA, common, webrtc, null, null, connector, media, null));
    }
}
