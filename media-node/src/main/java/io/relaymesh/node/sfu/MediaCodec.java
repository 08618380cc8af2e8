package io.relaymesh.node.sfu;

import java.util.Locale;

/** Media codecs the SFU forwards, by their SDP encoding name. */
enum MediaCodec {
    OPUS,
    VP8,
    VP9,
    H264,
    AV1,
    OTHER;

    static MediaCodec of(String encodingName) {
        return switch (encodingName.toUpperCase(Locale.ROOT)) {
            case "OPUS" -> OPUS;
            case "VP8" -> VP8;
            case "VP9" -> VP9;
            case "H264" -> H264;
            case "AV1" -> AV1;
            default -> OTHER;
        };
    }
}
