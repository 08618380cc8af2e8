package io.relaymesh.node.http;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.metrics.NodeMetrics;
import io.relaymesh.node.metrics.ScrapeAccess;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Named;

/**
 * {@code GET /metrics}: every node metric in the Prometheus text format. Readable with the cluster secret as a
 * bearer credential, or without one from the node's own machine ({@link ScrapeAccess}).
 */
@Controller
@Tag(name = "Node")
public final class MetricsController {

    private final NodeMetrics metrics;
    private final ScrapeAccess access;

    MetricsController(NodeMetrics metrics, @Named("cluster") Secret secret) {
        this.metrics = metrics;
        this.access = new ScrapeAccess(secret);
    }

    @Get(uri = "/metrics", produces = NodeMetrics.CONTENT_TYPE)
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Operation(summary = "Prometheus metrics: Authorization: Bearer <cluster secret>, or no credential from the "
            + "node's own machine")
    public MutableHttpResponse<?> metrics(HttpRequest<?> request) {
        MutableHttpResponse<String> refused = refusal(access, request);
        if (refused != null) {
            return refused;
        }
        return HttpResponse.ok(metrics.scrape()).header(HttpHeaders.CONTENT_TYPE, NodeMetrics.CONTENT_TYPE);
    }

    /** Null when {@code request} may read metrics; otherwise the 401 to send. Shared with the dashboard's data. */
    static MutableHttpResponse<String> refusal(ScrapeAccess access, HttpRequest<?> request) {
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        String credential = header == null ? null : BearerToken.of(request);
        if (header != null && credential == null) {
            credential = ""; // some other scheme: a credential was presented, and it is not the secret
        }
        return switch (access.decide(request.getRemoteAddress().getAddress(), credential)) {
            case ALLOWED -> null;
            case WRONG_SECRET -> Problems.of(HttpStatus.UNAUTHORIZED, "wrong cluster secret")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            case NEEDS_SECRET -> Problems.of(HttpStatus.UNAUTHORIZED,
                            "send the cluster secret as Authorization: Bearer <secret> (not needed from the node's own machine)")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        };
    }
}
