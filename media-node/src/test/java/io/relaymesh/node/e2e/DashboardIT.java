package io.relaymesh.node.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Page;
import io.relaymesh.node.metrics.PrometheusText;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The node's observability while a real stream runs: Chromium publishes through WHIP and plays through WHEP;
 * {@code /metrics} is scraped and parsed as Prometheus text, and the dashboard page, loaded in headless
 * Chromium with the cluster secret, draws every chart from live data (points per series, and the series'
 * colours on the canvas). A screenshot is left in {@code target/dashboard-it/}.
 */
class DashboardIT {

    private static final Path SCREENSHOT = Path.of("target", "dashboard-it", "dashboard.png");

    /** Per chart and series, pixels of the series' colour inside the plot area (the legend swatch excluded). */
    private static final String SERIES_PIXELS = """
            () => {
              const out = {};
              for (const [id, chart] of Object.entries(window.relaymeshDashboard.charts)) {
                const c = chart.canvas;
                const ratio = window.devicePixelRatio || 1;
                const top = Math.ceil(30 * ratio);
                const height = Math.floor(c.height - 22 * ratio) - top;
                const data = c.getContext('2d').getImageData(0, top, c.width, height).data;
                out[id] = {};
                for (const s of chart.series) {
                  const r = parseInt(s.color.slice(1, 3), 16), g = parseInt(s.color.slice(3, 5), 16),
                        b = parseInt(s.color.slice(5, 7), 16);
                  let n = 0;
                  for (let i = 0; i < data.length; i += 4) {
                    if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 30) n++;
                  }
                  out[id][s.label] = n;
                }
              }
              return out;
            }""";

    @Test
    void metricsAndTheDashboardShowALiveStream() throws Exception {
        String room = "dashboard-it";
        try (NodeProcess node = NodeProcess.start(room); Chromium chromium = new Chromium()) {
            SamplePage publisher = SamplePage.start(chromium, node, "whip", room);
            SamplePage viewer = SamplePage.start(chromium, node, "whep", room);
            await("viewer decodes video").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                    .until(() -> SamplePage.number(viewer.stats(), "in-video", "framesDecoded") >= 30);

            HttpClient http = HttpClient.newHttpClient();
            // /metrics from the node's own machine needs no credential; a wrong one is refused.
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(node.uri("/metrics"))
                    .header("Authorization", "Bearer not-the-secret").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
            await("metrics count the forwarded stream").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.uri("/metrics"))
                                .header("Authorization", "Bearer " + node.secret()).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(r.statusCode()).isEqualTo(200);
                        assertLiveStream(PrometheusText.parse(r.body()));
                    });

            Page page = chromium.newPage();
            page.setViewportSize(1360, 1100);
            page.navigate(node.baseUrl() + "/dashboard/");
            page.fill("#secret", node.secret());
            page.click("#connect");
            await("every chart drawn with at least 5 points per series").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        assertThat(page.textContent("#error")).isBlank();
                        Map<String, Map<String, Number>> drawn = drawn(page);
                        for (String chart : new String[] {"sessions", "tracks", "bitrate", "packets", "memory", "latency"}) {
                            assertThat(drawn.get(chart)).as("chart %s: %s", chart, drawn).isNotEmpty();
                            drawn.get(chart).forEach((series, points) -> assertThat(points.intValue())
                                    .as("%s / %s points", chart, series).isGreaterThanOrEqualTo(5));
                        }
                        assertThat(drawn.get("cpu").get("node").intValue()).as("CPU of the node").isGreaterThanOrEqualTo(5);
                    });
            Files.createDirectories(SCREENSHOT.getParent());
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOT).setFullPage(true));
            assertThat(SCREENSHOT).isNotEmptyFile();
            // Lines with equal values overlap (one viewer: packets out = packets in), so the colour check is per
            // chart: its series' colours cover a line's worth of the plot area, not just the legend swatches.
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Number>> pixels = (Map<String, Map<String, Number>>) page.evaluate(SERIES_PIXELS);
            for (String chart : new String[] {"sessions", "tracks", "bitrate", "packets", "cpu", "memory", "latency"}) {
                int total = pixels.get(chart).values().stream().mapToInt(Number::intValue).sum();
                assertThat(total).as("pixels of %s's series in its plot area: %s (screenshot %s)", chart, pixels,
                        SCREENSHOT.toAbsolutePath()).isGreaterThan(60);
            }

            viewer.stop();
            publisher.stop();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Number>> drawn(Page page) {
        Map<String, Object> state = (Map<String, Object>) page.evaluate("() => window.relaymeshDashboard.state()");
        return (Map<String, Map<String, Number>>) state.get("drawn");
    }

    private static void assertLiveStream(Map<String, PrometheusText.Family> m) {
        assertThat(m.get("relaymesh_sessions").value("relaymesh_sessions", "protocol", "whip")).isEqualTo(1);
        assertThat(m.get("relaymesh_sessions").value("relaymesh_sessions", "protocol", "whep")).isEqualTo(1);
        assertThat(m.get("relaymesh_tracks").value("relaymesh_tracks", "kind", "audio")).isEqualTo(1);
        assertThat(m.get("relaymesh_tracks").value("relaymesh_tracks", "kind", "video")).isEqualTo(1);
        String packets = "relaymesh_transport_packets_total";
        assertThat(m.get(packets).value(packets, "direction", "in", "kind", "rtp")).isGreaterThan(100);
        assertThat(m.get(packets).value(packets, "direction", "out", "kind", "rtp")).isGreaterThan(100);
        assertThat(m.get(packets).value(packets, "direction", "in", "kind", "stun")).isPositive();
        String bytes = "relaymesh_transport_bytes_total";
        assertThat(m.get(bytes).value(bytes, "direction", "out", "kind", "rtp")).isGreaterThan(50_000);
        String latency = "relaymesh_packet_node_latency_seconds";
        assertThat(m.get(latency).type()).isEqualTo("histogram");
        assertThat(m.get(latency).value(latency + "_count")).as("forwarded datagrams timed").isGreaterThan(100);
        assertThat(m.get(latency).value(latency + "_sum")).isPositive();
        assertThat(m.get("relaymesh_keyframe_requests_total").value("relaymesh_keyframe_requests_total",
                "direction", "sent", "type", "pli")).as("the viewer's join asked the publisher for a keyframe").isPositive();
        assertThat(m.get("relaymesh_srtp_failures_total").value("relaymesh_srtp_failures_total",
                "direction", "in", "reason", "auth_failed")).isZero();
        assertThat(m.get("process_cpu_usage").type()).isEqualTo("gauge");
        assertThat(m.get("jvm_memory_used_bytes").with("area", "heap")).isNotEmpty();
    }
}
