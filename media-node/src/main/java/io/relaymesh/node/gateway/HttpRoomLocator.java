package io.relaymesh.node.gateway;

import io.relaymesh.node.cluster.membership.Member;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.protocol.ProtocolException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks every live media node at once ({@code GET /api/rooms/{room}} with the cluster secret) whether it hosts a
 * publisher of the room; the first node that does wins. Nodes that are slow (past {@link #TIMEOUT}) or fail
 * count as "no": a viewer is then placed by load, as for a room nobody publishes yet.
 */
public final class HttpRoomLocator implements RoomLocator {

    /** A lookup adds at most this to a session's set-up when the room is not in the gateway's directory. */
    static final Duration TIMEOUT = Duration.ofMillis(800);

    private static final Logger LOG = LoggerFactory.getLogger(HttpRoomLocator.class);
    private static final Pattern PUBLISHERS = Pattern.compile("\"publishers\"\\s*:\\s*(\\d{1,9})[,}]");

    private final HttpClient client;
    private final Secret secret;

    public HttpRoomLocator(HttpClient client, Secret secret) {
        this.client = client;
        this.secret = secret;
    }

    @Override
    public CompletableFuture<Optional<String>> locate(String room, List<Member> nodes) {
        if (nodes.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        CompletableFuture<Optional<String>> found = new CompletableFuture<>();
        CompletableFuture<?>[] asks = nodes.stream()
                .filter(m -> m.metadata().httpAddress().isPresent())
                .map(m -> ask(m.metadata().httpAddress().get(), room).thenAccept(yes -> {
                    if (yes) {
                        found.complete(Optional.of(m.id()));
                    }
                }))
                .toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(asks).whenComplete((ok, failure) -> found.complete(Optional.empty()));
        return found;
    }

    private CompletableFuture<Boolean> ask(InetSocketAddress node, String room) {
        String host = node.getAddress() instanceof java.net.Inet6Address
                ? "[" + node.getAddress().getHostAddress() + "]" : node.getAddress().getHostAddress();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + node.getPort()
                        + "/api/rooms/" + URLEncoder.encode(room, StandardCharsets.UTF_8)))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + secret.reveal())
                .GET().build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> {
                    if (r.statusCode() != 200) {
                        return false;
                    }
                    try {
                        return publishers(r.body()) > 0;
                    } catch (ProtocolException e) {
                        LOG.debug("room lookup at {}: {}", node, e.getMessage());
                        return false;
                    }
                })
                .exceptionally(e -> {
                    LOG.debug("room lookup at {} failed: {}", node, e.toString());
                    return false;
                });
    }

    /** The publisher count of a node's {@code /api/rooms/{room}} answer. */
    static int publishers(String json) throws ProtocolException {
        if (json == null) {
            throw new ProtocolException("empty room answer");
        }
        Matcher m = PUBLISHERS.matcher(json);
        if (!m.find()) {
            throw new ProtocolException("room answer has no publisher count: " + json.substring(0, Math.min(80, json.length())));
        }
        return Integer.parseInt(m.group(1));
    }
}
