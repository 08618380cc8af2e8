package io.relaymesh.node.e2e;

import static io.relaymesh.node.e2e.ClusterJson.capacity;
import static io.relaymesh.node.e2e.ClusterJson.sessions;
import static io.relaymesh.node.e2e.ClusterJson.states;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.relaymesh.node.events.EventsDoc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Faults in a real multi-process cluster, started with the README's "Start a cluster" commands: zone "a" with a
 * gateway and media nodes A (a-1), B (a-2), C (a-3), zone "b" with its own gateway and media nodes b-1, b-2, every
 * node exporting its events to a webhook in this test. Chromium publishes through zone a's gateway and lands on A
 * (the only media node with a free slot then: A offers one session, C none); five viewers land on B (A is full, C
 * offers nothing). Then, in order: the relay carries one copy per track A to B; a zone-b viewer survives the death
 * of its zone's relay entry; the cluster survives its first seed; and the viewers see the publisher's node die.
 *
 * <p>Every node is killed in {@link #stopCluster}; a failing step prints the tail of every node's log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultIT {

    private static final Duration STEP = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final int VIEWERS = 5;
    private static final String ROOM = "fault-room";

    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, NodeProcess> nodes = new LinkedHashMap<>();
    private final Map<String, Integer> clusterPorts = new LinkedHashMap<>();
    private final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
    private final List<SamplePage> viewers = new ArrayList<>();
    private String secret;
    /** Event queues of this run only: a queue left by an earlier run would redeliver its events here. */
    private String runDir;
    private HttpServer webhook;
    private String hookUrl;
    private Chromium chromium;
    private SamplePage publisher;

    @RegisterExtension
    final TestWatcher logsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            for (Map.Entry<String, NodeProcess> n : nodes.entrySet()) {
                try {
                    System.err.println("----- " + n.getKey() + " (last 60 lines) -----\n" + n.getValue().logTail(60));
                } catch (IOException e) {
                    System.err.println("----- " + n.getKey() + ": log unreadable: " + e);
                }
            }
            System.err.println("----- webhook events -----");
            events.forEach(e -> System.err.println(e));
        }
    };

    @BeforeAll
    void startClusterPublisherAndViewers() throws Exception {
        secret = NodeProcess.randomSecret();
        runDir = "target/cluster-fault/run-" + System.currentTimeMillis();
        webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webhook.createContext("/events", exchange -> {
            events.add(EventsDoc.members(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhook.start();
        hookUrl = "http://127.0.0.1:" + webhook.getAddress().getPort() + "/events";
        chromium = new Chromium();

        // Zone a: the gateway (first seed), A with one session slot, C with none (relay only).
        start("a-0", "gateway", "a", 0);
        String seed = "relaymesh://a-0@127.0.0.1:" + clusterPorts.get("a-0");
        start("a-1", "media", "a", 1, "--seeds", seed, "--session-capacity", "1");
        start("a-3", "media", "a", 3, "--seeds", seed, "--session-capacity", "0");
        NodeProcess gateway = nodes.get("a-0");
        await("gateway a-0 sees A alive with its one session slot, and C").atMost(STEP).pollInterval(POLL)
                .until(() -> "ALIVE".equals(states(cluster(gateway)).get("a-1")) && capacity(cluster(gateway), "a-1") == 1
                        && "ALIVE".equals(states(cluster(gateway)).get("a-3")));

        publisher = SamplePage.start(chromium, gateway, "whip", ROOM);
        publisher.constrainVideo(320, 240);
        await("the gateway learns that A hosts the room and is full").atMost(STEP).pollInterval(POLL)
                .until(() -> sessions(cluster(gateway), "a-1") == 1);
        assertThat(cluster(gateway)).as("the publisher went to A").contains("\"" + ROOM + "\":\"a-1\"");

        // B joins; with A full and C offering nothing, every viewer is placed on B by load.
        start("a-2", "media", "a", 2, "--seeds", seed);
        await("gateway a-0 sees B alive and offering sessions").atMost(STEP).pollInterval(POLL)
                .until(() -> "ALIVE".equals(states(cluster(gateway)).get("a-2")) && capacity(cluster(gateway), "a-2") > 0);
        for (int i = 0; i < VIEWERS; i++) {
            viewers.add(viewerRetrying503(gateway, Map.of()));
        }
        for (SamplePage viewer : viewers) {
            await("viewer on B decodes video").atMost(STEP).pollInterval(POLL)
                    .untilAsserted(() -> assertThat(SamplePage.number(viewer.stats(), "in-video", "framesDecoded"))
                            .as("viewer %s%npublisher %s", viewer.stats(), publisher.stats())
                            .isGreaterThanOrEqualTo(30));
        }
    }

    @AfterAll
    void stopCluster() throws Exception {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            for (NodeProcess node : new ArrayList<>(nodes.values()).reversed()) {
                if (node.isAlive()) {
                    node.kill();
                }
            }
            if (webhook != null) {
                webhook.stop(0);
            }
        }
    }

    /** (a) Five viewers on B, one copy of each track from A to B, and the gateway said why it placed them there. */
    @Test
    @Order(1)
    void fiveViewersOnBCostOneCopyOfEachTrackFromA() throws Exception {
        await("the gateway reported every placement").atMost(STEP).pollInterval(POLL)
                .until(() -> ofType("session.routed").size() >= 1 + VIEWERS);
        // A 503 the viewer retried (a node suspected for a moment on this busy machine) is a failed route.
        assertThat(ofType("session.routed")).filteredOn(r -> r.get("chosenNode") == null)
                .allSatisfy(r -> assertThat((String) r.get("failureReason")).isNotBlank());
        List<Map<String, Object>> routed = ofType("session.routed").stream()
                .filter(r -> r.get("chosenNode") != null).toList();
        assertThat(routed).as("the gateway reports every placement once").hasSize(1 + VIEWERS);
        assertThat(routed.getFirst()).containsEntry("protocol", "whip").containsEntry("chosenNode", "a-1")
                .containsEntry("reason", "least-loaded").containsEntry("node", "a-0").containsEntry("room", ROOM);
        assertThat(routed.subList(1, routed.size())).allSatisfy(r -> assertThat(r)
                .containsEntry("protocol", "whep").containsEntry("chosenNode", "a-2")
                .containsEntry("reason", "least-loaded").containsEntry("requestedZone", "a"));
        await("B's load counts the five viewers").atMost(STEP).pollInterval(POLL)
                .until(() -> sessions(cluster(nodes.get("a-0")), "a-2") == VIEWERS);

        // Counted over a window of at least 1,500 packets from the publisher (about 10 s at 320x240).
        NodeProcess a = nodes.get("a-1");
        NodeProcess b = nodes.get("a-2");
        double rtpIn0 = metric(a, "relaymesh_transport_packets_total", "direction", "in", "kind", "rtp");
        double sent0 = metric(a, "relaymesh_relay_packets_sent_total", "peer", "a-2");
        double received0 = metric(b, "relaymesh_relay_packets_received_total", "peer", "a-1");
        await("1,500 packets from the publisher").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> metric(a, "relaymesh_transport_packets_total", "direction", "in", "kind", "rtp") - rtpIn0 >= 1500);
        double sent = metric(a, "relaymesh_relay_packets_sent_total", "peer", "a-2") - sent0;
        double received = metric(b, "relaymesh_relay_packets_received_total", "peer", "a-1") - received0;
        double rtpIn = metric(a, "relaymesh_transport_packets_total", "direction", "in", "kind", "rtp") - rtpIn0;
        // One copy per track: about what A received from the publisher (not five times that); read at slightly
        // different moments, hence the margin. B receives what A sent (loopback: no loss).
        assertThat(sent / rtpIn).as("packets A relayed to B per packet A got from the publisher (sent %s, in %s)",
                sent, rtpIn).isBetween(0.8, 1.2);
        assertThat(received / sent).as("B received what A sent (received %s, sent %s)", received, sent)
                .isBetween(0.9, 1.1);
    }

    /**
     * (c) Zone b's relay entry dies: a zone-b viewer on the other b node keeps playing, through a new parent, with
     * a gap under 5 s.
     */
    @Test
    @Order(2)
    void aViewerSurvivesTheDeathOfItsZonesRelayEntry() throws Exception {
        String seed = "relaymesh://a-2@127.0.0.1:" + clusterPorts.get("a-2");
        start("b-0", "gateway", "b", 0, "--seeds", seed);
        start("b-1", "media", "b", 1, "--seeds", seed);
        start("b-2", "media", "b", 2, "--seeds", seed);
        NodeProcess gatewayB = nodes.get("b-0");
        await("gateway b-0 sees b-1 and b-2 alive and offering sessions").atMost(STEP).pollInterval(POLL)
                .until(() -> capacity(cluster(gatewayB), "b-1") > 0 && capacity(cluster(gatewayB), "b-2") > 0
                        && "ALIVE".equals(states(cluster(gatewayB)).get("b-1"))
                        && "ALIVE".equals(states(cluster(gatewayB)).get("b-2")));

        // Put the viewer on b-1 (test hook: pin with the secret); if b-1 turns out to be the zone's entry for the
        // stream (its parent is the publisher's node), move it to b-2, whose parent is then the entry.
        SamplePage viewer = pinnedViewer(gatewayB, "b-1");
        String viewerNode = "b-1";
        String parent = awaitParent(nodes.get("b-1"));
        if (parent.equals("a-1")) {
            viewer.stop();
            viewer = pinnedViewer(gatewayB, "b-2");
            viewerNode = "b-2";
            parent = awaitParent(nodes.get("b-2"));
        }
        String entry = parent;
        assertThat(entry).as("the viewer's node receives from its zone's entry").isIn("b-1", "b-2")
                .isNotEqualTo(viewerNode);
        String entryParent = awaitParent(nodes.get(entry));
        assertThat(entryParent).as("the entry receives from the publisher's node").isEqualTo("a-1");
        SamplePage watched = viewer;
        await("the zone-b viewer decodes video").atMost(STEP).pollInterval(POLL)
                .until(() -> SamplePage.number(watched.stats(), "in-video", "framesDecoded") >= 30);

        FrameGaps gaps = new FrameGaps(watched);
        long killedAt = System.currentTimeMillis();
        nodes.get(entry).kill();
        await("the viewer decodes again after the entry died").atMost(STEP).pollInterval(Duration.ofMillis(100))
                .until(() -> gaps.sample() && gaps.framesSince(killedAt) >= 30);
        System.out.println("ClusterFaultIT: longest gap without frames after the entry's kill: "
                + gaps.longestGapMillisAfter(killedAt) + " ms");
        assertThat(gaps.longestGapMillisAfter(killedAt)).as("longest time without a new frame after the kill")
                .isLessThan(5000);
        assertThat(awaitParent(nodes.get(viewerNode))).as("re-parented to the publisher's node").isEqualTo("a-1");
        watched.stop();
    }

    /**
     * (d) The first seed (zone a's gateway) dies: everyone else stays joined and a new media node joins through
     * another member; its join and the seed's departure are each reported once. (ClusterIT covers a new gateway
     * finding rooms after its predecessor died.)
     */
    @Test
    @Order(3)
    void theClusterOutlivesItsFirstSeedAndReportsEachChangeOnce() throws Exception {
        nodes.get("a-0").kill();
        List<String> survivors = nodes.keySet().stream().filter(id -> nodes.get(id).isAlive()).toList();
        for (String id : survivors) {
            await(id + " sees the seed dead and the other survivors alive").atMost(STEP).pollInterval(POLL)
                    .until(() -> states(cluster(nodes.get(id))), s -> !"ALIVE".equals(s.getOrDefault("a-0", "GONE"))
                            && survivors.stream().allMatch(other -> "ALIVE".equals(s.get(other))));
        }
        start("a-4", "media", "a", 4, "--seeds", "relaymesh://a-3@127.0.0.1:" + clusterPorts.get("a-3"));
        for (String id : survivors) {
            await(id + " sees a-4, which joined through a-3").atMost(STEP).pollInterval(POLL)
                    .until(() -> "ALIVE".equals(states(cluster(nodes.get(id))).get("a-4")));
        }
        await("a-4's join and a-0's departure each reported once").atMost(STEP).pollInterval(POLL)
                .untilAsserted(() -> {
                    assertThat(ofType("node.joined")).filteredOn(e -> "a-4".equals(e.get("member")))
                            .singleElement().satisfies(e -> assertThat(e).containsEntry("node", "a-4")
                                    .containsEntry("zone", "a"));
                    assertThat(ofType("node.left")).filteredOn(e -> "a-0".equals(e.get("member")))
                            .singleElement().satisfies(e -> assertThat(e).containsEntry("reason", "failed"));
                });
    }

    /**
     * (b) The publisher's node is killed: within 5 s B reports the tracks ended, and the viewers stop receiving
     * frames. What Chromium shows on the track is recorded and printed (see the report in docs).
     */
    @Test
    @Order(4)
    void viewersSeeTheStreamEndWithinFiveSecondsOfThePublishersNodeDying() throws Exception {
        viewers.forEach(SamplePage::recordTrackEvents);
        viewers.forEach(SamplePage::recordFrames);
        await("every viewer's player shows frames (the in-page frame clock works)").atMost(STEP).pollInterval(POLL)
                .until(() -> viewers.stream().allMatch(v -> v.framesShown()[0] >= 10));
        List<FrameGaps> gaps = viewers.stream().map(FrameGaps::new).toList();
        int endedBefore = endedOn("a-2").size();
        long killedAt = System.currentTimeMillis();
        nodes.get("a-1").kill();
        await("B reports both relayed tracks ended").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> gaps.stream().allMatch(FrameGaps::sample) && endedOn("a-2").size() - endedBefore >= 2);
        List<Map<String, Object>> ended = endedOn("a-2");
        assertThat(ended.subList(endedBefore, ended.size())).extracting(e -> e.get("kind"))
                .contains("audio", "video");
        for (Map<String, Object> e : ended.subList(endedBefore, ended.size())) {
            long at = java.time.Instant.parse((String) e.get("time")).toEpochMilli();
            assertThat(at - killedAt).as("track.ended on B after the kill (ms)").isLessThan(5000);
        }
        await("every viewer stops getting frames").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> gaps.stream().allMatch(g -> g.sample() && g.stalledForMillis() >= 2000));
        for (SamplePage viewer : viewers) {
            System.out.println("ClusterFaultIT: viewer track events after the kill at " + killedAt + ": "
                    + viewer.trackEvents());
        }
        // When the players showed their last frame, by the pages' own clocks: polling five pages' stats on a loaded
        // machine sees an increase seconds after it happened (it once read 5.5 s for frames shown within about 1 s).
        for (int i = 0; i < viewers.size(); i++) {
            long lastShown = viewers.get(i).framesShown()[1];
            System.out.println("ClusterFaultIT: viewer " + i + " showed its last frame " + (lastShown - killedAt)
                    + " ms after the kill (polled stats saw the last increase at " + (gaps.get(i).lastFrameAt() - killedAt)
                    + " ms)");
            assertThat(lastShown - killedAt).as("viewer %d's last frame shown after the kill (ms)", i).isLessThan(5000);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Starts a node the README's way; each node exports its events to this test's webhook. */
    private void start(String id, String role, String zone, int index, String... extra) throws IOException {
        int clusterPort = freeUdpPortWithRelayPort();
        List<String> args = new ArrayList<>(List.of("--zone", zone, "--node-index", Integer.toString(index),
                "--cluster-port", Integer.toString(clusterPort), "--webhook-url", hookUrl,
                "--data-dir", runDir + "/" + id));
        args.addAll(List.of(extra));
        nodes.put(id, NodeProcess.startRole("fault-" + id, role, secret, args.toArray(String[]::new)));
        clusterPorts.put(id, clusterPort);
    }

    private SamplePage pinnedViewer(NodeProcess gateway, String nodeId) {
        return viewerRetrying503(gateway, Map.of("Relaymesh-Node", nodeId, "Relaymesh-Cluster-Secret", secret));
    }

    /**
     * A viewer page through {@code gateway}. A 503 (no node with room: on this shared machine a starting JVM can
     * pass the 60 % CPU limit for a moment, or be suspected) is retried the way a client honours Retry-After, up
     * to three times; any other error fails at once.
     */
    private SamplePage viewerRetrying503(NodeProcess gateway, Map<String, String> headers) {
        AssertionError last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return SamplePage.start(chromium, gateway, "whep", ROOM, headers);
            } catch (org.awaitility.core.TerminalFailureException e) {
                if (!(e.getCause() instanceof AssertionError ae) || !String.valueOf(ae.getMessage()).contains("503")) {
                    throw e;
                }
                last = ae;
                System.out.println("ClusterFaultIT: viewer refused, retrying after 5 s: " + ae.getMessage());
                await("Retry-After").pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
            }
        }
        throw last;
    }

    /** The node the stream's video reaches {@code node} from, per its {@code GET /api/relay}. */
    private String awaitParent(NodeProcess node) {
        Pattern track = Pattern.compile("\\{[^{}]*\"room\":\"" + ROOM + "\"[^{}]*\\}");
        Pattern parent = Pattern.compile("\"parent\":\"([^\"]+)\"");
        return await("the relay view of " + node.baseUrl() + " names a parent").atMost(STEP).pollInterval(POLL)
                .until(() -> {
                    Matcher t = track.matcher(get(node, "/api/relay"));
                    while (t.find()) {
                        Matcher m = parent.matcher(t.group());
                        if (m.find()) {
                            return m.group(1);
                        }
                    }
                    return null;
                }, p -> p != null);
    }

    private List<Map<String, Object>> ofType(String type) {
        return events.stream().filter(e -> type.equals(e.get("type"))).toList();
    }

    private List<Map<String, Object>> endedOn(String node) {
        return events.stream().filter(e -> "track.ended".equals(e.get("type")) && node.equals(e.get("node"))).toList();
    }

    private String cluster(NodeProcess node) throws IOException, InterruptedException {
        return get(node, "/api/cluster");
    }

    private String get(NodeProcess node, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(node.uri(path))
                .header("Authorization", "Bearer " + secret).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s%s: %s", node.baseUrl(), path, r.body()).isEqualTo(200);
        return r.body();
    }

    /** The sum of a Prometheus series' samples whose labels include {@code labels} (name, value pairs). */
    private double metric(NodeProcess node, String name, String... labels) throws IOException, InterruptedException {
        double sum = 0;
        boolean found = false;
        for (String line : get(node, "/metrics").split("\n")) {
            if (!line.startsWith(name + "{")) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i < labels.length; i += 2) {
                all &= line.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
            }
            if (all) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        assertThat(found).as("%s has a series %s%s", node.baseUrl(), name, List.of(labels)).isTrue();
        return sum;
    }

    /** A media node's cluster port whose next port (its default relay port) is free too. */
    private static int freeUdpPortWithRelayPort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = NodeProcess.freeUdpPort();
            if (port < 65535) {
                try (java.net.DatagramSocket probe = new java.net.DatagramSocket(port + 1)) {
                    probe.getLocalPort();
                    return port;
                } catch (java.net.SocketException taken) {
                    // try another
                }
            }
        }
        throw new IllegalStateException("no free UDP port pair for a media node");
    }

    /** Samples a viewer's framesDecoded with the test's clock: when frames last advanced, and the gaps between. */
    private static final class FrameGaps {
        private final SamplePage page;
        private final List<long[]> samples = new ArrayList<>(); // at, framesDecoded

        FrameGaps(SamplePage page) {
            this.page = page;
            sample();
        }

        /** Takes one sample; returns true so it can sit in an Awaitility condition. */
        boolean sample() {
            long frames = (long) SamplePage.number(page.stats(), "in-video", "framesDecoded");
            samples.add(new long[] {System.currentTimeMillis(), frames});
            return true;
        }

        long lastFrameAt() {
            long last = samples.getFirst()[0];
            for (int i = 1; i < samples.size(); i++) {
                if (samples.get(i)[1] > samples.get(i - 1)[1]) {
                    last = samples.get(i)[0];
                }
            }
            return last;
        }

        long stalledForMillis() {
            return samples.getLast()[0] - lastFrameAt();
        }

        long framesSince(long at) {
            long before = samples.stream().filter(s -> s[0] <= at).mapToLong(s -> s[1]).max().orElse(0);
            return samples.getLast()[1] - before;
        }

        /** The longest stretch after {@code at} (starting at the last sample before it) without a new frame. */
        long longestGapMillisAfter(long at) {
            long longest = 0;
            long lastAdvance = samples.stream().filter(s -> s[0] <= at).mapToLong(s -> s[0]).max().orElse(at);
            for (int i = 1; i < samples.size(); i++) {
                if (samples.get(i)[0] <= at) {
                    continue;
                }
                if (samples.get(i)[1] > samples.get(i - 1)[1]) {
                    longest = Math.max(longest, samples.get(i)[0] - lastAdvance);
                    lastAdvance = samples.get(i)[0];
                }
            }
            return Math.max(longest, samples.getLast()[0] - lastAdvance);
        }
    }
}
