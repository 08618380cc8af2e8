package io.relaymesh.node.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every stored browser offer parses, survives a write/parse round trip, and gets an answer a parser accepts. */
class CapturedOffersTest {

    static Stream<String> offers() {
        return Fixtures.OFFERS.stream();
    }

    @ParameterizedTest
    @MethodSource("offers")
    void parsesWithBundleIceAndDtlsOnEveryMediaSection(String name) {
        SessionDescription offer = Fixtures.parsed(name);

        assertThat(offer.media()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(offer.bundleMids()).isNotEmpty();
        for (MediaDescription m : offer.media()) {
            assertThat(m.mid()).as("mid of %s", m.media()).isPresent();
            assertThat(offer.iceUfrag(m)).isPresent();
            assertThat(offer.icePwd(m)).isPresent();
            assertThat(offer.fingerprint(m)).get().extracting(Fingerprint::algorithm).isEqualTo("sha-256");
            assertThat(offer.fingerprint(m).orElseThrow().byteLength()).isEqualTo(32);
            assertThat(offer.setup(m)).contains(Setup.ACTPASS);
        }
    }

    @ParameterizedTest
    @MethodSource("offers")
    void roundTripsToAnEqualModel(String name) throws SdpException {
        SessionDescription offer = Fixtures.parsed(name);

        String written = offer.toString();
        SessionDescription again = SessionDescription.parse(written);

        assertThat(again).isEqualTo(offer);
        assertThat(again.toString()).isEqualTo(written);
        assertThat(written).endsWith("\r\n").doesNotContain("\n\n").doesNotContainPattern("[^\r]\n");
    }

    @ParameterizedTest
    @MethodSource("offers")
    void keepsEveryLineOfTheOfferAsSomePartOfTheModel(String name) {
        // A canonical writer may reorder lines, but none may be lost or invented.
        List<String> original = Fixtures.offer(name).lines().sorted().toList();
        List<String> written = Fixtures.parsed(name).toString().lines().map(SdpLineNormalizer::normalize).sorted()
                .toList();

        assertThat(written).isEqualTo(original.stream().map(SdpLineNormalizer::normalize).sorted().toList());
    }

    @ParameterizedTest
    @MethodSource("offers")
    void answerParsesAndCarriesIceLiteSetupPassiveBundleAndCandidates(String name) throws Exception {
        SessionDescription offer = Fixtures.parsed(name);
        boolean whep = name.contains("whep");

        Answer answer = AnswerBuilder.answer(offer, WriteAnswer.options(offer, whep));
        SessionDescription parsed = SessionDescription.parse(answer.sdp());

        assertThat(parsed).isEqualTo(answer.description());
        assertThat(parsed.iceLite()).isTrue();
        assertThat(parsed.media()).hasSameSizeAs(offer.media());
        List<MediaDescription> accepted = parsed.media().stream().filter(m -> !m.isRejected()).toList();
        assertThat(accepted).hasSize(2).extracting(MediaDescription::media).containsExactly("audio", "video");
        assertThat(parsed.bundleMids()).containsExactlyElementsOf(
                accepted.stream().map(m -> m.mid().orElseThrow()).toList());
        for (int i = 0; i < parsed.media().size(); i++) {
            assertThat(parsed.media().get(i).mid()).isEqualTo(offer.media().get(i).mid());
        }
        MediaDescription first = accepted.getFirst();
        assertThat(first.candidates()).singleElement().satisfies(c -> {
            assertThat(c.type()).isEqualTo("host");
            assertThat(c.transport()).isEqualTo("udp");
            assertThat(c.address()).isEqualTo("127.0.0.1");
            assertThat(c.port()).isEqualTo(40000);
        });
        assertThat(first.endOfCandidates()).isTrue();
        assertThat(accepted.get(1).candidates()).isEmpty();
        for (MediaDescription m : accepted) {
            assertThat(m.setup()).contains(Setup.PASSIVE);
            assertThat(m.rtcpMux()).isTrue();
            assertThat(m.iceUfrag()).contains("lite1234");
            assertThat(m.fingerprints()).containsExactly(Fingerprint.sha256(Fixtures.NODE_FINGERPRINT));
            assertThat(m.port()).isEqualTo(40000);
            assertThat(m.direction()).contains(whep ? Direction.SEND_ONLY : Direction.RECV_ONLY);
            MediaDescription offered = offer.mediaByMid(m.mid().orElseThrow()).orElseThrow();
            assertThat(m.rtcpRsize()).isEqualTo(offered.rtcpRsize());
            // Payload types are the offer's, with the offer's rtpmap.
            for (RtpMap r : m.rtpMaps()) {
                assertThat(offered.rtpMap(r.payloadType())).contains(r);
            }
        }
        assertThat(accepted.get(0).rtpMaps()).extracting(RtpMap::encodingName).containsExactly("opus");
        assertThat(accepted.get(1).rtpMaps()).extracting(RtpMap::encodingName)
                .contains("VP8", "H264", "rtx").doesNotContain("red", "ulpfec", "AV1", "H265");
        assertThat(answer.session().media()).extracting(NegotiatedMedia::direction)
                .containsOnly(whep ? Direction.SEND_ONLY : Direction.RECV_ONLY);
    }
}
