package io.relaymesh.node.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Options;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.config.ZoneName;
import io.relaymesh.node.gateway.Forwarded;
import io.relaymesh.node.gateway.SessionRouter;
import io.relaymesh.node.gateway.SessionRouter.Endpoint;
import io.relaymesh.node.gateway.SignalRequest;
import io.relaymesh.node.token.Protocol;
import io.relaymesh.node.token.TokenClaims;
import io.relaymesh.node.token.TokenException;
import io.relaymesh.node.token.TokenService;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.inject.Named;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * WHIP and WHEP on a gateway: the same URLs as on a media node, but each new session is placed on a media node
 * ({@link SessionRouter}) and its signalling forwarded there. The token is checked here (to learn the room and
 * refuse early) and passed through for the node to check again.
 *
 * <p>Zone choice: {@code ?zone=} or the {@code Relaymesh-Zone} header, else the gateway's zone. Test hook:
 * {@code Relaymesh-Node: <node-id>} pins the node, honoured only with {@code Relaymesh-Cluster-Secret: <secret>}.
 */
@Requires(property = HttpApi.GATEWAY_PROPERTY)
@Controller
@Hidden // documented by the media node's identical WHIP/WHEP routes
public final class GatewayController {

    static final String ZONE_HEADER = "Relaymesh-Zone";
    static final String PIN_HEADER = "Relaymesh-Node";
    static final String SECRET_HEADER = "Relaymesh-Cluster-Secret";


    private final SessionRouter router;
    private final TokenService tokens;
    private final Secret secret;

    GatewayController(SessionRouter router, TokenService tokens, @Named("cluster") Secret secret) {
        this.router = router;
        this.tokens = tokens;
        this.secret = secret;
    }

    @Post(uri = "/whip/endpoint", consumes = MediaType.ALL, produces = {SessionEndpoint.SDP, MediaType.TEXT_PLAIN})
    public CompletionStage<MutableHttpResponse<String>> publish(HttpRequest<?> request, @Nullable @Body String offer,
                                                                  @Nullable @QueryValue String room,
                                                                  @Nullable @QueryValue String zone) {
        return open(Endpoint.WHIP, Protocol.WHIP, request, offer, room, zone);
    }

    @Post(uri = "/whep/endpoint", consumes = MediaType.ALL, produces = {SessionEndpoint.SDP, MediaType.TEXT_PLAIN})
    public CompletionStage<MutableHttpResponse<String>> play(HttpRequest<?> request, @Nullable @Body String offer,
                                                               @Nullable @QueryValue String room,
                                                               @Nullable @QueryValue String zone) {
        return open(Endpoint.WHEP, Protocol.WHEP, request, offer, room, zone);
    }

    @Patch(uri = "/whip/endpoint/{sessionId}", consumes = MediaType.ALL, produces = {SessionEndpoint.TRICKLE, MediaType.TEXT_PLAIN})
    public CompletionStage<MutableHttpResponse<String>> patchPublish(HttpRequest<?> request, @PathVariable String sessionId,
                                                                       @Nullable @Body String fragment) {
        return patch(Endpoint.WHIP, Protocol.WHIP, request, sessionId, fragment);
    }

    @Patch(uri = "/whep/endpoint/{sessionId}", consumes = MediaType.ALL, produces = {SessionEndpoint.TRICKLE, MediaType.TEXT_PLAIN})
    public CompletionStage<MutableHttpResponse<String>> patchPlay(HttpRequest<?> request, @PathVariable String sessionId,
                                                                    @Nullable @Body String fragment) {
        return patch(Endpoint.WHEP, Protocol.WHEP, request, sessionId, fragment);
    }

    @Delete(uri = "/whip/endpoint/{sessionId}")
    public CompletionStage<MutableHttpResponse<String>> deletePublish(HttpRequest<?> request, @PathVariable String sessionId) {
        return delete(Endpoint.WHIP, Protocol.WHIP, request, sessionId);
    }

    @Delete(uri = "/whep/endpoint/{sessionId}")
    public CompletionStage<MutableHttpResponse<String>> deletePlay(HttpRequest<?> request, @PathVariable String sessionId) {
        return delete(Endpoint.WHEP, Protocol.WHEP, request, sessionId);
    }

