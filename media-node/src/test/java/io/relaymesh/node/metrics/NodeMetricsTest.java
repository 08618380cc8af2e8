package io.relaymesh.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.relaymesh.node.dtls.DtlsCertificate;
import io.relaymesh.node.sfu.Ingest;
import io.relaymesh.node.sfu.MediaKind;
import io.relaymesh.node.sfu.Sfu;
import io.relaymesh.node.sfu.SfuListener;
import io.relaymesh.node.srtp.SrtpProfile;
import io.relaymesh.node.transport.WebRtcTransport;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} as Prometheus reads it, from a real transport on loopback and a real SFU: every family the
 * issue asks for is present with its type and labels, and the counts follow what the node did.
 */
class NodeMetricsTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String NODE = "zone-a-7";

    private WebRtcTransport transport;
    private Sfu sfu;
    private NodeMetrics metrics;

    @BeforeEach
    void start() throws Exception {
        DtlsCertificate certificate = DtlsCertificate.generate(Clock.systemUTC(), RANDOM);
        transport = WebRtcTransport.bind(List.of(InetAddress.getLoopbackAddress()), 0, System::nanoTime,
                new WebRtcTransport.DtlsSettings(certificate, List.of(SrtpProfile.AEAD_AES_128_GCM), RANDOM));
        sfu = new Sfu(transport, Clock.systemUTC(), "metrics-test", SfuListener.NONE);
        metrics = NodeMetrics.create(NODE, Clock.systemUTC())
                .bindTransport(transport.counters())
                .bindSfu(sfu.counters());
    }

    @AfterEach
    void stop() {
        metrics.close();
        sfu.close();
        transport.close();
    }

    private Map<String, PrometheusText.Family> scrape() throws Exception {
        return PrometheusText.parse(metrics.scrape());
    }

    private void send(byte[] datagram) throws Exception {
        try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            client.send(new DatagramPacket(datagram, datagram.length,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), transport.port())));
        }
    }

    @Test
    void everyFamilyTheIssueAsksForIsExportedWithItsTypeAndLabels() throws Exception {
        Map<String, PrometheusText.Family> families = scrape();

        Map<String, String> expected = Map.ofEntries(
                Map.entry("relaymesh_sessions", "gauge"),
                Map.entry("relaymesh_sessions_opened_total", "counter"),
                Map.entry("relaymesh_tracks", "gauge"),
                Map.entry("relaymesh_tracks_started_total", "counter"),
                Map.entry("relaymesh_transport_packets_total", "counter"),
                Map.entry("relaymesh_transport_bytes_total", "counter"),
                Map.entry("relaymesh_nacks_total", "counter"),
                Map.entry("relaymesh_keyframe_requests_total", "counter"),
                Map.entry("relaymesh_retransmissions_total", "counter"),
                Map.entry("relaymesh_transport_dropped_packets_total", "counter"),
                Map.entry("relaymesh_srtp_failures_total", "counter"),
                Map.entry("relaymesh_packet_node_latency_seconds", "histogram"),
                Map.entry("jvm_memory_used_bytes", "gauge"),
                Map.entry("jvm_threads_live_threads", "gauge"),
                Map.entry("jvm_gc_memory_allocated_bytes_total", "counter"),
                Map.entry("process_cpu_usage", "gauge"),
                Map.entry("process_uptime_seconds", "gauge"),
                Map.entry("process_files_open_files", "gauge"),
                Map.entry("system_cpu_count", "gauge"));
        expected.forEach((name, type) -> {
            assertThat(families).as("family %s", name).containsKey(name);
            assertThat(families.get(name).type()).as("type of %s", name).isEqualTo(type);
            assertThat(families.get(name).help()).as("help of %s", name).isNotBlank();
        });
        for (PrometheusText.Family f : families.values()) {
            for (PrometheusText.Sample s : f.samples()) {
                assertThat(s.labels()).as("node label on %s", s.name()).containsEntry("node", NODE);
            }
        }
        assertThat(families.get("relaymesh_sessions").samples()).extracting(s -> s.labels().get("protocol"))
                .containsExactlyInAnyOrder("whip", "whep", "rtmp", "sip", "other");
        assertThat(families.get("relaymesh_tracks").samples()).extracting(s -> s.labels().get("kind"))
                .containsExactlyInAnyOrder("audio", "video");
        assertThat(families.get("relaymesh_transport_packets_total").with("direction", "in"))
                .extracting(s -> s.labels().get("kind"))
                .containsExactlyInAnyOrder("stun", "dtls", "rtp", "rtcp", "unknown");
        assertThat(families.get("relaymesh_transport_dropped_packets_total").samples())
                .extracting(s -> s.labels().get("reason"))
                .contains("unknown_kind", "stun_malformed", "srtp_auth_failed", "srtp_replayed", "media_not_secure");
        assertThat(families.get("relaymesh_keyframe_requests_total").samples())
                .extracting(s -> s.labels().get("direction") + "/" + s.labels().get("type"))
                .containsExactlyInAnyOrder("received/pli", "received/fir", "sent/pli", "sent/fir");
        assertThat(families.get("relaymesh_srtp_failures_total").samples())
                .extracting(s -> s.labels().get("direction") + "/" + s.labels().get("reason"))
                .containsExactlyInAnyOrder("in/auth_failed", "in/replayed", "in/other", "out/protect_failed");
        assertThat(families.get("relaymesh_packet_node_latency_seconds").with("le", "+Inf")).hasSize(1);
    }

    @Test
    void datagramsAreCountedByKindAndDropsByReason() throws Exception {
        send(new byte[] {(byte) 0xFF, 1, 2, 3, 4});          // first byte 255: no RFC 7983 kind
        send(new byte[] {0x00, 0x01, 0x00, 0x00, 0x21, 0x12}); // STUN's first byte, but truncated

        await().atMost(Duration.ofSeconds(5)).until(() -> transport.counters().datagramsIn() == 2);
        Map<String, PrometheusText.Family> families = scrape();

        PrometheusText.Family packets = families.get("relaymesh_transport_packets_total");
        assertThat(packets.value("relaymesh_transport_packets_total", "direction", "in", "kind", "unknown")).isEqualTo(1);
        assertThat(packets.value("relaymesh_transport_packets_total", "direction", "in", "kind", "stun")).isEqualTo(1);
        assertThat(packets.value("relaymesh_transport_packets_total", "direction", "in", "kind", "rtp")).isZero();
        assertThat(packets.value("relaymesh_transport_packets_total", "direction", "out", "kind", "stun")).isZero();
        PrometheusText.Family bytes = families.get("relaymesh_transport_bytes_total");
        assertThat(bytes.value("relaymesh_transport_bytes_total", "direction", "in", "kind", "unknown")).isEqualTo(5);
        assertThat(bytes.value("relaymesh_transport_bytes_total", "direction", "in", "kind", "stun")).isEqualTo(6);
        PrometheusText.Family dropped = families.get("relaymesh_transport_dropped_packets_total");
        assertThat(dropped.value("relaymesh_transport_dropped_packets_total", "reason", "unknown_kind")).isEqualTo(1);
        assertThat(dropped.value("relaymesh_transport_dropped_packets_total", "reason", "stun_malformed")).isEqualTo(1);
        assertThat(dropped.value("relaymesh_transport_dropped_packets_total", "reason", "srtp_auth_failed")).isZero();
    }

    @Test
    void sessionsAndTracksFollowAnIngestOpeningAndClosing() throws Exception {
        Ingest ingest = Ingest.open(sfu, "rtmp-1", "rtmp", "room-1", "camera", List.of(
                new Ingest.Track(MediaKind.AUDIO, "opus", 48000, 111),
                new Ingest.Track(MediaKind.VIDEO, "H264", 90000, 102))).get(5, TimeUnit.SECONDS);

        Map<String, PrometheusText.Family> open = scrape();
        assertThat(open.get("relaymesh_sessions").value("relaymesh_sessions", "protocol", "rtmp")).isEqualTo(1);
        assertThat(open.get("relaymesh_sessions").value("relaymesh_sessions", "protocol", "whip")).isZero();
        assertThat(open.get("relaymesh_tracks").value("relaymesh_tracks", "kind", "audio")).isEqualTo(1);
        assertThat(open.get("relaymesh_tracks").value("relaymesh_tracks", "kind", "video")).isEqualTo(1);

        ingest.close("test over");
        await().atMost(Duration.ofSeconds(5)).until(() -> sfu.counters().sessionsLive("rtmp") == 0);

        Map<String, PrometheusText.Family> closed = scrape();
        assertThat(closed.get("relaymesh_sessions").value("relaymesh_sessions", "protocol", "rtmp")).isZero();
        assertThat(closed.get("relaymesh_tracks").value("relaymesh_tracks", "kind", "video")).isZero();
        assertThat(closed.get("relaymesh_sessions_opened_total")
                .value("relaymesh_sessions_opened_total", "protocol", "rtmp")).isEqualTo(1);
        assertThat(closed.get("relaymesh_tracks_started_total")
                .value("relaymesh_tracks_started_total", "kind", "audio")).isEqualTo(1);
    }

    @Test
    void inNodeLatencyIsAHistogramWithPowerOfTwoMicrosecondBuckets() throws Exception {
        // The histogram has one writer, the event loop: record there as the transport does.
        transport.eventLoop().submit(() -> {
            transport.counters().latency().record(900);        // <= 1 us
            transport.counters().latency().record(3_000);      // <= 4 us
            transport.counters().latency().record(3_500);      // <= 4 us
            transport.counters().latency().record(500_000_000); // beyond the largest bound
        }).get(5, TimeUnit.SECONDS);

        PrometheusText.Family h = scrape().get("relaymesh_packet_node_latency_seconds");
        String bucket = "relaymesh_packet_node_latency_seconds_bucket";
        assertThat(h.samples().stream().filter(s -> s.name().equals(bucket))).hasSize(19);
        assertThat(h.value(bucket, "le", "1.0E-6")).isEqualTo(1);
        assertThat(h.value(bucket, "le", "2.0E-6")).isEqualTo(1);
        assertThat(h.value(bucket, "le", "4.0E-6")).isEqualTo(3);
        assertThat(h.value(bucket, "le", "0.131072")).isEqualTo(3);
        assertThat(h.value(bucket, "le", "+Inf")).isEqualTo(4);
        assertThat(h.value("relaymesh_packet_node_latency_seconds_count")).isEqualTo(4);
        assertThat(h.value("relaymesh_packet_node_latency_seconds_sum")).isEqualTo(0.5000074);
    }

    @Test
    void anEventSinkCanReportItsQueue() throws Exception {
        metrics.bindEventDelivery("nats", new EventDeliveryStats() {
            @Override
            public long pendingEvents() {
                return 42;
            }

            @Override
            public long deliveredEvents() {
                return 1000;
            }

            @Override
            public long deliveryFailures() {
                return 3;
            }
        });

        Map<String, PrometheusText.Family> families = scrape();

        assertThat(families.get("relaymesh_events_pending").type()).isEqualTo("gauge");
        assertThat(families.get("relaymesh_events_pending").value("relaymesh_events_pending", "sink", "nats")).isEqualTo(42);
        assertThat(families.get("relaymesh_events_delivered_total")
                .value("relaymesh_events_delivered_total", "sink", "nats")).isEqualTo(1000);
        assertThat(families.get("relaymesh_events_delivery_failures_total")
                .value("relaymesh_events_delivery_failures_total", "sink", "nats")).isEqualTo(3);
    }

    @Test
    void aTransportOrAnSfuIsBoundOnce() {
        assertThatThrownBy(() -> metrics.bindTransport(transport.counters())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> metrics.bindSfu(sfu.counters())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theDashboardHistorySamplesTheBoundNode() throws Exception {
        metrics.history().sample();
        send(new byte[] {(byte) 0xFF, 1, 2, 3});
        await().atMost(Duration.ofSeconds(5)).until(() -> transport.counters().datagramsIn() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics.history().sample() != null);

        NodeSample s = metrics.history().after(0).getLast();
        assertThat(s.packetsInPerSecond()).isPositive();
        assertThat(s.bitsInPerSecond()).isPositive();
        assertThat(s.heapUsedBytes()).isPositive();
    }
}
