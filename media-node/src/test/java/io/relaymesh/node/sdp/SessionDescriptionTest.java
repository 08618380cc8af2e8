package io.relaymesh.node.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the parser reads out of real offers, and what it keeps. */
class SessionDescriptionTest {

    @Test
    void readsChromiumSimulcastOffer() {
        SessionDescription offer = Fixtures.parsed("chromium-whip-simulcast.sdp");

        assertThat(offer.version()).isZero();
        assertThat(offer.origin().username()).isEqualTo("-");
        assertThat(offer.origin().address()).isEqualTo("127.0.0.1");
        assertThat(offer.timings()).containsExactly(Timing.UNBOUNDED);
        assertThat(offer.bundleMids()).containsExactly("0", "1");
        assertThat(offer.extmapAllowMixed()).isTrue();
        assertThat(offer.msidSemantic()).get().extracting(MsidSemantic::semantic).isEqualTo("WMS");

        MediaDescription audio = offer.media().get(0);
        assertThat(audio.kind()).isEqualTo(MediaKind.AUDIO);
        assertThat(audio.proto()).isEqualTo("UDP/TLS/RTP/SAVPF");
        assertThat(audio.direction()).contains(Direction.SEND_ONLY);
        assertThat(audio.rtcpMux()).isTrue();
        assertThat(audio.rtcpRsize()).isTrue();
        assertThat(audio.rtpMap(111)).contains(new RtpMap(111, "opus", 48000, 2));
        assertThat(audio.fmtp(111).orElseThrow().parameters())
                .containsEntry("minptime", "10").containsEntry("useinbandfec", "1");
        assertThat(audio.fmtp(63).orElseThrow().parameters()).containsKey("111/111");
        assertThat(audio.otherAttribute("rtcp")).contains(new Attribute("rtcp", "9 IN IP4 0.0.0.0"));
        assertThat(audio.otherAttribute("rtcp-xr")).contains(new Attribute("rtcp-xr", "rcvr-rtt=all"));
        assertThat(audio.candidates()).hasSize(4);
        Candidate tcp = audio.candidates().get(2);
        assertThat(tcp.transport()).isEqualTo("tcp");
        assertThat(tcp.extension("tcptype")).contains("active");
        assertThat(tcp.generation()).hasValue(0);
        assertThat(tcp.extension("network-id")).contains("1");
        assertThat(audio.ssrcList()).hasSize(1);
        assertThat(audio.ssrcAttribute(audio.ssrcList().getFirst(), "msid")).get().asString().contains(" ");

        MediaDescription video = offer.media().get(1);
        assertThat(video.extmaps()).contains(new Extmap(10, "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"));
        assertThat(video.rids()).containsExactly(new Rid("h", Rid.RidDirection.SEND, ""),
                new Rid("m", Rid.RidDirection.SEND, ""), new Rid("l", Rid.RidDirection.SEND, ""));
        assertThat(video.simulcast()).get().extracting(Simulcast::sendRids).isEqualTo(List.of("h", "m", "l"));
        assertThat(video.rtcpFeedback(96)).extracting(RtcpFeedback::feedback)
                .containsExactly("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli");
        assertThat(video.msids()).singleElement().extracting(Msid::streamId)
                .isEqualTo(offer.msidSemantic().orElseThrow().streamIds().getFirst());
    }

    @Test
    void readsFirefoxSessionLevelAttributesAndFallsBackToThem() {
        SessionDescription offer = Fixtures.parsed("firefox-whip-simulcast.sdp");
        MediaDescription video = offer.media().get(1);

        assertThat(offer.direction()).contains(Direction.SEND_RECV);
        assertThat(offer.iceOptions()).containsExactly("trickle");
        assertThat(video.fingerprints()).isEmpty();
        assertThat(offer.fingerprint(video)).isEqualTo(offer.fingerprint());
        assertThat(offer.direction(video)).isEqualTo(Direction.SEND_ONLY);
        assertThat(offer.msidSemantic().orElseThrow().streamIds()).containsExactly("*");
        assertThat(video.msids().getFirst().streamId()).startsWith("{").endsWith("}");
        assertThat(offer.media().get(0).extmaps()).contains(new Extmap(2, Optional.of(Direction.RECV_ONLY),
                "urn:ietf:params:rtp-hdrext:csrc-audio-level", ""));
        assertThat(video.ssrcGroups()).hasSize(3).allMatch(g -> g.semantics().equals(SsrcGroup.FID));
        Candidate srflx = video.candidates().get(2);
        assertThat(srflx.type()).isEqualTo("srflx");
        assertThat(srflx.relatedAddress()).isEqualTo("198.51.100.23");
        assertThat(srflx.relatedPort()).isEqualTo(51234);
        assertThat(video.endOfCandidates()).isTrue();
        // Firefox writes fmtp before rtpmap; the model keeps m-line order.
        assertThat(video.fmtps()).extracting(Fmtp::payloadType).containsExactly(120, 124, 121, 125, 126, 127, 97, 98,
                119);
    }

