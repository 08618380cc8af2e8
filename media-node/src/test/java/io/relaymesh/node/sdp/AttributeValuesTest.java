package io.relaymesh.node.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The attribute value types on their own: round trips, truncations, edge values. */
class AttributeValuesTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "1594188857 1 udp 2122194687 192.0.2.2 39822 typ host generation 0 network-id 1",
        "2712645805 1 tcp 1518214911 192.0.2.2 9 typ host tcptype active generation 0 network-id 1",
        "1 1 UDP 1686052863 203.0.113.77 51234 typ srflx raddr 198.51.100.23 rport 51234",
        "4 1 UDP 8331263 216.39.253.10 44120 typ relay raddr 216.39.253.10 rport 44120",
        "0 1 UDP 2122252543 65f3253a-de86-44d6-aaa7-5f63d65e1029.local 60257 typ host",
        "842163049 1 udp 1677729535 203.0.113.5 3478 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag EsAw"})
    void candidatesRoundTrip(String value) throws SdpException {
        Candidate c = Candidate.parse(value);
        assertThat(c).hasToString(value);
        assertThat(Candidate.parse("candidate:" + value)).isEqualTo(c);
    }

    @Test
    void candidateFieldsAndExtensions() throws SdpException {
        Candidate c = Candidate.parse("842163049 1 udp 1677729535 203.0.113.5 3478 typ srflx raddr 0.0.0.0 rport 0"
                + " generation 2 ufrag EsAw");
        assertThat(c.foundation()).isEqualTo("842163049");
        assertThat(c.component()).isEqualTo(1);
        assertThat(c.isUdp()).isTrue();
        assertThat(c.priority()).isEqualTo(1677729535L);
        assertThat(c.relatedPort()).isZero();
        assertThat(c.generation()).hasValue(2);
        assertThat(c.ufrag()).contains("EsAw");
        assertThat(c.extensions()).containsExactly(new Candidate.Extension("generation", "2"),
                new Candidate.Extension("ufrag", "EsAw"));
    }

    @Test
    void everyTruncationOfACandidateIsAValueOrAnSdpException() {
        String value = "1 1 UDP 1686052863 203.0.113.77 51234 typ srflx raddr 198.51.100.23 rport 51234"
                + " generation 0";
        for (int end = 0; end <= value.length(); end++) {
            String truncated = value.substring(0, end);
            Throwable t = catchThrowable(() -> Candidate.parse(truncated));
            assertThat(t).as("'%s'", truncated).satisfiesAnyOf(x -> assertThat(x).isNull(),
                    x -> assertThat(x).isInstanceOf(SdpException.class));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "1 0 udp 1 1.2.3.4 1 typ host", "1 257 udp 1 1.2.3.4 1 typ host", "1 1 udp 0 1.2.3.4 1 typ host",
        "1 1 udp 4294967296 1.2.3.4 1 typ host", "1 1 udp 1 1.2.3.4 1 typ host generation",
        "1 1 udp 1 1.2.3.4 1 typ host raddr", "1 1 udp 1 1.2.3.4 1 typ host generation 0 raddr 1.2.3.4",
        "f@o 1 udp 1 1.2.3.4 1 typ host", "1 1 udp 1 1.2.3.4 1 typ host rport x"})
    void rejectsBadCandidates(String value) {
        assertThatThrownBy(() -> Candidate.parse(value)).isInstanceOf(SdpException.class);
    }

    @Test
    void simulcastAlternativesPausedAndLegacyPrefix() throws SdpException {
        Simulcast s = Simulcast.parse("send 1,2;~3 recv 4");
        assertThat(s.send()).containsExactly(
                List.of(new Simulcast.Stream("1", false), new Simulcast.Stream("2", false)),
                List.of(new Simulcast.Stream("3", true)));
        assertThat(s.recvRids()).containsExactly("4");
        assertThat(s.reversed()).hasToString("send 4 recv 1,2;~3");
        assertThat(Simulcast.parse("send rid=a;b;c").sendRids()).containsExactly("a", "b", "c");
        assertThat(Simulcast.parse(s.toString())).isEqualTo(s);
    }

    @Test
    void ridRestrictions() throws SdpException {
        Rid r = Rid.parse("h send pt=96,97;max-width=1280;max-height=720");
        assertThat(r.restrictionMap()).containsEntry("pt", "96,97").containsEntry("max-width", "1280")
                .containsEntry("max-height", "720");
        assertThat(r).hasToString("h send pt=96,97;max-width=1280;max-height=720");
    }

    @Test
    void fingerprintIsCaseInsensitiveAndChecked() throws SdpException {
        Fingerprint f = Fingerprint.parse("SHA-256 ab:cd");
        assertThat(f).isEqualTo(new Fingerprint("sha-256", "AB:CD"));
        assertThat(f.byteLength()).isEqualTo(2);
        assertThatThrownBy(() -> Fingerprint.parse("sha-256 ABCD")).isInstanceOf(SdpException.class);
        assertThatThrownBy(() -> Fingerprint.parse("sha-256 AB:C")).isInstanceOf(SdpException.class);
        assertThatThrownBy(() -> Fingerprint.parse("sha-256 AB:CG")).isInstanceOf(SdpException.class);
    }

    @Test
    void extmapWithDirectionAndAttributes() throws SdpException {
        Extmap e = Extmap.parse("14/sendonly urn:ietf:params:rtp-hdrext:encrypt urn:x 1");
        assertThat(e.id()).isEqualTo(14);
        assertThat(e.direction()).contains(Direction.SEND_ONLY);
        assertThat(e.attributes()).isEqualTo("urn:x 1");
        assertThat(e).hasToString("14/sendonly urn:ietf:params:rtp-hdrext:encrypt urn:x 1");
        assertThatThrownBy(() -> Extmap.parse("256 urn:x")).hasMessageContaining("above 255");
    }

    @Test
    void fmtpParametersKeepOrderAndLowerCaseKeys() throws SdpException {
        Fmtp f = Fmtp.parse("102 Level-Asymmetry-Allowed=1; packetization-mode=1;profile-level-id=42001f");
        assertThat(f.parameters()).containsExactly(java.util.Map.entry("level-asymmetry-allowed", "1"),
                java.util.Map.entry("packetization-mode", "1"), java.util.Map.entry("profile-level-id", "42001f"));
        assertThat(Fmtp.of(97, f.parameters()).raw())
                .isEqualTo("level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f");
    }
}
