package io.relaymesh.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * When a room's publisher leaves and another one publishes, a viewer keeps playing on the same session without
 * renegotiation: the node keeps its outgoing stream continuous (same SSRC, consecutive sequence numbers).
 */
class PublisherSwitchIT {

    private static Chromium chromium;

    @BeforeAll
    static void launchBrowser() {
        chromium = new Chromium();
    }

    @AfterAll
    static void closeBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void viewerContinuesWithTheNextPublisherWithoutRenegotiating() throws Exception {
        String room = "switch";
        try (NodeProcess node = NodeProcess.start("publisher-switch")) {
            SamplePage first = SamplePage.start(chromium, node, "whip", room);
            SamplePage viewer = SamplePage.start(chromium, node, "whep", room);
            await("viewer plays the first publisher").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                    .until(() -> SamplePage.number(viewer.stats(), "in-video", "framesDecoded") >= 30);

            first.stop(); // DELETE: the first publisher's tracks end
            Map<String, Object> afterFirst = viewer.stats();
            double framesBefore = SamplePage.number(afterFirst, "in-video", "framesDecoded");
            double audioBefore = SamplePage.number(afterFirst, "in-audio", "packetsReceived");

            SamplePage second = SamplePage.start(chromium, node, "whip", room);
            await("viewer plays the second publisher").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> {
                        Map<String, Object> s = viewer.stats();
                        assertThat(SamplePage.number(s, "in-video", "framesDecoded")).as("%s", s)
                                .isGreaterThanOrEqualTo(framesBefore + 60);
                        assertThat(SamplePage.number(s, "in-audio", "packetsReceived")).as("%s", s)
                                .isGreaterThan(audioBefore + 50);
                    });
            Map<String, Object> stats = viewer.stats();
            assertThat(SamplePage.text(stats, null, "state")).isEqualTo("connected");
            assertThat(viewer.page().evaluate("() => window.session.pc.signalingState")).isEqualTo("stable");
            // Consecutive sequence numbers across the switch: the browser saw (next to) no loss.
            assertThat(SamplePage.number(stats, "in-video", "packetsLost")).isBetween(0.0, 20.0);
            assertThat(SamplePage.number(stats, "in-audio", "packetsLost")).isBetween(0.0, 20.0);

            second.stop();
            viewer.stop();
        }
    }
}
