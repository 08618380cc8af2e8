package io.relaymesh.node.sdp;

/** The media type of an {@code m=} line; anything not modelled is {@link #OTHER}. */
public enum MediaKind {
    AUDIO("audio"),
    VIDEO("video"),
    APPLICATION("application"),
    OTHER("");

    private final String sdpName;

    MediaKind(String sdpName) {
        this.sdpName = sdpName;
    }

    public String sdpName() {
        return sdpName;
    }

    public static MediaKind of(String media) {
        return switch (media) {
            case "audio" -> AUDIO;
            case "video" -> VIDEO;
            case "application" -> APPLICATION;
            default -> OTHER;
        };
    }
}
