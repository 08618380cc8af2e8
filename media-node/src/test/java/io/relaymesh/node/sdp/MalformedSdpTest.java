package io.relaymesh.node.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input is an {@link SdpException} with a reason, never another exception type. */
class MalformedSdpTest {

    private static final String HEAD = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
    private static final String AUDIO = "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n";

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("", "SDP is empty"),
                Arguments.of("hello world", "line 1: not of the form <letter>=<value>"),
                Arguments.of("v=1\r\n", "line 1: unsupported SDP version '1'"),
                Arguments.of("v=0\r\n", "truncated SDP: missing o= line"),
                Arguments.of("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n", "truncated SDP: missing s= line"),
                Arguments.of("v=0\r\ns=-\r\no=- 1 2 IN IP4 1.2.3.4\r\n", "line 2: expected o= but found s="),
                Arguments.of("v=0\r\no=- x 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n",
                        "line 2: bad o= session id 'x'"),
                Arguments.of("v=0\r\no=- 1 2 IN IP4\r\ns=-\r\nt=0 0\r\n", "line 2: o= needs 6 fields"),
                Arguments.of("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=\r\nt=0 0\r\n", "line 3: s= must not be empty"),
                Arguments.of("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n" + AUDIO,
                        "line 4: missing t= line before the first m= line"),
                Arguments.of("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n", "missing t= line"),
                Arguments.of(HEAD + "x=what\r\n", "line 5: unknown line type 'x='"),
                Arguments.of(HEAD + "A=upper\r\n", "line 5: not of the form <letter>=<value>"),
                Arguments.of(HEAD + "a\r\n", "line 5: not of the form"),
                Arguments.of(HEAD + "a = b\r\n", "line 5: not of the form"),
                Arguments.of(HEAD + "a=x\u0000y\r\n", "line 5: control character 0x0"),
                Arguments.of(HEAD + "\r\na=ice-lite\r\n", "line 5: empty line inside SDP"),
                Arguments.of(HEAD + "m=audio 70000 UDP/TLS/RTP/SAVPF 111\r\n", "line 5: bad m= port '70000'"),
                Arguments.of(HEAD + "m=audio -1 UDP/TLS/RTP/SAVPF 111\r\n", "line 5: bad m= port '-1'"),
                Arguments.of(HEAD + "m=audio 9 UDP/TLS/RTP/SAVPF\r\n", "line 5: m= needs"),
                Arguments.of(HEAD + "m=audio 9 UDP/TLS/RTP/SAVPF 128\r\n", "line 5: bad payload type '128'"),
                Arguments.of(HEAD + "m=audio 9 UDP//SAVPF 1\r\n", "line 5: bad m= proto"),
                Arguments.of(HEAD + AUDIO + "a=rtpmap:111 opus\r\n", "line 8: a=rtpmap encoding 'opus'"),
                Arguments.of(HEAD + AUDIO + "a=rtpmap:111 opus/abc/2\r\n", "line 8: bad a=rtpmap clock rate 'abc'"),
                Arguments.of(HEAD + AUDIO + "a=rtpmap:111 opus/48000/2\r\na=rtpmap:111 opus/48000/2\r\n",
                        "line 9: duplicate a=rtpmap for payload type 111"),
                Arguments.of(HEAD + AUDIO + "a=fmtp:111\r\n", "line 8: a=fmtp must be"),
                Arguments.of(HEAD + AUDIO + "a=rtcp-fb:111\r\n", "line 8: a=rtcp-fb must be"),
                Arguments.of(HEAD + AUDIO + "a=extmap:0 urn:x\r\n", "line 8: bad a=extmap id '0'"),
                Arguments.of(HEAD + AUDIO + "a=extmap:3/sideways urn:x\r\n", "line 8: bad a=extmap direction"),
                Arguments.of(HEAD + AUDIO + "a=extmap:3 urn:x\r\na=extmap:3 urn:y\r\n",
                        "line 9: duplicate a=extmap id 3"),
                Arguments.of(HEAD + AUDIO + "a=mid:1\r\n", "line 8: second a=mid"),
                Arguments.of(HEAD + AUDIO + AUDIO, "duplicate a=mid:0"),
                Arguments.of(HEAD + AUDIO + "a=sendonly\r\na=recvonly\r\n", "line 9: second direction attribute"),
                Arguments.of(HEAD + AUDIO + "a=rtcp-mux:yes\r\n", "line 8: a=rtcp-mux takes no value"),
                Arguments.of(HEAD + AUDIO + "a=setup:server\r\n", "line 8: bad a=setup value 'server'"),
                Arguments.of(HEAD + AUDIO + "a=fingerprint:sha-256 AB:CD:E\r\n", "line 8: bad a=fingerprint value"),
                Arguments.of(HEAD + AUDIO + "a=fingerprint:sha-256\r\n", "line 8: a=fingerprint must be"),
                Arguments.of(HEAD + AUDIO + "a=ice-ufrag:ab\r\n", "line 8: bad a=ice-ufrag 'ab'"),
                Arguments.of(HEAD + AUDIO + "a=ice-pwd:short\r\n", "line 8: bad a=ice-pwd"),
                Arguments.of(HEAD + AUDIO + "a=candidate:1 1 udp 100 1.2.3.4 70000 typ host\r\n",
                        "line 8: bad candidate port '70000'"),
                Arguments.of(HEAD + AUDIO + "a=candidate:1 1 udp 100 1.2.3.4 5000 type host\r\n",
                        "line 8: candidate field 7 must be 'typ'"),
                Arguments.of(HEAD + AUDIO + "a=candidate:1 1 udp 100 1.2.3.4\r\n",
                        "line 8: a=candidate needs at least 8 fields"),
                Arguments.of(HEAD + AUDIO + "a=ssrc:4294967296 cname:x\r\n",
                        "line 8: bad a=ssrc ssrc '4294967296': above 4294967295"),
                Arguments.of(HEAD + AUDIO + "a=ssrc-group:FID\r\n", "line 8: a=ssrc-group must be"),
                Arguments.of(HEAD + AUDIO + "a=ssrc-group:FID 1 x\r\n", "line 8: bad a=ssrc-group ssrc 'x'"),
                Arguments.of(HEAD + AUDIO + "a=rid:h both\r\n", "line 8: bad a=rid direction 'both'"),
                Arguments.of(HEAD + AUDIO + "a=rid:h! send\r\n", "line 8: bad rid id 'h!'"),
                Arguments.of(HEAD + AUDIO + "a=simulcast:send h;;l\r\n", "line 8: bad rid id ''"),
                Arguments.of(HEAD + AUDIO + "a=simulcast:sideways h\r\n", "line 8: bad a=simulcast direction"),
                Arguments.of(HEAD + AUDIO + "a=simulcast:send h send l\r\n", "line 8: a=simulcast has two send"),
                Arguments.of(HEAD + AUDIO + "a=msid:a b c\r\n", "line 8: a=msid must be"),
                Arguments.of(HEAD + "a=group:\r\n", "line 5: a=group needs a value"),
                Arguments.of(HEAD + "a=group:BUNDLE a b@c\r\n", "line 5: bad a=group mid 'b@c'"),
                Arguments.of(HEAD + AUDIO + "t=0 0\r\n", "line 8: t= is not allowed inside a media section"),
                Arguments.of(HEAD + "b=AS:lots\r\n", "line 5: bad b= bandwidth 'lots'"),
                Arguments.of(HEAD + "c=IN IP4\r\n", "line 5: c= needs 3 fields"),
                Arguments.of(HEAD + "t=99999999999999999999 0\r\n", "line 5: bad t= start time"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("malformed")
    void rejectsWithAReasonNamingTheLine(String sdp, String reason) {
        assertThatThrownBy(() -> SessionDescription.parse(sdp)).isInstanceOf(SdpException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void rejectsBodiesAbove64KiB() {
        StringBuilder sb = new StringBuilder(HEAD).append(AUDIO);
        while (sb.length() <= 64 * 1024) {
            sb.append("a=x-padding:").append("p".repeat(200)).append("\r\n");
        }
        assertThatThrownBy(() -> SessionDescription.parse(sb.toString())).isInstanceOf(SdpException.class)
                .hasMessage("SDP is larger than 65536 bytes");
    }

    @Test
    void countsBytesNotCharactersForTheSizeLimit() {
        // 30,000 three-byte characters are 90,000 bytes in UTF-8.
        String sdp = HEAD + "i=" + "\u20ac".repeat(30_000) + "\r\n";
        assertThatThrownBy(() -> SessionDescription.parse(sdp)).hasMessage("SDP is larger than 65536 bytes");
    }

    @Test
    void rejectsMoreThan64MediaSections() {
        StringBuilder sb = new StringBuilder(HEAD);
        for (int i = 0; i < 65; i++) {
            sb.append("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:").append(i).append("\r\n");
        }
        assertThatThrownBy(() -> SessionDescription.parse(sb.toString())).isInstanceOf(SdpException.class)
                .hasMessageContaining("more than 64 media sections");
    }

    @Test
    void acceptsExactly64MediaSections() throws SdpException {
        StringBuilder sb = new StringBuilder(HEAD);
        for (int i = 0; i < 64; i++) {
            sb.append("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:").append(i).append("\r\n");
        }
        assertThat(SessionDescription.parse(sb.toString()).media()).hasSize(64);
    }

    @Test
    void truncationAtEveryCharacterOfARealOfferYieldsAModelOrAnSdpException() {
        String offer = Fixtures.offer("chromium-whip-simulcast.sdp");
        for (int end = 0; end < offer.length(); end++) {
            String truncated = offer.substring(0, end);
            Throwable thrown = catchThrowable(() -> SessionDescription.parse(truncated));
            assertThat(thrown).as("truncated at %d", end).satisfiesAnyOf(
                    t -> assertThat(t).isNull(),
                    t -> assertThat(t).isInstanceOf(SdpException.class).hasMessageNotContaining("null"));
        }
    }

    @Test
    void truncatedOfferStillParsesButCannotBeAnsweredAndSaysWhy() throws Exception {
        String offer = Fixtures.offer("chromium-whip-sendonly.sdp");
        String firstSection = offer.substring(0, offer.indexOf("a=ice-ufrag"));
        SessionDescription parsed = SessionDescription.parse(firstSection);

        assertThatThrownBy(() -> AnswerBuilder.answer(parsed, WriteAnswer.options(parsed, false)))
                .isInstanceOf(SdpException.class)
                .hasMessage("offer media section 1 (audio) has no a=mid (required for BUNDLE)");
    }

    @Test
    void randomGarbageAndBitFlipsOnlyEverThrowSdpException() {
        Random random = new Random(8866);
        String offer = Fixtures.offer("firefox-whip-simulcast.sdp");
        for (int round = 0; round < 2_000; round++) {
            char[] chars = offer.toCharArray();
            int flips = 1 + random.nextInt(8);
            for (int f = 0; f < flips; f++) {
                chars[random.nextInt(chars.length)] = (char) random.nextInt(128);
            }
            String mutated = new String(chars);
            Throwable thrown = catchThrowable(() -> {
                SessionDescription parsed = SessionDescription.parse(mutated);
                SessionDescription.parse(parsed.toString());
                AnswerBuilder.answer(parsed, WriteAnswer.options(parsed, false));
            });
            assertThat(thrown).as("mutation round %d", round).satisfiesAnyOf(
                    t -> assertThat(t).isNull(),
                    t -> assertThat(t).isInstanceOf(SdpException.class));
        }
        for (int round = 0; round < 500; round++) {
            byte[] bytes = new byte[random.nextInt(400)];
            random.nextBytes(bytes);
            String garbage = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(catchThrowable(() -> SessionDescription.parse(garbage))).isInstanceOf(SdpException.class);
        }
    }

    @Test
    void nullBodyIsAnSdpException() {
        assertThatThrownBy(() -> SessionDescription.parse(null)).isInstanceOf(SdpException.class)
                .hasMessage("SDP is missing");
    }
}
