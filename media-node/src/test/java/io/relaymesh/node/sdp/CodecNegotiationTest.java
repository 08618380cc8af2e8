package io.relaymesh.node.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Codec choice: H264 profiles and levels (RFC 6184 8.2.2), RTX pairing (RFC 4588), filters, payload types. */
class CodecNegotiationTest {

    private static final String FINGERPRINT =
            "D1:74:8B:EB:89:B9:9D:5D:4D:46:D8:A0:2D:C2:44:53:87:1C:87:E3:E1:E3:92:BB:90:32:78:A3:55:A1:19:72";

    /** A one-section video offer with the given codec lines. */
    private static SessionDescription videoOffer(String formats, String codecLines) throws SdpException {
        return SessionDescription.parse("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE v\r\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF " + formats + "\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:abcd\r\n"
                + "a=ice-pwd:abcdefghijklmnopqrstuvwx\r\na=fingerprint:sha-256 " + FINGERPRINT + "\r\n"
                + "a=setup:actpass\r\na=mid:v\r\na=sendonly\r\na=rtcp-mux\r\n" + codecLines);
    }

    private static NegotiatedMedia negotiate(SessionDescription offer, CodecPolicy policy) throws SdpException {
        AnswerOptions options = AnswerOptions.builder(Direction.RECV_ONLY).ice("lite1234", "abcdefghijklmnopqrstuvwx")
                .fingerprintSha256(Fixtures.NODE_FINGERPRINT).codecs(policy).build();
        Answer answer = AnswerBuilder.answer(offer, options);
        assertThat(SessionDescription.parse(answer.sdp())).isEqualTo(answer.description());
        return answer.session().media().getFirst();
    }

    private static String h264(int pt, String fmtp) {
        return "a=rtpmap:" + pt + " H264/90000\r\na=rtcp-fb:" + pt + " nack\r\na=fmtp:" + pt + " " + fmtp + "\r\n";
    }

    @ParameterizedTest(name = "offer {0} with policy {1} -> {2}")
    @CsvSource({
        // same profile, lower level offered, no asymmetry: answer the offer's level
        "42e01f, 42e033, 42e01f",
        // same profile, our level lower: answer ours
        "42e034, 42e01f, 42e01f",
        // constrained baseline spelled with constraint_set0+1 only (42c0) is the same profile as 42e0
        "42c01f, 42e033, 42c01f",
        // Main with constraint_set1 is Constrained Baseline (RFC 6184 Table 5)
        "4d801f, 42e033, 4d801f",
        "640c1f, 640c33, 640c1f",
        "64001f, 640033, 64001f",
        "4d001f, 4d0028, 4d001f",
        // level 1b in baseline (level_idc 11 + constraint_set3) is below our 1.1
        "42f00b, 42e00b, 42f00b"})
    void answersTheOfferedProfileAtTheLowerLevel(String offered, String ours, String answered) throws Exception {
        SessionDescription offer = videoOffer("102", h264(102, "packetization-mode=1;profile-level-id=" + offered));
        CodecPolicy policy = new CodecPolicy(Set.of(), Set.of("H264"),
                List.of(H264ProfileLevelId.parse(ours)), true);

        NegotiatedCodec codec = negotiate(offer, policy).codecs().getFirst();

        assertThat(codec.payloadType()).isEqualTo(102);
        assertThat(codec.fmtp()).containsEntry("profile-level-id", answered).containsEntry("packetization-mode", "1")
                .doesNotContainKey("level-asymmetry-allowed");
    }

    @Test
    void withLevelAsymmetryTheAnswerStatesTheNodesOwnLevel() throws Exception {
        SessionDescription offer = videoOffer("108",
                h264(108, "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"));

        NegotiatedCodec codec = negotiate(offer, CodecPolicy.defaults().onlyVideo("H264")).codecs().getFirst();

        assertThat(codec.fmtp()).containsEntry("profile-level-id", "42e033")
                .containsEntry("level-asymmetry-allowed", "1");
    }

