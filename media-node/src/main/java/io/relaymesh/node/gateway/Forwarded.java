package io.relaymesh.node.gateway;

import java.util.Map;
import java.util.Objects;

/**
 * A signalling response as the gateway returns it to the client: the media node's answer, or the gateway's own
 * refusal.
 *
 * @param status  HTTP status
 * @param headers response headers to copy (Location already rewritten to the gateway's session id)
 * @param body    response body (SDP, trickle fragment, or a one-line reason)
 */
public record Forwarded(int status, Map<String, String> headers, String body) {

    public Forwarded {
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }

    /** A response the gateway makes itself: a status and a one-line reason. */
    public static Forwarded problem(int status, String reason) {
        return new Forwarded(status, Map.of("Content-Type", "text/plain"), reason + "\n");
    }
}
