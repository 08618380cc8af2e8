package io.relaymesh.node.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.relaymesh.node.metrics.NodeMetrics;
import io.relaymesh.node.metrics.PrometheusText;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The relay's counters as {@code /metrics} exports them: the names and labels other tools (dashboards, the
 * cluster end-to-end test) rely on, read through the Prometheus text parser.
 */
class RelayMetricsTest {

    private final RelayCounters counters = new RelayCounters();
    private final NodeMetrics metrics = NodeMetrics.create("west-0", Clock.systemUTC()).bindRelay(counters);

    @AfterEach
    void close() {
        metrics.close();
    }

    private Map<String, PrometheusText.Family> scrape() throws Exception {
        return PrometheusText.parse(metrics.scrape());
    }

    @Test
    void perPeerTrafficIsExportedWithAPeerLabel() throws Exception {
        RelayCounters.Peer east1 = counters.peer("east-1");
        east1.sent(1200);
        east1.sent(1300);
        east1.received(100);
        counters.peer("east-2").received(50);

        Map<String, PrometheusText.Family> f = scrape();
        assertThat(f.get("relaymesh_relay_packets_sent_total").value("relaymesh_relay_packets_sent_total",
                "node", "west-0", "peer", "east-1")).isEqualTo(2);
        assertThat(f.get("relaymesh_relay_bytes_sent_total").value("relaymesh_relay_bytes_sent_total",
                "node", "west-0", "peer", "east-1")).isEqualTo(2500);
        assertThat(f.get("relaymesh_relay_packets_received_total").value("relaymesh_relay_packets_received_total",
                "node", "west-0", "peer", "east-2")).isEqualTo(1);
        assertThat(f.get("relaymesh_relay_bytes_received_total").value("relaymesh_relay_bytes_received_total",
                "node", "west-0", "peer", "east-1")).isEqualTo(100);
        assertThat(f.get("relaymesh_relay_packets_sent_total").type()).isEqualTo("counter");
        assertThat(counters.bytesSent()).isEqualTo(2500);
    }

    @Test
    void subscriptionsDropsAndFeedbackAreExported() throws Exception {
        counters.subscriptions(3, 1);
        counters.drop(RelayCounters.Drop.UNKNOWN_CHANNEL);
        counters.drop(RelayCounters.Drop.UNKNOWN_CHANNEL);
        counters.drop(RelayCounters.Drop.UNAUTHENTICATED);
        counters.keyframeRequestSent();
        counters.keyframeRequestReceived();
        counters.keyframeRequestReceived();
        counters.nacksSent(5);

        Map<String, PrometheusText.Family> f = scrape();
        PrometheusText.Family subscriptions = f.get("relaymesh_relay_subscriptions");
        assertThat(subscriptions.value("relaymesh_relay_subscriptions", "direction", "in")).isEqualTo(3);
        assertThat(subscriptions.value("relaymesh_relay_subscriptions", "direction", "out")).isEqualTo(1);
        PrometheusText.Family dropped = f.get("relaymesh_relay_dropped_total");
        assertThat(dropped.value("relaymesh_relay_dropped_total", "reason", "unknown_channel")).isEqualTo(2);
        assertThat(dropped.value("relaymesh_relay_dropped_total", "reason", "unauthenticated")).isEqualTo(1);
        assertThat(dropped.value("relaymesh_relay_dropped_total", "reason", "malformed")).isZero();
        PrometheusText.Family keyframes = f.get("relaymesh_relay_keyframe_requests_total");
        assertThat(keyframes.value("relaymesh_relay_keyframe_requests_total", "direction", "sent")).isEqualTo(1);
        assertThat(keyframes.value("relaymesh_relay_keyframe_requests_total", "direction", "received"))
                .isEqualTo(2);
        assertThat(f.get("relaymesh_relay_nacks_total").value("relaymesh_relay_nacks_total")).isEqualTo(5);
    }
}
