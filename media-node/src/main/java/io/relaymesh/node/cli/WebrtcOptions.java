package io.relaymesh.node.cli;

import picocli.CommandLine.Option;

/** Flags of the WebRTC SFU. */
public final class WebrtcOptions {

    @Option(names = "--webrtc-port", paramLabel = "PORT", defaultValue = "${env:RELAYMESH_WEBRTC_PORT:-10000}",
            description = "The one UDP port that carries every WebRTC session (env RELAYMESH_WEBRTC_PORT, default ${DEFAULT-VALUE}).")
    int webrtcPort;

    @Option(names = "--srtp-profile", paramLabel = "PROFILE", split = ",",
            defaultValue = "${env:RELAYMESH_SRTP_PROFILE:-aes-gcm,aes-cm}",
            description = "SRTP profiles to negotiate in DTLS, preferred first: aes-gcm (SRTP_AEAD_AES_128_GCM), "
                    + "aes-cm (SRTP_AES128_CM_HMAC_SHA1_80) (env RELAYMESH_SRTP_PROFILE, default ${DEFAULT-VALUE}).")
    java.util.List<String> srtpProfiles = new java.util.ArrayList<>();

    @Option(names = "--video-codec", paramLabel = "CODEC", split = ",",
            defaultValue = "${env:RELAYMESH_VIDEO_CODEC:-vp8,vp9,h264}",
            description = "Video codecs the node accepts: vp8, vp9, h264, av1 (env RELAYMESH_VIDEO_CODEC, default ${DEFAULT-VALUE}).")
    java.util.List<String> videoCodecs = new java.util.ArrayList<>();
}