    @Get(uri = "/whep/endpoint/{sessionId}", produces = {MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    public CompletionStage<MutableHttpResponse<String>> statsPlay(HttpRequest<?> request, @PathVariable String sessionId) {
        return toViewer(request, sessionId, "GET", "", "");
    }

    @Put(uri = "/whep/endpoint/{sessionId}/preferences", consumes = MediaType.ALL, produces = MediaType.TEXT_PLAIN)
    public CompletionStage<MutableHttpResponse<String>> preferencesPlay(HttpRequest<?> request,
                                                                        @PathVariable String sessionId,
                                                                        @Nullable @Body String body) {
        return toViewer(request, sessionId, "PUT", "/preferences", body);
    }

    @Options(uri = "/whip/endpoint")
    @Consumes(MediaType.ALL)
    @Produces(MediaType.TEXT_PLAIN)
    public MutableHttpResponse<String> optionsPublish() {
        return HttpResponse.<String>status(HttpStatus.NO_CONTENT).header("Accept-Post", SessionEndpoint.SDP);
    }

    @Options(uri = "/whep/endpoint")
    @Consumes(MediaType.ALL)
    @Produces(MediaType.TEXT_PLAIN)
    public MutableHttpResponse<String> optionsPlay() {
        return HttpResponse.<String>status(HttpStatus.NO_CONTENT).header("Accept-Post", SessionEndpoint.SDP);
    }

    private CompletionStage<MutableHttpResponse<String>> open(Endpoint endpoint, Protocol protocol,
                                                              HttpRequest<?> request, String offer, String roomHint,
                                                              String zoneQuery) {
        TokenClaims claims;
        try {
            claims = tokens.verifyFor(BearerToken.of(request), protocol);
            if (roomHint != null && !roomHint.equals(claims.room())) {
                throw new TokenException(TokenException.Reason.WRONG_ROOM,
                        "token is for room " + claims.room() + ", not " + roomHint);
            }
        } catch (TokenException e) {
            return CompletableFuture.completedFuture(Problems.of(e));
        }
        if (offer != null && offer.length() > SessionEndpoint.MAX_BODY) {
            return CompletableFuture.completedFuture(Problems.of(HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                    "SDP offer larger than " + SessionEndpoint.MAX_BODY + " bytes"));
        }
        String zone = zoneQuery != null ? zoneQuery : request.getHeaders().get(ZONE_HEADER);
        if (zone != null && !ZoneName.isValid(zone)) {
            return CompletableFuture.completedFuture(Problems.of(HttpStatus.BAD_REQUEST,
                    "zone must be a DNS label (lower-case letters, digits and '-'), got: " + zone));
        }
        String pin = request.getHeaders().get(PIN_HEADER);
        if (pin != null && !secret.matches(request.getHeaders().get(SECRET_HEADER))) {
            return CompletableFuture.completedFuture(Problems.of(HttpStatus.FORBIDDEN,
                    PIN_HEADER + " is honoured only with " + SECRET_HEADER + ": <cluster secret>"));
        }
        return router.open(endpoint, claims.room(), claims.peer(), Optional.ofNullable(zone), Optional.ofNullable(pin),
                        signal(request, offer))
                .thenApply(GatewayController::response);
    }

    private CompletionStage<MutableHttpResponse<String>> patch(Endpoint endpoint, Protocol protocol,
                                                               HttpRequest<?> request, String sessionId, String body) {
        try {
            tokens.verifyFor(BearerToken.of(request), protocol);
        } catch (TokenException e) {
            return CompletableFuture.completedFuture(Problems.of(e));
        }
        return router.patch(endpoint, sessionId, signal(request, body)).thenApply(GatewayController::response);
    }

    private CompletionStage<MutableHttpResponse<String>> delete(Endpoint endpoint, Protocol protocol,
                                                                HttpRequest<?> request, String sessionId) {
        TokenClaims claims;
        try {
            claims = tokens.verifyFor(BearerToken.of(request), protocol);
        } catch (TokenException e) {
            return CompletableFuture.completedFuture(Problems.of(e));
        }
        return router.delete(endpoint, sessionId, claims.room(), signal(request, ""))
                .thenApply(GatewayController::response);
    }

    /** A viewer's statistics or preferences: a whep token or the cluster secret, checked again by the node. */
    private CompletionStage<MutableHttpResponse<String>> toViewer(HttpRequest<?> request, String sessionId,
                                                                  String method, String suffix, String body) {
        if (!secret.matches(BearerToken.of(request))) {
            try {
                tokens.verifyFor(BearerToken.of(request), Protocol.WHEP);
            } catch (TokenException e) {
                return CompletableFuture.completedFuture(Problems.of(e));
            }
        }
        return router.forward(Endpoint.WHEP, sessionId, method, suffix, signal(request, body))
                .thenApply(GatewayController::response);
    }

    private static SignalRequest signal(HttpRequest<?> request, String body) {
        return new SignalRequest(Optional.ofNullable(request.getHeaders().get(HttpHeaders.CONTENT_TYPE)),
                Optional.ofNullable(request.getHeaders().get(HttpHeaders.AUTHORIZATION)),
                Optional.ofNullable(request.getHeaders().get(HttpHeaders.IF_MATCH)), body);
    }

    static MutableHttpResponse<String> response(Forwarded forwarded) {
        HttpStatus status;
        try {
            status = HttpStatus.valueOf(forwarded.status());
        } catch (IllegalArgumentException e) {
            return Problems.of(HttpStatus.BAD_GATEWAY, "media node answered with HTTP " + forwarded.status());
        }
        MutableHttpResponse<String> out = HttpResponse.status(status);
        for (Map.Entry<String, String> h : forwarded.headers().entrySet()) {
            if (h.getKey().equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) {
                out.contentType(h.getValue());
            } else {
                out.header(h.getKey(), h.getValue());
            }
        }
        if (!forwarded.body().isEmpty()) {
            out.body(forwarded.body());
        }
        return out;
    }
}
