package io.relaymesh.node.sdp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.Set;

/**
 * Picks the codecs of one answered media section: every offered codec the policy supports, in the offer's order
 * and with the offer's payload types, plus the RTX paired to each chosen video codec.
 */
final class CodecNegotiator {

    static final String RTX = "rtx";

    /** Marks an accepted codec whose answer carries no fmtp line. */
    private static final Fmtp NO_FMTP = new Fmtp(-1, "");

    /** The answered codecs, and the rtpmap/fmtp/rtcp-fb lines that describe them in the answer. */
    record Selection(List<String> formats, List<NegotiatedCodec> codecs, List<RtpMap> rtpMaps, List<Fmtp> fmtps,
                     List<RtcpFeedback> feedback) {

        boolean isEmpty() {
            return codecs.isEmpty();
        }
    }

    private CodecNegotiator() {
    }

    static Selection negotiate(MediaDescription offer, CodecPolicy policy, Set<String> supportedFeedback,
                               boolean transportCc) {
        MediaKind kind = offer.kind();
        Map<Integer, Fmtp> chosenFmtp = new LinkedHashMap<>();
        List<Integer> primaries = new ArrayList<>();
        for (int pt : offer.payloadTypes()) {
            Optional<RtpMap> rtpMap = offer.rtpMap(pt);
            if (rtpMap.isEmpty() || !policy.accepts(kind, rtpMap.get().encodingName())) {
                continue;
            }
            Optional<Fmtp> answered = answerFormat(kind, rtpMap.get(), offer.fmtp(pt), policy);
            if (answered.isPresent()) {
                primaries.add(pt);
                if (answered.get() != NO_FMTP) {
                    chosenFmtp.put(pt, answered.get());
                }
            }
        }
        Map<Integer, Integer> rtxFor = new HashMap<>();
        if (kind == MediaKind.VIDEO && policy.rtx()) {
            for (int pt : offer.payloadTypes()) {
                Optional<RtpMap> rtpMap = offer.rtpMap(pt);
                if (rtpMap.isEmpty() || !rtpMap.get().is(RTX) || rtpMap.get().clockRate() != 90_000) {
                    continue;
                }
                String apt = offer.fmtp(pt).map(f -> f.parameters().get("apt")).orElse(null);
                Integer primary = parseApt(apt);
                if (primary != null && primaries.contains(primary) && !rtxFor.containsKey(primary)) {
                    rtxFor.put(primary, pt);
                }
            }
        }
        List<String> formats = new ArrayList<>();
        List<RtpMap> rtpMaps = new ArrayList<>();
        List<Fmtp> fmtps = new ArrayList<>();
        List<RtcpFeedback> feedback = new ArrayList<>();
        List<NegotiatedCodec> codecs = new ArrayList<>();
        for (int pt : offer.payloadTypes()) {
            RtpMap rtpMap = offer.rtpMap(pt).orElse(null);
            if (primaries.contains(pt)) {
                formats.add(Integer.toString(pt));
                rtpMaps.add(rtpMap);
                Fmtp fmtp = chosenFmtp.get(pt);
                if (fmtp != null) {
                    fmtps.add(fmtp);
                }
                Set<String> fb = new LinkedHashSet<>();
                for (RtcpFeedback f : offer.rtcpFeedback(pt)) {
                    String name = f.feedback();
                    boolean usable = supportedFeedback.contains(name) && (transportCc || !name.equals("transport-cc"));
                    if (usable && fb.add(name)) {
                        feedback.add(new RtcpFeedback(pt, f.type(), f.parameter()));
                    }
                }
                codecs.add(new NegotiatedCodec(pt, rtpMap.encodingName(), rtpMap.clockRate(), rtpMap.channels(),
                        fmtp == null ? Map.of() : fmtp.parameters(), fb, rtxFor.getOrDefault(pt, -1)));
            } else if (rtxFor.containsValue(pt)) {
                int primary = rtxFor.entrySet().stream().filter(e -> e.getValue() == pt).findFirst().orElseThrow()
                        .getKey();
                formats.add(Integer.toString(pt));
                rtpMaps.add(rtpMap);
                fmtps.add(new Fmtp(pt, "apt=" + primary));
            }
        }
        return new Selection(formats, codecs, rtpMaps, fmtps, feedback);
    }

