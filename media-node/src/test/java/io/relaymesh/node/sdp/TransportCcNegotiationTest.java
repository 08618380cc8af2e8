package io.relaymesh.node.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import io.relaymesh.node.transport.CongestionControl;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * WHIP and WHEP answers accept transport-wide congestion control (extension and {@code transport-cc} feedback) and
 * {@code goog-remb} whenever the browser offers them, and the connection learns the negotiated extension id.
 */
class TransportCcNegotiationTest {

    private static final Pattern TCC_EXTMAP =
            Pattern.compile("a=extmap:(\\d+)(/\\w+)? " + Pattern.quote(CongestionControl.TRANSPORT_CC_URI));

    static final List<String> OFFERS = Fixtures.OFFERS;

    private static Answer answer(String offer, String name) throws Exception {
        SessionDescription parsed = SessionDescription.parse(offer);
        return AnswerBuilder.answer(parsed, WriteAnswer.options(parsed, name.contains("whep")));
    }

    private static long count(String sdp, String needle) {
        return sdp.lines().filter(l -> l.contains(needle)).count();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("OFFERS")
    void answersTransportCcAndRembAsOffered(String name) throws Exception {
        String offer = Fixtures.offer(name);
        Answer answer = answer(offer, name);
        Matcher offered = TCC_EXTMAP.matcher(offer);
        assertThat(offered.find()).as("every stored browser offer has transport-cc").isTrue();
        int id = Integer.parseInt(offered.group(1));

        assertThat(answer.sdp()).contains("a=extmap:" + id + " " + CongestionControl.TRANSPORT_CC_URI);
        assertThat(count(answer.sdp(), "transport-cc")).isPositive();
        assertThat(count(answer.sdp(), "goog-remb")).isPositive();
        for (NegotiatedMedia m : answer.session().media()) {
            if (m.extensions().containsKey(CongestionControl.TRANSPORT_CC_URI)) {
                assertThat(m.codecs()).allSatisfy(c -> assertThat(c.rtcpFeedback()).contains("transport-cc"));
            }
        }
        CongestionControl negotiated = CongestionControl.from(answer.session(), 42);
        assertThat(negotiated.transportCcExtensionId()).isEqualTo(id);
        assertThat(negotiated.feedbackSsrc()).isEqualTo(42);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"chromium-whip-simulcast.sdp", "chromium-whep-recvonly.sdp"})
    void withoutTheExtensionTheFeedbackIsNotAnsweredAndTheConnectionUsesRembOnly(String name) throws Exception {
        String offer = Fixtures.offer(name).lines()
                .filter(l -> !l.contains(CongestionControl.TRANSPORT_CC_URI))
                .map(l -> l + "\r\n").reduce("", String::concat);
        Answer answer = answer(offer, name);
        assertThat(count(answer.sdp(), "transport-cc")).isZero();
        assertThat(count(answer.sdp(), "goog-remb")).isPositive();
        assertThat(CongestionControl.from(answer.session(), 42)).isEqualTo(CongestionControl.NONE);
    }
}
