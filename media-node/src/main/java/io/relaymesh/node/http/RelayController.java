package io.relaymesh.node.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.context.BeanProvider;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.metrics.ScrapeAccess;
import io.relaymesh.node.relay.RelayRoute;
import io.relaymesh.node.relay.RelayView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Named;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /api/relay}: the relay trees as they pass through this node, per track: publisher, parent (whom
 * this node receives from), children (whom it sends to), packets in and out. Protected like {@code /metrics}: the
 * cluster secret as a bearer credential, or no credential from the node's own machine. A node without a relay
 * (standalone, gateway) answers 404.
 */
@Controller
@Tag(name = "Node")
public final class RelayController {

    private final BeanProvider<RelayView> relay;
    private final ScrapeAccess access;

    RelayController(BeanProvider<RelayView> relay, @Named("cluster") Secret secret) {
        this.relay = relay;
        this.access = new ScrapeAccess(secret);
    }

    /** Body of {@code /api/relay}; {@code tracks} is written even when empty. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record RelayBody(String self, List<TrackRoute> tracks) {
    }

    /**
     * One track. {@code parent} is null for this node's own tracks (and while it re-subscribes); every field is
     * written, {@code "parent":null} and {@code "children":[]} included.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record TrackRoute(String track, String room, String publisher, String parent, List<String> children,
                             long packetsIn, long packetsOut) {
    }

    @Get(uri = "/api/relay", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Relay trees through this node, per track (publisher, parent, children, packets in and "
            + "out): Authorization: Bearer <cluster secret>, or no credential from the node's own machine")
    public CompletableFuture<MutableHttpResponse<?>> routes(HttpRequest<?> request) {
        MutableHttpResponse<String> refused = MetricsController.refusal(access, request);
        if (refused != null) {
            return CompletableFuture.completedFuture(refused);
        }
        Optional<RelayView> view = relay.find(null).filter(RelayView::running);
        if (view.isEmpty()) {
            return CompletableFuture.completedFuture(
                    Problems.of(HttpStatus.NOT_FOUND, "this node runs no media relay (standalone or gateway)"));
        }
        return view.get().routes().thenApply(routes -> HttpResponse.ok(new RelayBody(view.get().self(),
                routes.stream().map(RelayController::body).toList())));
    }

    private static TrackRoute body(RelayRoute r) {
        return new TrackRoute(r.track(), r.room(), r.publisher(), r.parent(), r.children(), r.packetsIn(),
                r.packetsOut());
    }
}
