package io.relaymesh.node.cli;

import io.relaymesh.node.config.Role;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code relaymesh rtmp}: RTMP ingest (OBS, ffmpeg) into WebRTC rooms. */
@Command(name = "rtmp", mixinStandardHelpOptions = true, description = "RTMP ingest (OBS, ffmpeg) into WebRTC rooms.")
public final class RtmpCommand implements Callable<Integer> {

    @ParentCommand
    RelaymeshCommand parent;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Mixin
    RtmpOptions rtmp = new RtmpOptions();

    @Override
    public Integer call() throws Exception {
        return parent.launch(RelaymeshCommand.settings(Role.RTMP, common, null, rtmp, null, null, null, null));
    }
}
