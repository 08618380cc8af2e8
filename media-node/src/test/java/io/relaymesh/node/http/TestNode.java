package io.relaymesh.node.http;

import io.relaymesh.node.config.Secret;
import io.relaymesh.node.token.Protocol;
import io.relaymesh.node.token.TokenService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The node's HTTP API started in-process on a free port with a real {@link TokenService} and a
 * {@link RecordingSignaling}, plus a client and the token helpers the tests share.
 */
final class TestNode implements AutoCloseable {

    static final Secret SECRET = Secret.of("http-test-cluster-secret-0123456789abcdef");
    static final Secret WRONG_SECRET = Secret.of("not-this-cluster-secret-0123456789abcdefgh");
    static final Instant STARTED_AT = Instant.parse("2025-03-01T12:00:00Z");

    final NodeStatus status = new NodeStatus("zone-a-1", "9.9.9-test", STARTED_AT);
    final TokenService tokens = new TokenService(SECRET, Clock.systemUTC());
    final RecordingSignaling signaling = new RecordingSignaling();
    final HttpApi api;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    TestNode() {
        status.set(NodeStatus.State.READY);
        api = HttpApi.start(0, status, SECRET, tokens, signaling);
    }

    /** With the node's metrics (and dashboard history) from the caller, who closes them. */
    TestNode(io.relaymesh.node.metrics.NodeMetrics metrics) {
        status.set(NodeStatus.State.READY);
        api = HttpApi.start(0, status, SECRET, tokens, signaling, metrics);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + api.port() + path);
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    /** A valid token with the protocol's default rights. */
    String token(Protocol protocol, String room) {
        return tokens.issue(protocol, room, Optional.of("peer-1"), Duration.ofMinutes(5));
    }

    String token(Protocol protocol, String room, boolean publish, boolean subscribe) {
        return tokens.issue(protocol, room, Optional.of("peer-1"), Duration.ofMinutes(5), publish, subscribe);
    }

    /** Correctly signed, but its one-minute life ended an hour ago. */
    static String expiredToken(Protocol protocol, String room) {
        return new TokenService(SECRET, Clock.offset(Clock.systemUTC(), Duration.ofHours(-1)))
                .issue(protocol, room, Optional.empty(), Duration.ofMinutes(1));
    }

    /** Well-formed and current, but signed with another secret. */
    static String forgedToken(Protocol protocol, String room) {
        return new TokenService(WRONG_SECRET, Clock.systemUTC())
                .issue(protocol, room, Optional.empty(), Duration.ofMinutes(5));
    }

    @Override
    public void close() {
        client.close();
        api.close();
    }
}
