package io.relaymesh.node.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Offer/answer rules of RFC 8829 as the ICE-lite, DTLS-server node applies them. */
class AnswerBuilderTest {

    private static final String WHIP = Fixtures.offer("chromium-whip-sendonly.sdp");

    private static Answer answer(String offer, boolean whep) throws Exception {
        SessionDescription parsed = SessionDescription.parse(offer);
        return AnswerBuilder.answer(parsed, WriteAnswer.options(parsed, whep));
    }

    private static String withoutLines(String sdp, String prefix) {
        return sdp.lines().filter(l -> !l.startsWith(prefix)).map(l -> l + "\r\n").reduce("", String::concat);
    }

    static Stream<Arguments> unanswerable() {
        return Stream.of(
                Arguments.of(withoutLines(WHIP, "a=fingerprint"), "offer has no a=fingerprint (DTLS is required)"),
                Arguments.of(withoutLines(WHIP, "a=ice-ufrag"), "offer has no a=ice-ufrag for mid 0 (ICE is required)"),
                Arguments.of(withoutLines(WHIP, "a=ice-pwd"), "offer has no a=ice-pwd for mid 0 (ICE is required)"),
                Arguments.of(withoutLines(WHIP, "a=rtcp-mux"),
                        "offer m-line mid=0 has no a=rtcp-mux (rtcp-mux is required)"),
                Arguments.of(WHIP.replace("a=setup:actpass", "a=setup:passive"),
                        "offer has a=setup:passive but the node is always the DTLS server"),
                Arguments.of(WHIP.replace("a=setup:actpass", "a=setup:holdconn"), "offer has a=setup:holdconn"),
                Arguments.of(withoutLines(WHIP, "a=group:BUNDLE"),
                        "offer has no a=group:BUNDLE but 2 media sections"),
                Arguments.of(withoutLines(WHIP, "a=mid:1"), "offer media section 2 (video) has no a=mid"),
                Arguments.of(WHIP.replace("a=sendonly", "a=recvonly"),
                        "offer has no sendonly or sendrecv audio/video m-line: nothing for the node to receive"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("unanswerable")
    void rejectsOffersItCannotServeWithTheReason(String offer, String reason) {
        assertThatThrownBy(() -> answer(offer, false)).isInstanceOf(SdpException.class).hasMessageContaining(reason);
    }

    @Test
    void viewerOfferThatOnlySendsIsRefused() {
        String offer = Fixtures.offer("chromium-whep-recvonly.sdp").replace("a=recvonly", "a=sendonly");
        assertThatThrownBy(() -> answer(offer, true)).hasMessage(
                "offer has no recvonly or sendrecv audio/video m-line: nothing for the node to send to");
    }

    @Test
    void namesOfferedAndSupportedCodecsWhenNothingMatches() throws Exception {
        String offer = """
                v=0
                o=- 1 2 IN IP4 127.0.0.1
                s=-
                t=0 0
                a=group:BUNDLE 0
                m=video 9 UDP/TLS/RTP/SAVPF 45 46 49
                c=IN IP4 0.0.0.0
                a=ice-ufrag:abcd
                a=ice-pwd:abcdefghijklmnopqrstuvwx
                a=fingerprint:sha-256 D1:74:8B:EB:89:B9:9D:5D:4D:46:D8:A0:2D:C2:44:53:87:1C:87:E3:E1:E3:92:BB:90:32:78:A3:55:A1:19:72
                a=setup:actpass
                a=mid:0
                a=sendonly
                a=rtcp-mux
                a=rtpmap:45 AV1/90000
                a=rtpmap:46 rtx/90000
                a=fmtp:46 apt=45
                a=rtpmap:49 H265/90000
                """;
        assertThatThrownBy(() -> answer(offer, false)).isInstanceOf(SdpException.class).hasMessage(
                "offer has no audio or video m-line with a supported codec: offered video codecs AV1, H265;"
                        + " supported opus, VP8, VP9, H264");
    }

    @Test
    void codecFilterThatRemovesEverythingSaysSo() throws Exception {
        String vp8Only = Fixtures.offer("firefox-whip-simulcast.sdp");
        SessionDescription offer = SessionDescription.parse(vp8Only);
        AnswerOptions options = options(Direction.RECV_ONLY,
                new CodecPolicy(java.util.Set.of(), java.util.Set.of("VP9"),
                        CodecPolicy.DEFAULT_H264_PROFILES, true));
        SessionDescription noVp9 = SessionDescription.parse(withoutLines(vp8Only, "a=rtpmap:121"));

        assertThat(AnswerBuilder.answer(offer, options).session().media()).singleElement()
                .extracting(NegotiatedMedia::kind).isEqualTo(MediaKind.VIDEO);
        assertThatThrownBy(() -> AnswerBuilder.answer(noVp9, options)).hasMessage(
                "offer has no audio or video m-line with a supported codec: offered audio codecs opus, G722, PCMU,"
                        + " PCMA, telephone-event; offered video codecs VP8, H264; supported VP9");
    }

    @ParameterizedTest
    @CsvSource({
        "sendonly, RECV_ONLY, recvonly", "sendrecv, RECV_ONLY, recvonly", "inactive, RECV_ONLY, inactive",
        "recvonly, SEND_ONLY, sendonly", "sendrecv, SEND_ONLY, sendonly", "sendonly, SEND_ONLY, inactive",
        "sendrecv, SEND_RECV, sendrecv", "recvonly, SEND_RECV, sendonly", "sendonly, SEND_RECV, recvonly"})
    void answersTheComplementOfTheOfferedDirection(String offered, Direction local, String answered) {
        assertThat(AnswerBuilder.complement(Direction.fromSdp(offered).orElseThrow(), local).sdpName())
                .isEqualTo(answered);
    }

    @Test
    void inactiveSectionStaysInTheBundleWhileAnotherIsServed() throws Exception {
        String offer = WHIP.replaceFirst("a=sendonly", "a=inactive");
        Answer answer = answer(offer, false);

        assertThat(answer.description().media()).extracting(m -> m.direction().orElseThrow())
                .containsExactly(Direction.INACTIVE, Direction.RECV_ONLY);
        assertThat(answer.description().bundleMids()).containsExactly("0", "1");
    }

    @Test
    void rejectsTheDataChannelSectionWithPortZeroAndKeepsItsMid() throws Exception {
        Answer answer = answer(Fixtures.offer("chromium-whep-datachannel.sdp"), true);
        MediaDescription application = answer.description().media().get(2);

        assertThat(application.port()).isZero();
        assertThat(application.isRejected()).isTrue();
        assertThat(application.mid()).contains("2");
        assertThat(application.formats()).containsExactly("webrtc-datachannel");
        assertThat(application.candidates()).isEmpty();
        assertThat(answer.description().bundleMids()).containsExactly("0", "1");
        assertThat(answer.session().bundleMids()).containsExactly("0", "1");
    }

    @Test
    void sectionOutsideTheBundleGroupIsRejected() throws Exception {
        Answer answer = answer(WHIP.replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 1"), false);

        assertThat(answer.description().media().get(0).isRejected()).isTrue();
        assertThat(answer.description().bundleMids()).containsExactly("1");
        assertThat(answer.description().media().get(1).candidates()).isNotEmpty();
    }

    @Test
    void singleUnbundledSectionIsAnsweredWithoutAGroup() throws Exception {
        SessionDescription offer = SessionDescription.parse(withoutLines(WHIP, "a=group:BUNDLE"));
        SessionDescription audioOnly = new SessionDescription(offer.version(), offer.origin(), offer.sessionName(),
                offer.otherLines(), offer.connection(), offer.bandwidths(), offer.timings(), offer.groups(),
                offer.iceUfrag(), offer.icePwd(), offer.iceOptions(), offer.iceLite(), offer.fingerprints(),
                offer.setup(), offer.msidSemantic(), offer.extmapAllowMixed(), offer.direction(), offer.extmaps(),
                offer.otherAttributes(), List.of(offer.media().getFirst()));

        Answer answer = AnswerBuilder.answer(audioOnly, WriteAnswer.options(audioOnly, false));

        assertThat(answer.description().groups()).isEmpty();
        assertThat(answer.session().bundleMids()).isEmpty();
        assertThat(answer.session().media()).hasSize(1);
    }

    @Test
    void publisherAnswerEchoesSimulcastRidsAsReceive() throws Exception {
        Answer answer = answer(Fixtures.offer("chromium-whip-simulcast.sdp"), false);
        MediaDescription video = answer.description().media().get(1);

        assertThat(video.rids()).containsExactly(new Rid("h", Rid.RidDirection.RECV, ""),
                new Rid("m", Rid.RidDirection.RECV, ""), new Rid("l", Rid.RidDirection.RECV, ""));
        assertThat(video.simulcast()).get().hasToString("recv h;m;l");
        NegotiatedMedia negotiated = answer.session().mediaByMid("1").orElseThrow();
        assertThat(negotiated.remoteRids()).extracting(Rid::id).containsExactly("h", "m", "l");
        assertThat(negotiated.remoteSimulcast()).get().extracting(Simulcast::sendRids)
                .isEqualTo(List.of("h", "m", "l"));
        assertThat(negotiated.extensionId(AnswerOptions.EXT_RTP_STREAM_ID)).contains(10);
        assertThat(negotiated.extensionId(AnswerOptions.EXT_REPAIRED_RTP_STREAM_ID)).contains(11);
    }

    @Test
    void ridRestrictionsKeepOnlyAnsweredPayloadTypesAndPausedStreamsStayPaused() throws Exception {
        String offer = Fixtures.offer("chromium-whip-simulcast.sdp")
                .replace("a=rid:h send", "a=rid:h send pt=45,96;max-width=1280")
                .replace("a=rid:l send", "a=rid:l send pt=45")
                .replace("a=simulcast:send h;m;l", "a=simulcast:send h;~m;l");
        Answer answer = answer(offer, false);
        MediaDescription video = answer.description().media().get(1);

        assertThat(video.rids()).containsExactly(new Rid("h", Rid.RidDirection.RECV, "pt=96;max-width=1280"),
                new Rid("m", Rid.RidDirection.RECV, ""));
        assertThat(video.simulcast()).get().hasToString("recv h;~m");
    }

    @Test
    void viewerAnswerAnnouncesTheOutgoingStreamsWithRtxPairing() throws Exception {
        Answer answer = answer(Fixtures.offer("chromium-whep-recvonly.sdp"), true);
        MediaDescription audio = answer.description().media().get(0);
        MediaDescription video = answer.description().media().get(1);

        assertThat(answer.description().msidSemantic()).get().extracting(MsidSemantic::streamIds)
                .isEqualTo(List.of("room-stream"));
        assertThat(audio.msids()).containsExactly(new Msid("room-stream", "track-0"));
        assertThat(audio.ssrcGroups()).isEmpty(); // no RTX for opus
        assertThat(audio.ssrcs()).containsExactly(new SsrcAttribute(10_000, "cname", "relaymesh"),
                new SsrcAttribute(10_000, "msid", "room-stream track-0"));
        assertThat(video.ssrcGroups()).containsExactly(new SsrcGroup(SsrcGroup.FID, List.of(10_002L, 10_003L)));
        assertThat(video.ssrcList()).containsExactly(10_002L, 10_003L);
        assertThat(video.ssrcAttribute(10_003, "msid")).contains("room-stream track-1");
        assertThat(video.rids()).isEmpty();
        assertThat(answer.session().mediaByMid("1").orElseThrow().outgoing()).isPresent();
    }

    @Test
    void publisherSsrcsGroupsMsidAndCnameAreReported() throws Exception {
        NegotiatedMedia video = answer(WHIP, false).session().mediaByMid("1").orElseThrow();
        SessionDescription offer = SessionDescription.parse(WHIP);
        MediaDescription offeredVideo = offer.media().get(1);
        long media = offeredVideo.ssrcGroups().getFirst().ssrcs().get(0);
        long rtx = offeredVideo.ssrcGroups().getFirst().ssrcs().get(1);

        assertThat(video.remoteSsrcs()).containsExactly(media, rtx);
        assertThat(video.remoteRtxSsrc(media)).hasValue(rtx);
        assertThat(video.remoteMsid()).isEqualTo(offeredVideo.msids().stream().findFirst());
        assertThat(video.remoteCname()).isEqualTo(offeredVideo.ssrcAttribute(media, "cname"));
        assertThat(video.outgoing()).isEmpty();
    }

    @Test
    void reportsTheRemoteTransport() throws Exception {
        SessionDescription offer = SessionDescription.parse(WHIP);
        NegotiatedSession session = answer(WHIP, false).session();

        assertThat(session.remoteIceUfrag()).isEqualTo(offer.iceUfrag(offer.media().getFirst()).orElseThrow());
        assertThat(session.remoteIcePwd()).isEqualTo(offer.icePwd(offer.media().getFirst()).orElseThrow());
        assertThat(session.remoteFingerprint()).isEqualTo(offer.fingerprint(offer.media().getFirst()).orElseThrow());
        assertThat(session.remoteSetup()).isEqualTo(Setup.ACTPASS);
        // Chromium repeats its candidates per section with other ports: distinct ones are kept.
        assertThat(session.remoteCandidates()).hasSize(6).doesNotHaveDuplicates();
    }

    @Test
    void answersOnlySupportedHeaderExtensionsWithTheOfferIdsAndReversedDirections() throws Exception {
        Answer answer = answer(Fixtures.offer("firefox-whip-simulcast.sdp"), false);
        MediaDescription audio = answer.description().media().get(0);
        MediaDescription video = answer.description().media().get(1);

        assertThat(audio.extmaps()).containsExactly(new Extmap(1, AnswerOptions.EXT_AUDIO_LEVEL),
                new Extmap(3, AnswerOptions.EXT_MID));
        assertThat(video.extmaps()).extracting(Extmap::id).containsExactly(3, 4, 7, 8, 9);
        String offer = Fixtures.offer("firefox-whip-simulcast.sdp").replace("a=extmap:1 urn", "a=extmap:1/sendonly urn");
        assertThat(answer(offer, false).description().media().get(0).extmaps().getFirst())
                .isEqualTo(new Extmap(1, java.util.Optional.of(Direction.RECV_ONLY), AnswerOptions.EXT_AUDIO_LEVEL, ""));
    }

    @Test
    void dropsTransportCcFeedbackWhenTheExtensionIsNotNegotiated() throws Exception {
        String offer = withoutLines(WHIP, "a=extmap:3 http://www.ietf.org/id/draft-holmer");
        NegotiatedMedia video = answer(offer, false).session().mediaByMid("1").orElseThrow();

        assertThat(video.codecs().getFirst().rtcpFeedback())
                .containsExactlyInAnyOrder("goog-remb", "ccm fir", "nack", "nack pli");
    }

    @Test
    void usesTheFirstHostCandidateAsDefaultAddressAndRanksCandidatesInOrder() throws Exception {
        SessionDescription offer = SessionDescription.parse(WHIP);
        AnswerOptions options = AnswerOptions.builder(Direction.RECV_ONLY).ice("lite1234", "abcdefghijklmnopqrstuvwx")
                .fingerprintSha256(Fixtures.NODE_FINGERPRINT)
                .hostCandidates(List.of(new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 5000),
                        new InetSocketAddress(InetAddress.getByName("192.0.2.9"), 5001)))
                .build();

        MediaDescription first = AnswerBuilder.answer(offer, options).description().media().getFirst();

        assertThat(first.connection()).contains(new ConnectionData("IN", "IP6", "2001:db8:0:0:0:0:0:7"));
        assertThat(first.port()).isEqualTo(5000);
        assertThat(first.candidates()).extracting(Candidate::priority)
                .containsExactly((126L << 24) | (65535L << 8) | 255, (126L << 24) | (65534L << 8) | 255);
        assertThat(first.candidates()).extracting(Candidate::foundation).doesNotHaveDuplicates();
    }

    private static AnswerOptions options(Direction direction, CodecPolicy codecs) {
        return AnswerOptions.builder(direction).ice("lite1234", "abcdefghijklmnopqrstuvwx")
                .fingerprintSha256(Fixtures.NODE_FINGERPRINT).codecs(codecs).build();
    }
}