    @Test
    void directionDefaultsToSendRecvWhenNeitherLevelSaysIt() throws SdpException {
        SessionDescription s = SessionDescription.parse(
                "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\n");
        assertThat(s.direction(s.media().getFirst())).isEqualTo(Direction.SEND_RECV);
        assertThat(s.media().getFirst().direction()).isEmpty();
    }

    @Test
    void acceptsBareLineFeedsAndKeepsUnknownLinesAndAttributes() throws SdpException {
        String sdp = """
                v=0
                o=jdoe 2890844526 2890842807 IN IP4 10.47.16.5
                s=SDP Seminar
                i=A Seminar on the session description protocol
                u=http://www.example.com/seminars/sdp.pdf
                e=j.doe@example.com (Jane Doe)
                c=IN IP4 224.2.17.12/127
                t=2873397496 2873404696
                a=recvonly
                a=x-vendor:thing 1 2
                m=audio 49170 RTP/AVP 0
                m=video 51372/2 RTP/AVP 99
                b=AS:512
                a=rtpmap:99 h263-1998/90000
                a=framerate:30
                """;
        SessionDescription s = SessionDescription.parse(sdp);

        assertThat(s.otherLines()).extracting(SdpLine::type).containsExactly('i', 'u', 'e');
        assertThat(s.connection()).contains(new ConnectionData("IN", "IP4", "224.2.17.12/127"));
        assertThat(s.otherAttributes()).containsExactly(new Attribute("x-vendor", "thing 1 2"));
        MediaDescription video = s.media().get(1);
        assertThat(video.portCount()).isEqualTo(2);
        assertThat(video.bandwidths()).containsExactly(new Bandwidth("AS", 512));
        assertThat(video.otherAttributes()).containsExactly(new Attribute("framerate", "30"));
        assertThat(SessionDescription.parse(s.toString())).isEqualTo(s);
        assertThat(s.toString()).contains("m=video 51372/2 RTP/AVP 99\r\n");
    }

    @Test
    void buildsAndWritesADescriptionFromTheBuilders() throws SdpException {
        MediaDescription m = MediaDescription.builder("video", 9, "UDP/TLS/RTP/SAVPF").format("96").format("97")
                .mid("v").direction(Direction.RECV_ONLY).rtcpMux(true)
                .fmtp(new Fmtp(97, "apt=96")).rtpMap(new RtpMap(97, "rtx", 90000, 0))
                .rtpMap(new RtpMap(96, "VP8", 90000, 0)).rtcpFeedback(new RtcpFeedback(96, "nack", "pli"))
                .rtcpFeedback(new RtcpFeedback(RtcpFeedback.WILDCARD, "transport-cc", ""))
                .simulcast(new Simulcast(List.of(), List.of(List.of(new Simulcast.Stream("h", false),
                        new Simulcast.Stream("h2", false)), List.of(new Simulcast.Stream("l", true)))))
                .build();
        SessionDescription s = SessionDescription.builder(new Origin("-", "7", "1", "IN", "IP4", "127.0.0.1"))
                .group(new Group(Group.BUNDLE, List.of("v"))).iceLite(true).media(m).build();

        String text = s.toString();

        assertThat(text).isEqualTo("""
                v=0\r
                o=- 7 1 IN IP4 127.0.0.1\r
                s=-\r
                t=0 0\r
                a=group:BUNDLE v\r
                a=ice-lite\r
                m=video 9 UDP/TLS/RTP/SAVPF 96 97\r
                a=mid:v\r
                a=recvonly\r
                a=rtcp-mux\r
                a=rtcp-fb:* transport-cc\r
                a=rtpmap:96 VP8/90000\r
                a=rtcp-fb:96 nack pli\r
                a=rtpmap:97 rtx/90000\r
                a=fmtp:97 apt=96\r
                a=simulcast:recv h,h2;~l\r
                """);
        assertThat(SessionDescription.parse(text)).isEqualTo(s);
        assertThat(m.rtcpFeedback(96)).extracting(RtcpFeedback::feedback).containsExactly("transport-cc", "nack pli");
    }
}
