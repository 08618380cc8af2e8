package io.relaymesh.node.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 8840 trickle-ice-sdpfrag bodies as WHIP/WHEP PATCH requests carry them. */
class TrickleFragmentTest {

    private static final String CANDIDATES = """
            a=ice-ufrag:EsAw
            a=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1
            a=group:BUNDLE 0 1
            m=audio 9 RTP/AVP 0
            a=mid:0
            a=candidate:1387637174 1 udp 2122260223 192.0.2.1 61764 typ host generation 0 ufrag EsAw network-id 1
            a=candidate:3471623853 1 udp 2122194687 198.51.100.2 61765 typ host generation 0 ufrag EsAw network-id 2
            a=candidate:473322822 1 tcp 1518280447 192.0.2.1 9 typ host tcptype active generation 0 ufrag EsAw
            a=end-of-candidates
            """;

    @Test
    void parsesCandidatesUnderTheirMid() throws SdpException {
        TrickleFragment f = TrickleFragment.parse(CANDIDATES);

        assertThat(f.iceUfrag()).contains("EsAw");
        assertThat(f.icePwd()).contains("P2uYro0UCOQ4zxjKXaWCBui1");
        assertThat(f.sections()).singleElement().satisfies(s -> {
            assertThat(s.mid()).isEqualTo("0");
            assertThat(s.media()).isEqualTo("audio");
            assertThat(s.candidates()).extracting(Candidate::port).containsExactly(61764, 61765, 9);
            assertThat(s.endOfCandidates()).isTrue();
        });
        assertThat(f.candidates()).hasSize(3);
        assertThat(f.anyEndOfCandidates()).isTrue();
        assertThat(f.isIceRestart("EsAw", "P2uYro0UCOQ4zxjKXaWCBui1")).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"EsAw, P2uYro0UCOQ4zxjKXaWCBui1, false", "Zzzz, P2uYro0UCOQ4zxjKXaWCBui1, true",
        "EsAw, differentPasswordOf22ch, true"})
    void detectsIceRestartFromChangedCredentials(String ufrag, String pwd, boolean restart) throws SdpException {
        assertThat(TrickleFragment.parse(CANDIDATES).isIceRestart(ufrag, pwd)).isEqualTo(restart);
    }

    @Test
    void fragmentWithoutCredentialsOnlyAddsCandidates() throws SdpException {
        TrickleFragment f = TrickleFragment.parse("m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\n"
                + "a=candidate:1 1 udp 2122260223 192.0.2.1 61764 typ host\r\n");
        assertThat(f.isIceRestart("abcd", "abcdefghijklmnopqrstuvwx")).isFalse();
        assertThat(f.anyEndOfCandidates()).isFalse();
    }

    @Test
    void mediaLevelCredentialsCount() throws SdpException {
        TrickleFragment f = TrickleFragment.parse("m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\na=ice-ufrag:newU\r\n"
                + "a=ice-pwd:abcdefghijklmnopqrstuvwx\r\n");
        assertThat(f.effectiveUfrag()).contains("newU");
        assertThat(f.isIceRestart("oldU", "abcdefghijklmnopqrstuvwx")).isTrue();
    }

    @Test
    void writesAnIceRestartAnswerThatParsesBack() throws SdpException {
        List<Candidate> ours = HostCandidates.of(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000)));
        TrickleFragment answer = TrickleFragment.restartAnswer("nEw1", "newpasswordnewpassword", "audio", "0", ours);

        String text = answer.toString();

        assertThat(text).isEqualTo("a=ice-ufrag:nEw1\r\na=ice-pwd:newpasswordnewpassword\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\na=candidate:" + ours.getFirst() + "\r\n"
                + "a=end-of-candidates\r\n");
        assertThat(TrickleFragment.parse(text)).isEqualTo(answer);
        assertThat(TrickleFragment.parse(CANDIDATES).toString()).isEqualTo(CANDIDATES.replace("a=group:BUNDLE 0 1\n", "")
                .replace("\n", "\r\n"));
    }

    @Test
    void rejectsMalformedFragmentsWithTheLine() {
        assertThatThrownBy(() -> TrickleFragment.parse("")).hasMessage("trickle-ice-sdpfrag body is empty");
        assertThatThrownBy(() -> TrickleFragment.parse("v=0\r\n")).hasMessageStartingWith("line 1: v= is not allowed");
        assertThatThrownBy(() -> TrickleFragment.parse("a=candidate:1 1 udp 1 1.2.3.4 5 typ host\r\n"))
                .hasMessage("line 1: a=candidate before any m= line (RFC 8840 puts it under m=)");
        assertThatThrownBy(() -> TrickleFragment.parse("a=ice-ufrag:ab\r\n")).hasMessageStartingWith("line 1: bad a=ice-ufrag");
        assertThatThrownBy(() -> TrickleFragment.parse("m=audio 9\r\n")).hasMessageStartingWith("line 1: m= needs");
        assertThatThrownBy(() -> TrickleFragment.parse("m=audio 9 RTP/AVP 0\r\na=candidate:1 1 udp\r\n"))
                .hasMessageStartingWith("line 2: a=candidate needs at least 8 fields");
        assertThatThrownBy(() -> TrickleFragment.parse("a=ice-ufrag:abcd\r\na=ice-ufrag:efgh\r\n"))
                .hasMessage("line 2: second a=ice-ufrag");
        assertThatThrownBy(() -> TrickleFragment.parse("a=x".repeat(30_000))).hasMessageContaining("larger than");
    }

    @Test
    void everyTruncationIsAFragmentOrAnSdpException() {
        for (int end = 0; end <= CANDIDATES.length(); end++) {
            String truncated = CANDIDATES.substring(0, end);
            Throwable t = catchThrowable(() -> TrickleFragment.parse(truncated));
            assertThat(t).as("truncated at %d", end).satisfiesAnyOf(x -> assertThat(x).isNull(),
                    x -> assertThat(x).isInstanceOf(SdpException.class));
        }
    }
}
