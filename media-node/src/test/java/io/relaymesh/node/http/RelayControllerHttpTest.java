package io.relaymesh.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.relaymesh.node.metrics.NodeMetrics;
import io.relaymesh.node.relay.RelayRoute;
import io.relaymesh.node.relay.RelayView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /api/relay}: the fields the cluster end-to-end test reads, and the same access rule as /metrics. */
class RelayControllerHttpTest {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final TestNode base = new TestNode();
    private final NodeMetrics metrics = NodeMetrics.create("east-1", Clock.systemUTC());
    private final RelayView view = new RelayView();
    private final HttpApi api = HttpApi.start(0, base.status, TestNode.SECRET, base.tokens, base.signaling, metrics,
            view);

    @AfterEach
    void stop() {
        api.close();
        metrics.close();
        base.close();
    }

    private HttpResponse<String> get(HttpApi server, String authorization) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/relay"))
                .timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        return client.send(r.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listsEachTrackWithPublisherParentChildrenAndPackets() throws Exception {
        view.set("east-1", () -> CompletableFuture.completedFuture(List.of(
                new RelayRoute("west-0/1a/stage/rtmp-1:0", "stage", "west-0", "west-0", List.of("east-2"), 120, 118),
                new RelayRoute("east-1/2b/lobby/whip-7:0", "lobby", "east-1", null, List.of("west-0"), 0, 55),
                new RelayRoute("west-0/1a/stage/rtmp-1:1", "stage", "west-0", "east-2", List.of(), 7, 0))));

        HttpResponse<String> r = get(api, "Bearer " + TestNode.SECRET.reveal());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/json"));
        assertThat(r.body()).contains("\"self\":\"east-1\"")
                .contains("{\"track\":\"west-0/1a/stage/rtmp-1:0\",\"room\":\"stage\",\"publisher\":\"west-0\","
                        + "\"parent\":\"west-0\",\"children\":[\"east-2\"],\"packetsIn\":120,\"packetsOut\":118}")
                .as("a node's own track has a null parent, written out")
                .contains("\"publisher\":\"east-1\",\"parent\":null,\"children\":[\"west-0\"],\"packetsIn\":0")
                .as("a leaf's empty children are written out")
                .contains("\"parent\":\"east-2\",\"children\":[],\"packetsIn\":7,\"packetsOut\":0");
    }

    @Test
    void isProtectedLikeMetrics() throws Exception {
        view.set("east-1", () -> CompletableFuture.completedFuture(List.of()));
        assertThat(get(api, null).statusCode()).as("no credential from this machine").isEqualTo(200);
        assertThat(get(api, "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(get(api, null).body()).isEqualTo("{\"self\":\"east-1\",\"tracks\":[]}");
    }

    @Test
    void aNodeWithoutARelayAnswers404() throws Exception {
        assertThat(get(api, null).statusCode()).as("the relay has not started").isEqualTo(404);
        assertThat(get(base.api, null).statusCode()).as("standalone: no relay at all").isEqualTo(404);
    }
}