    @Test
    void profilesMustMatchBaselineConstrainedBaselineAndConstrainedHighAreDistinct() throws Exception {
        SessionDescription offer = videoOffer("102 108 96",
                h264(102, "packetization-mode=1;profile-level-id=42001f")
                        + h264(108, "packetization-mode=1;profile-level-id=42e01f")
                        + h264(96, "packetization-mode=1;profile-level-id=640c1f"));

        CodecPolicy onlyConstrainedBaseline = new CodecPolicy(Set.of(), Set.of("H264"),
                List.of(new H264ProfileLevelId(0x42, 0xE0, 0x1F)), true);
        CodecPolicy onlyConstrainedHigh = new CodecPolicy(Set.of(), Set.of("H264"),
                List.of(new H264ProfileLevelId(0x64, 0x0C, 0x1F)), true);
        CodecPolicy onlyBaseline = new CodecPolicy(Set.of(), Set.of("H264"),
                List.of(new H264ProfileLevelId(0x42, 0x00, 0x1F)), true);

        assertThat(negotiate(offer, onlyConstrainedBaseline).codecs()).extracting(NegotiatedCodec::payloadType)
                .containsExactly(108);
        assertThat(negotiate(offer, onlyConstrainedHigh).codecs()).extracting(NegotiatedCodec::payloadType)
                .containsExactly(96);
        assertThat(negotiate(offer, onlyBaseline).codecs()).extracting(NegotiatedCodec::payloadType)
                .containsExactly(102);
        assertThat(negotiate(offer, CodecPolicy.defaults()).codecs()).extracting(NegotiatedCodec::payloadType)
                .containsExactly(102, 108, 96);
    }

    @Test
    void refusesPacketizationModeZeroAndUnknownProfiles() throws Exception {
        SessionDescription offer = videoOffer("104 110 111 112",
                h264(104, "packetization-mode=0;profile-level-id=42e01f")
                        + h264(110, "profile-level-id=42e01f")
                        + h264(111, "packetization-mode=1;profile-level-id=f4001f")
                        + h264(112, "packetization-mode=1;profile-level-id=zz001f"));

        assertThatThrownBy(() -> negotiate(offer, CodecPolicy.defaults()))
                .hasMessageContaining("offered video codecs H264;");
    }

    @Test
    void missingProfileLevelIdMeansBaselineLevel1() throws Exception {
        SessionDescription offer = videoOffer("102", h264(102, "packetization-mode=1"));

        assertThat(negotiate(offer, CodecPolicy.defaults()).codecs().getFirst().fmtp())
                .containsEntry("profile-level-id", "42000a");
    }

    @Test
    void pairsEachChosenCodecWithItsRtxAndDropsRtxOfRefusedCodecs() throws Exception {
        SessionDescription offer = Fixtures.parsed("chromium-whip-sendonly.sdp");
        MediaDescription offered = offer.media().get(1);

        NegotiatedMedia video = AnswerBuilder.answer(offer, WriteAnswer.options(offer, false)).session().media().get(1);

        for (NegotiatedCodec c : video.codecs()) {
            assertThat(c.rtxPayloadType()).as("rtx for %s/%d", c.name(), c.payloadType()).isPositive();
            assertThat(offered.fmtp(c.rtxPayloadType()).orElseThrow().parameters())
                    .containsEntry("apt", Integer.toString(c.payloadType()));
        }
        // 104 (H264 packetization-mode 0) and 45 (AV1) are refused, so their rtx 107 and 46 are not answered.
        assertThat(video.codecs()).extracting(NegotiatedCodec::payloadType).doesNotContain(104, 45, 107, 46);
        MediaDescription answered = AnswerBuilder.answer(offer, WriteAnswer.options(offer, false)).description()
                .media().get(1);
        assertThat(answered.formats()).doesNotContain("104", "107", "45", "46", "118", "119", "120")
                .containsSubsequence("96", "97", "102", "103");
        assertThat(answered.fmtp(97).orElseThrow().raw()).isEqualTo("apt=96");
    }

    @Test
    void withoutRtxPolicyNoRtxIsAnswered() throws Exception {
        SessionDescription offer = Fixtures.parsed("safari-whip-sendonly.sdp");
        AnswerOptions options = AnswerOptions.builder(Direction.RECV_ONLY).ice("lite1234", "abcdefghijklmnopqrstuvwx")
                .fingerprintSha256(Fixtures.NODE_FINGERPRINT).codecs(CodecPolicy.defaults().withoutRtx()).build();

        Answer answer = AnswerBuilder.answer(offer, options);

        assertThat(answer.session().media().get(1).codecs()).allMatch(c -> !c.hasRtx());
        assertThat(answer.description().media().get(1).rtpMaps()).noneMatch(r -> r.is("rtx"));
    }

