package io.relaymesh.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * End to end with a real browser: headless Chromium publishes its fake camera and microphone through WHIP
 * from the sample page, and plays the room through WHEP in other pages, against a node started as a
 * separate process. Run for each SRTP profile and for VP8 and H264.
 */
class WhipWhepIT {

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

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({
        "aes-cm,  vp8,  SRTP_AES128_CM_HMAC_SHA1_80, video/VP8",
        "aes-gcm, vp8,  SRTP_AEAD_AES_128_GCM,       video/VP8",
        "aes-cm,  h264, SRTP_AES128_CM_HMAC_SHA1_80, video/H264",
        "aes-gcm, h264, SRTP_AEAD_AES_128_GCM,       video/H264",
        "aes-gcm, av1,  SRTP_AEAD_AES_128_GCM,       video/AV1"
    })
    void browserPublishesThroughWhipAndViewersPlayThroughWhep(String profile, String codec, String expectedCipher,
                                                             String expectedMime) throws Exception {
        String room = "e2e-" + profile + "-" + codec;
        try (NodeProcess node = NodeProcess.start(room, "--srtp-profile", profile, "--video-codec", codec)) {
            SamplePage publisher = SamplePage.start(chromium, node, "whip", room);
            SamplePage viewer = SamplePage.start(chromium, node, "whep", room);
            viewer.unmute(); // audio is decoded (and its energy measured) only when it is played out

            AtomicReference<Map<String, Object>> last = new AtomicReference<>();
            await("first viewer decodes 60 frames and receives audio").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> {
                        Map<String, Object> s = viewer.stats();
                        last.set(s);
                        assertThat(SamplePage.number(s, "in-video", "framesDecoded"))
                                .as("viewer %s%npublisher %s", s, publisher.stats()).isGreaterThanOrEqualTo(60);
                        assertThat(SamplePage.number(s, "in-audio", "packetsReceived")).as("viewer %s", s)
                                .isGreaterThanOrEqualTo(50);
                    });
            Map<String, Object> stats = last.get();
            assertThat(SamplePage.text(stats, "in-video", "codec")).isEqualTo(expectedMime);
            assertThat(SamplePage.text(stats, null, "srtpCipher")).isEqualTo(expectedCipher);
            assertThat(SamplePage.number(stats, "in-audio", "totalSamplesReceived")).as("decoded audio samples").isPositive();
            assertThat(SamplePage.number(stats, "in-audio", "totalAudioEnergy")).as("audio energy (fake mic beeps)").isPositive();
            assertThat(SamplePage.text(publisher.stats(), null, "srtpCipher")).isEqualTo(expectedCipher);

            // A second viewer joining later gets a picture within a second (keyframe requested on join); 1.5 s for
            // AV1, whose 720p keyframe Chromium's encoder (libaom, realtime) takes longer to make on a loaded machine
            // (1021 ms seen once in a clean-clone run; the node's part, the request on join, is the same for all).
            // The first viewer stays connected for the 5 s before the second one joins.
            await("first viewer stays connected").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(7))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> "connected".equals(SamplePage.text(viewer.stats(), null, "state")));
            SamplePage second = SamplePage.start(chromium, node, "whep", room);
            await("second viewer shows a picture").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> second.firstFrameMillis() >= 0);
            Duration firstPicture = Duration.ofMillis(second.firstFrameMillis());
            System.out.printf("%s/%s: second viewer's first picture after %d ms%n", profile, codec, firstPicture.toMillis());
            assertThat(firstPicture).isLessThan("av1".equals(codec) ? Duration.ofMillis(1500) : Duration.ofSeconds(1));

            // Publisher's browser sees receiver reports from the node (RTT in remote-inbound-rtp).
            await("publisher gets receiver reports").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(250))
                    .until(() -> publisher.stats().containsKey("remote-in-video"));

            second.stop();
            viewer.stop();
            publisher.stop();
        }
    }
}
