package io.relaymesh.node.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/** New sessions are refused with 503 and {@code Retry-After} unless the node is READY (starting, draining). */
@ServerFilter({"/whip/endpoint", "/whep/endpoint"})
public final class AdmissionFilter {

    /** Seconds a client should wait before trying again (the gateway or another node may take it then). */
    static final String RETRY_AFTER_SECONDS = "5";

    private final NodeStatus status;

    AdmissionFilter(NodeStatus status) {
        this.status = status;
    }

    /** Null lets the request through. */
    @RequestFilter
    @Nullable
    public HttpResponse<?> admit(HttpRequest<?> request) {
        if (request.getMethod() != HttpMethod.POST || status.state() == NodeStatus.State.READY) {
            return null;
        }
        return Problems.of(HttpStatus.SERVICE_UNAVAILABLE,
                        "node is " + status.state().name().toLowerCase(java.util.Locale.ROOT) + ": not taking new sessions")
                .header("Retry-After", RETRY_AFTER_SECONDS);
    }
}
