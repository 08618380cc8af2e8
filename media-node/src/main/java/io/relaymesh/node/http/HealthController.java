package io.relaymesh.node.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.time.Instant;

/** Liveness/readiness and node identity; unauthenticated by design (they reveal no session data). */
@Controller
@Tag(name = "Node")
public final class HealthController {

    private final NodeStatus status;

    HealthController(NodeStatus status) {
        this.status = status;
    }

    /** Body of {@code /health}. */
    @Serdeable
    public record Health(String status, String node) {
    }

    /** Body of {@code /api/node}. */
    @Serdeable
    public record NodeInfo(String node, String version, String state, Instant startedAt, long uptimeSeconds) {
    }

    @Get(uri = "/health", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "200 once the node accepts sessions; 503 while starting, draining or stopping")
    public MutableHttpResponse<Health> health() {
        NodeStatus.State state = status.state();
        Health body = new Health(state.name(), status.nodeId());
        return state == NodeStatus.State.READY
                ? HttpResponse.ok(body)
                : HttpResponse.<Health>status(HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }

    @Get(uri = "/api/node", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Node identity, version and state")
    public NodeInfo node() {
        return new NodeInfo(status.nodeId(), status.version(), status.state().name(), status.startedAt(),
                Duration.between(status.startedAt(), Instant.now()).toSeconds());
    }
}
