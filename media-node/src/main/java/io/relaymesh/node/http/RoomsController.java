package io.relaymesh.node.http;

import io.micronaut.context.BeanProvider;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.serde.annotation.Serdeable;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.metrics.ScrapeAccess;
import io.relaymesh.node.sfu.SessionStatsProbe;
import io.relaymesh.node.token.TokenClaims;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Named;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /api/rooms/{room}}: how many WebRTC publishers and viewers a room has on this node. Gateways ask it
 * to send a room's viewers to the node where its publisher is. Protected like {@code /metrics}.
 */
@Controller
@Tag(name = "Node")
public final class RoomsController {

    private final BeanProvider<SessionStatsProbe> probe;
    private final ScrapeAccess access;

    RoomsController(BeanProvider<SessionStatsProbe> probe, @Named("cluster") Secret secret) {
        this.probe = probe;
        this.access = new ScrapeAccess(secret);
    }

    /** Body of {@code /api/rooms/{room}}. */
    @Serdeable
    public record RoomView(String room, int publishers, int viewers) {
    }

    @Get(uri = "/api/rooms/{room}", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Publishers and viewers of a room on this node: Authorization: Bearer <cluster secret>, "
            + "or no credential from the node's own machine")
    public CompletionStage<MutableHttpResponse<?>> room(HttpRequest<?> request, @PathVariable String room) {
        MutableHttpResponse<String> refused = MetricsController.refusal(access, request);
        if (refused != null) {
            return CompletableFuture.completedFuture(refused);
        }
        if (!room.matches(TokenClaims.NAME_PATTERN)) {
            return CompletableFuture.completedFuture(Problems.of(HttpStatus.BAD_REQUEST, "not a room name: " + room));
        }
        if (probe.find(null).isEmpty()) {
            return CompletableFuture.completedFuture(Problems.of(HttpStatus.NOT_FOUND, "this node runs no SFU"));
        }
        return probe.find(null).get().snapshot().thenApply(sessions -> {
            int publishers = 0;
            int viewers = 0;
            for (SessionStatsProbe.SessionStats s : sessions) {
                if (s.room().equals(room)) {
                    if ("whip".equals(s.protocol())) {
                        publishers++;
                    } else {
                        viewers++;
                    }
                }
            }
            return HttpResponse.ok(new RoomView(room, publishers, viewers));
        });
    }
}
