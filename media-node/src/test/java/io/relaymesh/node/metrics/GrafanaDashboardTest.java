package io.relaymesh.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.ObjectMapper;
import io.relaymesh.node.dtls.DtlsCertificate;
import io.relaymesh.node.sfu.Sfu;
import io.relaymesh.node.sfu.SfuListener;
import io.relaymesh.node.srtp.SrtpProfile;
import io.relaymesh.node.transport.WebRtcTransport;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code examples/grafana/relaymesh-dashboard.json} is a Grafana dashboard, and every series it queries, with
 * every label it selects or groups by, is one a node (with a transport, an SFU and an event sink bound)
 * actually exports. Renaming a metric without fixing the dashboard fails here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrafanaDashboardTest {

    private static final Path DASHBOARD = Path.of("..", "examples", "grafana", "relaymesh-dashboard.json");
    /** A metric selector as the dashboard writes them: always with braces, e.g. {@code name{node=~"$node"}}. */
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");
    private static final Pattern MATCHER_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)");
    private static final Pattern GROUPING = Pattern.compile("\\bby \\(([^)]*)\\)");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(([a-zA-Z_:][a-zA-Z0-9_:]*), *([a-zA-Z_]+)\\)");

    private JsonNode dashboard;
    /** Sample name -> label names it carries. */
    private final Map<String, Set<String>> exported = new java.util.HashMap<>();

    @BeforeAll
    void readDashboardAndScrapeANode() throws Exception {
        assertThat(DASHBOARD).exists();
        dashboard = ObjectMapper.getDefault().readValue(Files.readString(DASHBOARD), JsonNode.class);
        SecureRandom random = new SecureRandom();
        WebRtcTransport transport = WebRtcTransport.bind(List.of(InetAddress.getLoopbackAddress()), 0,
                System::nanoTime, new WebRtcTransport.DtlsSettings(DtlsCertificate.generate(Clock.systemUTC(), random),
                        List.of(SrtpProfile.AEAD_AES_128_GCM), random));
        Sfu sfu = new Sfu(transport, Clock.systemUTC(), "grafana-test", SfuListener.NONE);
        try (NodeMetrics metrics = NodeMetrics.create("n1", Clock.systemUTC())) {
            metrics.bindTransport(transport.counters()).bindSfu(sfu.counters())
                    .bindEventDelivery("nats", new EventDeliveryStats() {
                        @Override
                        public long pendingEvents() {
                            return 0;
                        }

                        @Override
                        public long deliveredEvents() {
                            return 0;
                        }

                        @Override
                        public long deliveryFailures() {
                            return 0;
                        }
                    });
            io.netty.buffer.ByteBufAllocator.DEFAULT.directBuffer(16).release(); // the allocator reports once used
            for (PrometheusText.Family f : PrometheusText.parse(metrics.scrape()).values()) {
                for (PrometheusText.Sample s : f.samples()) {
                    exported.computeIfAbsent(s.name(), n -> new HashSet<>()).addAll(s.labels().keySet());
                }
            }
        } finally {
            sfu.close();
            transport.close();
        }
    }

    private List<String> expressions() {
        List<String> out = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels").values()) {
            JsonNode targets = panel.get("targets");
            if (targets != null) {
                for (JsonNode t : targets.values()) {
                    out.add(t.get("expr").getStringValue());
                }
            }
        }
        return out;
    }

    @Test
    void isADashboardWithPanelsAndANodeVariable() {
        assertThat(dashboard.get("title").getStringValue()).isNotBlank();
        assertThat(dashboard.get("uid").getStringValue()).matches("[a-zA-Z0-9-_]{1,40}");
        assertThat(dashboard.get("schemaVersion").getIntValue()).isGreaterThanOrEqualTo(36);
        List<String> variables = new ArrayList<>();
        for (JsonNode v : dashboard.get("templating").get("list").values()) {
            variables.add(v.get("name").getStringValue());
        }
        assertThat(variables).contains("datasource", "node");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.get("panels").values()) {
            assertThat(ids.add(panel.get("id").getIntValue())).as("panel ids are unique").isTrue();
            JsonNode grid = panel.get("gridPos");
            assertThat(grid.get("x").getIntValue() + grid.get("w").getIntValue()).as("panel inside 24 columns")
                    .isLessThanOrEqualTo(24);
        }
        assertThat(expressions()).hasSizeGreaterThanOrEqualTo(15);
    }

    @Test
    void everyQueriedSeriesAndLabelIsExportedByANode() {
        Set<String> queried = new HashSet<>();
        for (String expr : expressions()) {
            Matcher selector = SELECTOR.matcher(expr);
            Set<String> labelsOfExpr = new HashSet<>();
            boolean any = false;
            while (selector.find()) {
                any = true;
                String name = selector.group(1);
                queried.add(name);
                assertThat(exported).as("series %s in %s", name, expr).containsKey(name);
                Matcher label = MATCHER_LABEL.matcher(selector.group(2));
                while (label.find()) {
                    assertThat(exported.get(name)).as("label %s of %s in %s", label.group(1), name, expr)
                            .contains(label.group(1));
                }
                labelsOfExpr.addAll(exported.get(name));
            }
            assertThat(any).as("expression names its series with a selector: %s", expr).isTrue();
            Matcher grouping = GROUPING.matcher(expr);
            while (grouping.find()) {
                for (String label : grouping.group(1).split(",")) {
                    assertThat(labelsOfExpr).as("grouping label %s in %s", label.strip(), expr).contains(label.strip());
                }
            }
        }
        for (JsonNode v : dashboard.get("templating").get("list").values()) {
            JsonNode definition = v.get("definition");
            if (definition != null) {
                Matcher m = LABEL_VALUES.matcher(definition.getStringValue());
                assertThat(m.matches()).as("variable query %s", definition.getStringValue()).isTrue();
                assertThat(exported.get(m.group(1))).as("variable %s", v.get("name").getStringValue()).contains(m.group(2));
            }
        }
        assertThat(queried).as("the issue's metrics are all on the dashboard").contains(
                "relaymesh_sessions", "relaymesh_tracks", "relaymesh_transport_bytes_total",
                "relaymesh_transport_packets_total", "relaymesh_nacks_total", "relaymesh_keyframe_requests_total",
                "relaymesh_retransmissions_total", "relaymesh_transport_dropped_packets_total",
                "relaymesh_srtp_failures_total", "relaymesh_packet_node_latency_seconds_bucket",
                "relaymesh_events_pending", "relaymesh_events_delivery_failures_total",
                "process_cpu_usage", "jvm_memory_used_bytes");
    }
}
