package io.relaymesh.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.relaymesh.node.cluster.ClusterNode;
import io.relaymesh.node.cluster.ClusterSettings;
import io.relaymesh.node.cluster.membership.Member;
import io.relaymesh.node.cluster.membership.SwimConfig;
import io.relaymesh.node.cluster.wire.MemberState;
import io.relaymesh.node.cluster.wire.NodeLoad;
import io.relaymesh.node.cluster.wire.NodeMetadata;
import io.relaymesh.node.config.Role;
import io.relaymesh.node.gateway.NodeSelector;
import io.relaymesh.node.gateway.RoomDirectory;
import io.relaymesh.node.gateway.SessionProxy;
import io.relaymesh.node.gateway.SessionRouter;
import io.relaymesh.node.metrics.NodeMetrics;
import io.relaymesh.node.sfu.Signaling.SessionKind;
import io.relaymesh.node.token.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway's HTTP API in-process in front of a media node's HTTP API (a {@link TestNode}): WHIP/WHEP through
 * the gateway reach the node with the client's token, the session URL names the node, and {@code /api/cluster}
 * is protected like {@code /metrics}.
 */
class GatewayHttpTest {

    private static final String OFFER = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

    private TestNode media;
    private ClusterNode cluster;
    private NodeMetrics metrics;
    private HttpApi gateway;
    private final List<Member> members = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        media = new TestNode();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        NodeMetadata node = new NodeMetadata("eu", 1, Set.of(Role.MEDIA), new InetSocketAddress(loopback, 7001),
                Optional.of(new InetSocketAddress(loopback, media.api.port())), Optional.empty(),
                new NodeLoad(100, 100, 0, 100, 0, 0), "test");
        members.add(new Member("eu-1", MemberState.ALIVE, 1, node, Optional.of(Duration.ofMillis(1)), false));
        cluster = ClusterNode.start(new ClusterSettings("eu", 0, Set.of(Role.GATEWAY),
                new InetSocketAddress(loopback, 0), Optional.empty(), List.of(), TestNode.SECRET,
                Optional.empty(), Optional.empty(), "test", SwimConfig.DEFAULTS));
        SessionRouter router = new SessionRouter(() -> members, "eu", new NodeSelector(), SessionProxy.create(),
                new RoomDirectory());
        NodeStatus status = new NodeStatus("eu-0", "test", TestNode.STARTED_AT);
        status.set(NodeStatus.State.READY);
        metrics = NodeMetrics.create("eu-0", Clock.systemUTC());
        gateway = HttpApi.startGateway(0, status, TestNode.SECRET, media.tokens, metrics, router, cluster);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        media.close();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(10));
    }

    private HttpResponse<String> send(HttpRequest r) throws Exception {
        return media.client.send(r, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void whipThroughTheGatewayOpensTheSessionOnTheNodeAndRoutesItsPatchAndDelete() throws Exception {
        String token = media.token(Protocol.WHIP, "room-1");
        HttpResponse<String> r = send(request("/whip/endpoint").header("Content-Type", "application/sdp")
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(OFFER)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.body()).isEqualTo(RecordingSignaling.answerFor("s1-publish"));
        assertThat(r.headers().firstValue("Location")).contains("/whip/endpoint/eu-1.s1-publish");
        assertThat(r.headers().firstValue("Relaymesh-Node")).contains("eu-1");
        assertThat(media.signaling.opened()).singleElement().satisfies(o -> {
            assertThat(o.kind()).isEqualTo(SessionKind.PUBLISH);
            assertThat(o.claims().room()).isEqualTo("room-1");
        });

        HttpResponse<String> restart = send(request("/whip/endpoint/eu-1.s1-publish")
                .header("Content-Type", "application/trickle-ice-sdpfrag").header("Authorization", "Bearer " + token)
                .method("PATCH", HttpRequest.BodyPublishers.ofString("a=ice-ufrag:x\r\na=ice-pwd:y\r\n")).build());
        assertThat(restart.statusCode()).as(restart.body()).isEqualTo(200);
        assertThat(restart.body()).isEqualTo(RecordingSignaling.restartFragmentFor("s1-publish"));
        assertThat(restart.headers().firstValue("ETag")).isPresent();

        HttpResponse<String> hangUp = send(request("/whip/endpoint/eu-1.s1-publish")
                .header("Authorization", "Bearer " + token).DELETE().build());
        assertThat(hangUp.statusCode()).isEqualTo(200);
        assertThat(media.signaling.closed()).containsExactly("s1-publish");
    }

    @Test
    void viewerStatsAndPreferencesAreRoutedToTheSessionsNode() throws Exception {
        String token = media.token(Protocol.WHEP, "room-1");
        HttpResponse<String> r = send(request("/whep/endpoint").header("Content-Type", "application/sdp")
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(OFFER)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String session = r.headers().firstValue("Location").orElseThrow();

        HttpResponse<String> stats = send(request(session).header("Authorization", "Bearer " + token).GET().build());
        assertThat(stats.statusCode()).as(stats.body()).isEqualTo(200);
        assertThat(stats.body()).isEqualTo(SessionEndpoint.json(RecordingSignaling.statsFor("s1-play")));
        HttpResponse<String> bySecret = send(request(session)
                .header("Authorization", "Bearer " + TestNode.SECRET.reveal()).GET().build());
        assertThat(bySecret.statusCode()).isEqualTo(200);

        HttpResponse<String> put = send(request(session + "/preferences").header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"maxSpatial\":0,\"maxTemporal\":1}")).build());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(204);
        assertThat(media.signaling.preferences()).containsEntry("s1-play",
                new io.relaymesh.node.sfu.Signaling.LayerPreferences(0, 1));

        HttpResponse<String> bad = send(request(session + "/preferences").header("Authorization", "Bearer " + token)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"maxSpatial\":")).build());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("preferences:");
        assertThat(send(request(session).GET().build()).statusCode()).as("no token").isEqualTo(401);
        assertThat(send(request("/whep/endpoint/eu-1.nope").header("Authorization", "Bearer " + token).GET().build())
                .statusCode()).isEqualTo(404);
    }

    @Test
    void aForgedTokenIsRefusedAtTheGateway() throws Exception {
        HttpResponse<String> r = send(request("/whep/endpoint").header("Content-Type", "application/sdp")
                .header("Authorization", "Bearer " + TestNode.forgedToken(Protocol.WHEP, "room-1"))
                .POST(HttpRequest.BodyPublishers.ofString(OFFER)).build());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(media.signaling.opened()).isEmpty();
    }

    @Test
    void noNodeWithCapacityIs503WithRetryAfter() throws Exception {
        Member full = members.getFirst();
        members.set(0, new Member(full.id(), full.state(), 2,
                full.metadata().withLoad(new NodeLoad(900, 100, 0, 100, 0, 0)), full.rtt(), false));
        HttpResponse<String> r = send(request("/whep/endpoint").header("Content-Type", "application/sdp")
                .header("Authorization", "Bearer " + media.token(Protocol.WHEP, "room-1"))
                .POST(HttpRequest.BodyPublishers.ofString(OFFER)).build());
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).contains("5");
        assertThat(r.body()).contains("full");
    }

    @Test
    void pinningANodeNeedsTheClusterSecret() throws Exception {
        HttpRequest.Builder offer = request("/whep/endpoint").header("Content-Type", "application/sdp")
                .header("Authorization", "Bearer " + media.token(Protocol.WHEP, "room-1"))
                .header("Relaymesh-Node", "eu-1").POST(HttpRequest.BodyPublishers.ofString(OFFER));
        assertThat(send(offer.build()).statusCode()).isEqualTo(403);
        HttpResponse<String> pinned = send(offer.header("Relaymesh-Cluster-Secret", TestNode.SECRET.reveal()).build());
        assertThat(pinned.statusCode()).as(pinned.body()).isEqualTo(201);
    }

    @Test
    void clusterViewNeedsTheSecretFromElsewhereAndListsTheGateway() throws Exception {
        HttpResponse<String> local = send(request("/api/cluster").GET().build());
        assertThat(local.statusCode()).isEqualTo(200);
        assertThat(local.body()).contains("\"self\":\"eu-0\"").contains("\"zones\":[\"eu\"]")
                .contains("\"roles\":[\"gateway\"]");
        HttpResponse<String> wrong = send(request("/api/cluster").header("Authorization", "Bearer wrong").GET().build());
        assertThat(wrong.statusCode()).isEqualTo(401);
        HttpResponse<String> right = send(request("/api/cluster")
                .header("Authorization", "Bearer " + TestNode.SECRET.reveal()).GET().build());
        assertThat(right.statusCode()).isEqualTo(200);
    }

    @Test
    void aDrainingGatewayTurnsUnhealthyAndRefusesNewSessionsAtOnce() throws Exception {
        HttpResponse<String> drain = send(request("/drain?seconds=5").GET().build());
        assertThat(drain.statusCode()).isEqualTo(200);
        assertThat(drain.body()).contains("\"state\":\"DRAINING\"").contains("\"sessionsLeft\":0");
        assertThat(send(request("/health").GET().build()).statusCode()).isEqualTo(503);
        HttpResponse<String> offer = send(request("/whip/endpoint").header("Content-Type", "application/sdp")
                .header("Authorization", "Bearer " + media.token(Protocol.WHIP, "room-1"))
                .POST(HttpRequest.BodyPublishers.ofString(OFFER)).build());
        assertThat(offer.statusCode()).isEqualTo(503);
        assertThat(offer.headers().firstValue("Retry-After")).isPresent();
        assertThat(media.signaling.opened()).isEmpty();
    }

    @Test
    void anOversizedOfferIsRefusedAtTheGateway() throws Exception {
        HttpResponse<String> r = send(request("/whip/endpoint").header("Content-Type", "application/sdp")
                .header("Authorization", "Bearer " + media.token(Protocol.WHIP, "room-1"))
                .POST(HttpRequest.BodyPublishers.ofString("a".repeat(SessionEndpoint.MAX_BODY + 1))).build());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(media.signaling.opened()).isEmpty();
    }

    @Test
    void aStandaloneNodeIsInNoCluster() throws Exception {
        assertThat(media.get("/api/cluster").statusCode()).isEqualTo(404);
    }

    @Test
    void roomLookupsAreProtectedAndValidated() throws Exception {
        HttpResponse<String> wrong = media.send(media.request("/api/rooms/room-1")
                .header("Authorization", "Bearer wrong").GET().build());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(media.get("/api/rooms/%20bad").statusCode()).isEqualTo(400);
        // The test node's signalling is a recording fake, not an SFU: it hosts no rooms it could report.
        HttpResponse<String> noSfu = media.get("/api/rooms/room-1");
        assertThat(noSfu.statusCode()).isEqualTo(404);
        assertThat(noSfu.body()).contains("no SFU");
    }
}
