package io.relaymesh.node.sdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which codecs the node accepts in an answer. The node forwards media without decoding, so every codec it can
 * packetize and rewrite is acceptable: opus/48000/2, VP8, VP9, H264 with packetization-mode=1 in one of the
 * listed profiles, and AV1 (AV1 RTP specification section 7.2: profile 0-2, answered with the offer's parameters).
 * AV1 is supported but not in {@link #defaults()}: a node enables it with {@link #onlyVideo} ({@code --video-codec
 * av1}); browsers' AV1 encoders are costly enough that a node should not pick it unasked. RTX (RFC 4588) is answered for every chosen video codec the
 * offer pairs with one.
 *
 * @param audioCodecs names from {@link #SUPPORTED_AUDIO} to accept
 * @param videoCodecs names from {@link #SUPPORTED_VIDEO} to accept; narrowing it forces one video codec
 * @param h264Profiles the H264 profiles accepted and the highest level per profile the node declares
 * @param rtx whether to answer RTX for video codecs
 */
public record CodecPolicy(Set<String> audioCodecs, Set<String> videoCodecs, List<H264ProfileLevelId> h264Profiles,
                          boolean rtx) {

    public static final String OPUS = "opus";
    public static final String VP8 = "VP8";
    public static final String VP9 = "VP9";
    public static final String H264 = "H264";
    public static final String AV1 = "AV1";
    public static final List<String> SUPPORTED_AUDIO = List.of(OPUS);
    public static final List<String> SUPPORTED_VIDEO = List.of(VP8, VP9, H264, AV1);

    /**
     * Constrained Baseline, Baseline, Main, Constrained High and High, each up to level 5.1: the node does not
     * decode, so it declares a level high enough for 1080p publishers; answers never exceed the offer's level
     * unless both sides allow level asymmetry.
     */
    public static final List<H264ProfileLevelId> DEFAULT_H264_PROFILES = List.of(
            new H264ProfileLevelId(0x42, 0xE0, 0x33),
            new H264ProfileLevelId(0x42, 0x00, 0x33),
            new H264ProfileLevelId(0x4D, 0x00, 0x33),
            new H264ProfileLevelId(0x64, 0x0C, 0x33),
            new H264ProfileLevelId(0x64, 0x00, 0x33));

    public CodecPolicy {
        audioCodecs = canonical(audioCodecs, SUPPORTED_AUDIO, "audio");
        videoCodecs = canonical(videoCodecs, SUPPORTED_VIDEO, "video");
        h264Profiles = List.copyOf(h264Profiles);
        for (H264ProfileLevelId p : h264Profiles) {
            if (p.profile().isEmpty()) {
                throw new IllegalArgumentException("H264 profile-level-id " + p + " is not a known profile");
            }
        }
    }

    public static CodecPolicy defaults() {
        return new CodecPolicy(Set.of(OPUS), Set.of(VP8, VP9, H264), DEFAULT_H264_PROFILES, true);
    }

    /** The same policy accepting only the named video codecs (e.g. only H264), for tests and forced codecs. */
    public CodecPolicy onlyVideo(String... codecs) {
        return new CodecPolicy(audioCodecs, Set.of(codecs), h264Profiles, rtx);
    }

    public CodecPolicy withoutRtx() {
        return new CodecPolicy(audioCodecs, videoCodecs, h264Profiles, false);
    }

    public boolean accepts(MediaKind kind, String encodingName) {
        Set<String> set = kind == MediaKind.AUDIO ? audioCodecs : kind == MediaKind.VIDEO ? videoCodecs : Set.of();
        return set.stream().anyMatch(c -> c.equalsIgnoreCase(encodingName));
    }

    /** "opus, VP8, VP9, H264": what error messages list as supported. */
    public String describe() {
        List<String> all = new ArrayList<>();
        SUPPORTED_AUDIO.stream().filter(audioCodecs::contains).forEach(all::add);
        SUPPORTED_VIDEO.stream().filter(videoCodecs::contains).forEach(all::add);
        return all.isEmpty() ? "none" : String.join(", ", all);
    }

    private static Set<String> canonical(Set<String> names, List<String> supported, String kind) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : names) {
            String match = supported.stream().filter(s -> s.equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unsupported " + kind + " codec '" + name
                            + "' (supported: " + String.join(", ", supported) + ")"));
            out.add(match);
        }
        return Collections.unmodifiableSet(out);
    }
}