    /**
     * The fmtp the answer carries for an acceptable codec ({@link #NO_FMTP} when none), or empty when the codec
     * or its parameters are unacceptable.
     */
    private static Optional<Fmtp> answerFormat(MediaKind kind, RtpMap rtpMap, Optional<Fmtp> offered,
                                               CodecPolicy policy) {
        String name = rtpMap.encodingName();
        if (kind == MediaKind.AUDIO && name.equalsIgnoreCase(CodecPolicy.OPUS)) {
            return rtpMap.clockRate() == 48_000 && rtpMap.channels() == 2 ? offered.or(() -> Optional.of(NO_FMTP))
                    : Optional.empty();
        }
        if (rtpMap.clockRate() != 90_000) {
            return Optional.empty();
        }
        if (name.equalsIgnoreCase(CodecPolicy.VP8) || name.equalsIgnoreCase(CodecPolicy.VP9)) {
            return offered.or(() -> Optional.of(NO_FMTP));
        }
        if (name.equalsIgnoreCase(CodecPolicy.H264)) {
            return answerH264(rtpMap.payloadType(), offered, policy);
        }
        if (name.equalsIgnoreCase(CodecPolicy.AV1)) {
            return answerAv1(offered);
        }
        return Optional.empty();
    }

    /**
     * AV1 RTP specification section 7.2: {@code profile} (0 Main, 1 High, 2 Professional; default 0),
     * {@code level-idx} (0-31, default 5) and {@code tier} (0-1, default 0) describe what the sender produces. The
     * node forwards without decoding, so it accepts any valid combination and answers the offer's parameters.
     */
    private static Optional<Fmtp> answerAv1(Optional<Fmtp> offered) {
        Map<String, String> params = offered.<Map<String, String>>map(Fmtp::parameters).orElse(Map.of());
        if (!inRange(params.get("profile"), 2) || !inRange(params.get("level-idx"), 31)
                || !inRange(params.get("tier"), 1)) {
            return Optional.empty();
        }
        return offered.or(() -> Optional.of(NO_FMTP));
    }

    /** An absent parameter (its default applies) or a decimal in {@code 0..max}. */
    private static boolean inRange(String value, int max) {
        if (value == null) {
            return true;
        }
        if (value.isEmpty() || value.length() > 2 || !value.chars().allMatch(Character::isDigit)) {
            return false;
        }
        return Integer.parseInt(value) <= max;
    }

    /**
     * RFC 6184 section 8.2.2: same profile as offered; the level is the lower of the offer's and ours, unless
     * both sides allow level asymmetry, in which case the answer states the level the node can receive.
     */
    private static Optional<Fmtp> answerH264(int pt, Optional<Fmtp> offered, CodecPolicy policy) {
        Map<String, String> params = offered.<Map<String, String>>map(Fmtp::parameters).orElse(Map.of());
        if (!"1".equals(params.get("packetization-mode"))) {
            return Optional.empty(); // mode 0 (single NAL unit) cannot carry what browsers send at useful bitrates
        }
        H264ProfileLevelId offeredId;
        try {
            String text = params.get("profile-level-id");
            offeredId = text == null ? H264ProfileLevelId.DEFAULT : H264ProfileLevelId.parse(text);
        } catch (SdpException e) {
            return Optional.empty();
        }
        Optional<H264ProfileLevelId.Profile> profile = offeredId.profile();
        if (profile.isEmpty()) {
            return Optional.empty();
        }
        Optional<H264ProfileLevelId> ours = policy.h264Profiles().stream()
                .filter(p -> p.profile().equals(profile)).findFirst();
        if (ours.isEmpty()) {
            return Optional.empty();
        }
        boolean asymmetry = "1".equals(params.get("level-asymmetry-allowed"));
        H264ProfileLevelId level = asymmetry || ours.get().levelRank() < offeredId.levelRank() ? ours.get()
                : offeredId;
        SequencedMap<String, String> answer = new LinkedHashMap<>();
        if (asymmetry) {
            answer.put("level-asymmetry-allowed", "1");
        }
        answer.put("packetization-mode", "1");
        answer.put("profile-level-id", offeredId.withLevelOf(level).toString());
        return Optional.of(Fmtp.of(pt, answer));
    }

    private static Integer parseApt(String apt) {
        if (apt == null) {
            return null;
        }
        try {
            return SdpSyntax.parsePayloadType(apt);
        } catch (SdpException e) {
            return null;
        }
    }
}
