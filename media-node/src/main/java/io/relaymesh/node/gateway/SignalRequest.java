package io.relaymesh.node.gateway;

import java.util.Optional;

/**
 * A client's signalling request as the gateway forwards it.
 *
 * @param contentType   the client's Content-Type, when sent
 * @param authorization the client's Authorization header (its token), passed through for the node to verify
 * @param ifMatch       the client's If-Match, when sent (PATCH)
 * @param body          request body, empty for DELETE
 */
public record SignalRequest(Optional<String> contentType, Optional<String> authorization, Optional<String> ifMatch,
                            String body) {

    public SignalRequest {
        body = body == null ? "" : body;
    }
}
