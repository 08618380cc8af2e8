package io.relaymesh.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.relaymesh.node.e2e.AdaptiveTimeline.Sample;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Layer selection and bandwidth adaptation with real browsers and a real bottleneck. A Chromium publishes a
 * 1280x720 camera with three layers (VP8 simulcast, VP9 SVC L3T3, H264 simulcast) to a standalone node; viewer
 * <b>U</b> watches over loopback; viewer <b>C</b> is a Chromium inside a network namespace whose link from the node
 * is limited to 300 kbit/s by a token bucket ({@link ShapedLink}). U must get the top layer, C must settle on the
 * bottom one and keep playing, and when the limit is lifted C must climb back to the top within 10 s.
 *
 * <p>Every 500 ms the test records the node's estimate and selected layer for C (GET on C's WHEP session), C's
 * picture and received bitrate, and writes {@code target/adaptive/<codec>.csv} and a chart
 * {@code target/adaptive/<codec>.png} even when an assertion fails. See docs/ADAPTIVE.md. Needs root,
 * iproute2 ({@code ip}, {@code tc}), ffmpeg and chromium; {@code scripts/test.sh} installs them.
 */
class AdaptiveIT {

    private static final int LIMIT_KBIT = 300;
    private static final Path OUTPUT = Path.of("target", "adaptive");

    private static ShapedLink link;
    private static Chromium open;
    private static Chromium shaped;
    private static Path shapedLauncher;

    @BeforeAll
    static void networkAndBrowsers() throws Exception {
        NetNs.requireRootAnd("AdaptiveIT", "ip", "iproute2", "tc", "iproute2", "ffmpeg", "ffmpeg");
        Path camera = FakeCamera.hd();
        link = ShapedLink.create("rmad");
        open = new Chromium(Chromium.EXECUTABLE, List.of("--use-file-for-fake-video-capture=" + camera));
        shapedLauncher = link.wrap(Chromium.EXECUTABLE, OUTPUT);
        shaped = new Chromium(shapedLauncher, List.of());
    }

    @AfterAll
    static void cleanUp() throws Exception {
        try {
            if (shaped != null) {
                shaped.close();
            }
            if (open != null) {
                open.close();
            }
        } finally {
            if (link != null) {
                link.close();
            }
            if (shapedLauncher != null) {
                java.nio.file.Files.deleteIfExists(shapedLauncher);
            }
        }
    }

    /**
     * The bottleneck itself, without the SFU: 400 datagrams of 1000 bytes sent back to back towards the namespace
     * (3.2 Mbit) mostly do not arrive behind the limit (the bucket holds 1.6 kB and the queue 300 ms, about 13 kB in
     * all) and all arrive once it is lifted.
     */
    @Test
    void theLimitHoldsBackWhatTheNodeSideSendsAndLiftingItRestoresTheLink() throws Exception {
        link.limit(LIMIT_KBIT);
        try {
            long before = link.packetsReceivedInNamespace();
            blast(400);
            long limited = awaitReceived(before, 0);
            System.out.printf("behind %d kbit/s: %d of 400 datagrams arrived, tbf dropped %d%n", LIMIT_KBIT,
                    limited, link.droppedPackets());
            assertThat(limited).as("datagrams through the limited link").isBetween(1L, 60L);
        } finally {
            link.lift();
        }
        long before = link.packetsReceivedInNamespace();
        blast(400);
        long unlimited = awaitReceived(before, 400);
        assertThat(unlimited).as("datagrams through the unlimited link").isGreaterThanOrEqualTo(400);
    }

    private static void blast(int datagrams) throws IOException {
        byte[] payload = new byte[1000];
        InetSocketAddress to = new InetSocketAddress(link.namespaceAddress(), 9); // discard: nobody listens
        try (DatagramSocket socket = new DatagramSocket()) {
            for (int i = 0; i < datagrams; i++) {
                socket.send(new DatagramPacket(payload, payload.length, to));
            }
        }
    }