    @Test
    void forcedVideoCodecKeepsOnlyThatCodecWithTheOfferPayloadTypes() throws Exception {
        SessionDescription offer = Fixtures.parsed("safari-whip-sendonly.sdp");
        AnswerOptions options = AnswerOptions.builder(Direction.RECV_ONLY).ice("lite1234", "abcdefghijklmnopqrstuvwx")
                .fingerprintSha256(Fixtures.NODE_FINGERPRINT).codecs(CodecPolicy.defaults().onlyVideo("VP8"))
                .build();

        Answer answer = AnswerBuilder.answer(offer, options);
        MediaDescription video = answer.description().media().get(1);

        assertThat(video.formats()).containsExactly("127", "125");
        assertThat(video.rtpMaps()).containsExactly(new RtpMap(127, "VP8", 90000, 0), new RtpMap(125, "rtx", 90000, 0));
        assertThat(answer.session().media().get(1).codecs()).singleElement()
                .satisfies(c -> assertThat(c.rtxPayloadType()).isEqualTo(125));
    }

    @Test
    void safariOrderIsKeptH264FirstThenVp8ThenVp9() throws Exception {
        SessionDescription offer = Fixtures.parsed("safari-whip-sendonly.sdp");

        NegotiatedMedia video = AnswerBuilder.answer(offer, WriteAnswer.options(offer, false)).session().media().get(1);

        assertThat(video.codecs()).extracting(NegotiatedCodec::payloadType).containsExactly(96, 98, 127, 104);
        assertThat(video.codecs().get(0).fmtp()).containsEntry("profile-level-id", "640c33");
        assertThat(video.codecs().get(1).fmtp()).containsEntry("profile-level-id", "42e033");
    }

    @Test
    void opusNeedsTwoChannelsAt48kHzAndKeepsItsParameters() throws Exception {
        SessionDescription offer = Fixtures.parsed("firefox-whip-simulcast.sdp");

        NegotiatedCodec opus = AnswerBuilder.answer(offer, WriteAnswer.options(offer, false)).session().media().get(0)
                .codecs().getFirst();

        assertThat(opus).isEqualTo(new NegotiatedCodec(109, "opus", 48000, 2,
                java.util.Map.of("maxplaybackrate", "48000", "stereo", "1", "useinbandfec", "1"), Set.of(), -1));
    }

    @Test
    void onlyVideoRejectsCodecsTheNodeCannotForward() {
        assertThatThrownBy(() -> CodecPolicy.defaults().onlyVideo("H265"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported video codec 'H265'");
    }

    private static String av1(int pt, String fmtp) {
        return "a=rtpmap:" + pt + " AV1/90000\r\na=rtcp-fb:" + pt + " nack pli\r\n"
                + (fmtp == null ? "" : "a=fmtp:" + pt + " " + fmtp + "\r\n");
    }

    @Test
    void av1IsAnsweredWithTheOffersParametersAndTheDependencyDescriptor() throws Exception {
        String dd = "a=extmap:11 " + AnswerOptions.EXT_DEPENDENCY_DESCRIPTOR + "\r\n";
        SessionDescription offer = videoOffer("45 46 47 48", dd + av1(45, "level-idx=5;profile=0;tier=0")
                + av1(46, null) + av1(47, "profile=3") + av1(48, "level-idx=x"));

        NegotiatedMedia video = negotiate(offer, CodecPolicy.defaults().onlyVideo("AV1"));

        assertThat(video.codecs()).extracting(NegotiatedCodec::payloadType).containsExactly(45, 46);
        assertThat(video.codecs().getFirst().name()).isEqualTo("AV1");
        assertThat(video.codecs().getFirst().fmtp()).containsEntry("profile", "0").containsEntry("level-idx", "5")
                .containsEntry("tier", "0");
        assertThat(video.extensions()).containsEntry(AnswerOptions.EXT_DEPENDENCY_DESCRIPTOR, 11);
    }

    @Test
    void av1IsNotInTheDefaultsUntilTheSfuDetectsItsKeyframes() throws Exception {
        SessionDescription offer = videoOffer("45 96", av1(45, "profile=0")
                + "a=rtpmap:96 VP8/90000\r\n");

        assertThat(negotiate(offer, CodecPolicy.defaults()).codecs()).extracting(NegotiatedCodec::name)
                .containsExactly("VP8");
    }
}
