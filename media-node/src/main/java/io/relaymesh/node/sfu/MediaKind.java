package io.relaymesh.node.sfu;

/** Audio or video. */
public enum MediaKind {
    AUDIO,
    VIDEO
}
