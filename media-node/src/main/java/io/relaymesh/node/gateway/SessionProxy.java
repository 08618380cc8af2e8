package io.relaymesh.node.gateway;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Forwards one signalling request to a media node's HTTP API with the JDK client, asynchronously (completions
 * run on the client's executor, never on a server event loop). The client's token goes through unchanged: the
 * node verifies it, as both share the cluster secret.
 */
public final class SessionProxy {

    /** Response headers a signalling client needs; everything else stays between gateway and node. */
    static final List<String> COPIED_HEADERS = List.of("Content-Type", "Location", "ETag", "Accept-Patch", "Link",
            "Retry-After", "WWW-Authenticate");

    private final HttpClient client;
    private final Duration timeout;

    public SessionProxy(HttpClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    public static SessionProxy create() {
        return new SessionProxy(HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1)
                .build(), Duration.ofSeconds(10));
    }

    /**
     * Sends {@code method path} to the node at {@code node}. Fails (exceptionally) only when the node could not
     * be reached; any HTTP answer, errors included, completes normally.
     */
    public CompletableFuture<Forwarded> forward(InetSocketAddress node, String method, String path,
                                                SignalRequest request) {
        String host = node.getAddress() instanceof java.net.Inet6Address
                ? "[" + node.getAddress().getHostAddress() + "]" : node.getAddress().getHostAddress();
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://" + host + ":" + node.getPort() + path))
                .timeout(timeout)
                .method(method, request.body().isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(request.body()));
        request.contentType().ifPresent(v -> builder.header("Content-Type", v));
        request.authorization().ifPresent(v -> builder.header("Authorization", v));
        request.ifMatch().ifPresent(v -> builder.header("If-Match", v));
        return client.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            Map<String, String> headers = new HashMap<>();
            for (String name : COPIED_HEADERS) {
                response.headers().firstValue(name).ifPresent(v -> headers.put(name, v));
            }
            return new Forwarded(response.statusCode(), headers, response.body());
        });
    }
}
