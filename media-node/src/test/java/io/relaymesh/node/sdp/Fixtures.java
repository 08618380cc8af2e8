package io.relaymesh.node.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Loads the offers under {@code src/test/resources/sdp}. */
final class Fixtures {

    static final String NODE_FINGERPRINT =
            "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

    static final List<String> OFFERS = List.of(
            "chromium-whip-sendonly.sdp", "chromium-whip-simulcast.sdp", "chromium-whep-recvonly.sdp",
            "chromium-whep-datachannel.sdp", "firefox-whip-simulcast.sdp", "firefox-whep-recvonly.sdp",
            "safari-whip-sendonly.sdp", "safari-whep-recvonly.sdp");

    private Fixtures() {
    }

    static String offer(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/sdp/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource sdp/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SessionDescription parsed(String name) {
        try {
            return SessionDescription.parse(offer(name));
        } catch (SdpException e) {
            throw new AssertionError(name + ": " + e.getMessage(), e);
        }
    }
}