    /** Waits until the namespace's receive counter stops moving (the queue drained) or reaches {@code expected}. */
    private static long awaitReceived(long before, long expected) throws Exception {
        long[] last = {-1};
        await("the link's queue drains").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500))
                .pollInSameThread()
                .until(() -> {
                    long now = link.packetsReceivedInNamespace() - before;
                    boolean settled = now == last[0] || (expected > 0 && now >= expected);
                    last[0] = now;
                    return settled;
                });
        return last[0];
    }

    /** Every case: codec, the WHIP sample page's query, nominal top and bottom widths. */
    private static final List<Arguments> CASES = List.of(
            Arguments.of("vp8", "simulcast=3&codec=vp8", 1280, 320),
            Arguments.of("vp9", "codec=vp9&scalabilityMode=L3T3", 1280, 320),
            Arguments.of("h264", "simulcast=3&codec=h264", 1280, 320));

    /**
     * The cases to run: {@code -Dadaptive.codecs=vp8,h264} (a comma-separated list), by default all three. VP9 L3T3
     * was out of the default command for a while: in one run of eight the open viewer U sat on spatial layer 0 for
     * good, because the VP9 filter read the number of spatial layers only from keyframes and Chromium adds layers
     * without one (fixed; see docs/ADAPTIVE.md).
     */
    static List<Arguments> cases() {
        List<String> wanted = List.of(System.getProperty("adaptive.codecs", "vp8,vp9,h264").split(","));
        List<Arguments> out = CASES.stream().filter(c -> wanted.contains((String) c.get()[0])).toList();
        if (out.isEmpty()) {
            throw new IllegalArgumentException("adaptive.codecs names no known case: " + wanted
                    + "; known: vp8, vp9, h264");
        }
        return out;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void viewerBehindASlowLinkGetsTheBottomLayerAndClimbsToTheTopWhenTheLinkRecovers(
            String codec, String publishQuery, int topWidth, int bottomWidth) throws Exception {
        link.lift();
        String room = "adaptive-" + codec;
        // One advertised address that both namespaces reach: root-namespace browsers get to the veth's root-side
        // address through the local routing table.
        try (NodeProcess node = NodeProcess.start(room, "--video-codec", codec, "--advertise-ip", link.hostAddress())) {
            SamplePage publisher = SamplePage.start(open, node.baseUrl(), node.secret(), "whip", room, publishQuery);
            SamplePage viewerU = SamplePage.start(open, node, "whep", room);
            link.limit(LIMIT_KBIT);
            SamplePage viewerC = SamplePage.start(shaped, node.baseUrl(link.hostAddress()), node.secret(), "whep",
                    room, "");
            AdaptiveTimeline timeline = new AdaptiveTimeline(publisher, viewerU, viewerC, link);
            try {
                adapts(timeline, topWidth, bottomWidth);
            } catch (AssertionError | RuntimeException e) {
                System.out.printf("%s failed; publisher %s%nnode log %s:%n%s%n", codec, publisher.stats(), room,
                        tail(node.log(), 60));
                throw e;
            } finally {
                timeline.writeCsv(OUTPUT.resolve(codec + ".csv"));
                AdaptiveChart.write(codec.toUpperCase(java.util.Locale.ROOT) + " (" + publishQuery + "): viewer behind "
                        + LIMIT_KBIT + " kbit/s, then unlimited", timeline.samples(), OUTPUT.resolve(codec + ".png"));
                System.out.printf("%s: %d samples in %s, chart %s; tbf dropped %d packets%n", codec,
                        timeline.samples().size(), OUTPUT.resolve(codec + ".csv"), OUTPUT.resolve(codec + ".png"),
                        link.droppedPackets());
                link.lift();
            }
            viewerC.stop();
            viewerU.stop();
            publisher.stop();
        }
    }

    private void adapts(AdaptiveTimeline timeline, int topWidth, int bottomWidth) throws Exception {
        timeline.until("both viewers decode 60 frames", Duration.ofSeconds(45),
                s -> s.shapedFramesDecoded() >= 60 && s.openFramesDecoded() >= 60);

        // The bottleneck is real: what C receives stays under the limit (bytesReceived counts RTP payload only).
        List<Sample> limited = timeline.recordFor(Duration.ofSeconds(6));
        double meanKbps = limited.stream().skip(1).mapToDouble(Sample::shapedKbps).average().orElse(0);
        System.out.printf("shaped viewer receives %.0f kbit/s behind the %d kbit/s limit%n", meanKbps, LIMIT_KBIT);
        assertThat(meanKbps).as("C's mean video bitrate behind the limit").isLessThanOrEqualTo(LIMIT_KBIT * 1.1);

        // The publisher's encoder ramps up over the first seconds (layers appear, its top layer grows): the
        // scenario is about a steady publisher, so wait until what it encodes has not changed for 5 s.
        timeline.until("the publisher's layers are steady for 5 s", Duration.ofSeconds(90), s -> steady(timeline));

        // The top layer is what the publisher's encoder makes of the camera: the full width, unless the encoder
        // lowered it on its own (Chromium does under load: its H264 top layer at 960, VP9 L3T3 down to two spatial
        // layers and 640); always more than the nominal bottom layer.
        Sample top = timeline.until("U plays the top layer (the publisher's largest picture, more than "
                        + bottomWidth + " wide, nominally " + topWidth + ")", Duration.ofSeconds(60),
                s -> s.openWidth() == s.publisherTopWidth() && s.openWidth() > bottomWidth);
        System.out.printf("U at %d px after %.1f s; publisher sends %d layer(s), its top %d px%n", top.openWidth(),
                top.seconds(), top.publisherLayersSending(), top.publisherTopWidth());

        // The bottom layer as the publisher encodes it (nominally bottomWidth): its smallest simulcast layer, or the
        // top width halved per spatial layer of a scalable stream.
        Sample bottom = timeline.until("the node selects the bottom layer for C and C plays it (the publisher's "
                        + "bottom layer, nominally " + bottomWidth + " wide)", Duration.ofSeconds(60),
                s -> s.spatial() == 0 && s.shapedWidth() > 0 && s.shapedWidth() == s.bottomWidth()
                        && s.shapedWidth() < s.publisherTopWidth());
        System.out.printf("C settled on layer 0 after %.1f s (estimate %d bit/s)%n", bottom.seconds(),
                bottom.estimateBps());

        // Settled: 15 s on the bottom layer, still playing. Chromium counts a freeze when a frame shows later than
        // max(3 x the mean frame interval, mean + 150 ms); a settled layer has none, a switch or a probe that
        // overshoots the link may cause one, more means it keeps switching or losing keyframes.
        List<Sample> settled = timeline.recordFor(Duration.ofSeconds(15));
        Sample first = settled.get(0);
        Sample last = settled.get(settled.size() - 1);
        double seconds = last.seconds() - first.seconds();
        assertThat(settled).as("C stays on layer 0 behind the limit").allMatch(s -> s.spatial() == 0);
        assertThat((last.shapedFramesDecoded() - first.shapedFramesDecoded()) / seconds)
                .as("C's decoded frames per second on the bottom layer").isGreaterThanOrEqualTo(5);
        assertThat(last.shapedFreezes() - first.shapedFreezes()).as("C's freezes in %.0f s on the bottom layer", seconds)
                .isLessThanOrEqualTo(2);

        link.lift();
        double lifted = timeline.last().seconds();
        Sample climbed = timeline.until("C climbs to the top layer within 10 s of the limit lifted",
                Duration.ofSeconds(10), s -> s.spatial() > 0 && s.shapedWidth() == s.publisherTopWidth());
        System.out.printf("C back on the top layer %.1f s after the limit was lifted%n", climbed.seconds() - lifted);
        timeline.recordFor(Duration.ofSeconds(5)); // a few seconds on the top layer, for the chart
    }

    /** True when the publisher's top and bottom widths and layer count were the same in the last 5 s of samples. */
    private static boolean steady(AdaptiveTimeline timeline) {
        List<Sample> all = timeline.samples();
        Sample last = all.get(all.size() - 1);
        if (last.publisherTopWidth() <= 0 || last.seconds() < 5) {
            return false;
        }
        for (int i = all.size() - 1; i >= 0 && all.get(i).seconds() >= last.seconds() - 5; i--) {
            Sample s = all.get(i);
            if (s.publisherTopWidth() != last.publisherTopWidth() || s.publisherBottomWidth() != last.publisherBottomWidth()
                    || s.publisherLayersSending() != last.publisherLayersSending()) {
                return false;
            }
        }
        return true;
    }

    private static String tail(String log, int lines) {
        List<String> all = log.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
