package io.relaymesh.node.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Options;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.relaymesh.node.sfu.Signaling;
import io.relaymesh.node.token.Protocol;
import io.relaymesh.node.token.TokenService;
import java.util.concurrent.CompletionStage;

/** WHIP (RFC 9725): publish into a room with an SDP offer. */
@Controller("/whip")
@Tag(name = "WHIP", description = "WebRTC-HTTP ingestion (RFC 9725)")
@SecurityRequirement(name = "token")
public final class WhipController {

    private final SessionEndpoint endpoint;

    WhipController(Signaling signaling, TokenService tokens) {
        this.endpoint = new SessionEndpoint(signaling, tokens, Protocol.WHIP, Signaling.SessionKind.PUBLISH,
                "/whip/endpoint");
    }

    @Post(uri = "/endpoint", consumes = MediaType.ALL, produces = {SessionEndpoint.SDP, MediaType.TEXT_PLAIN})
    @Operation(summary = "Publish: send an SDP offer, get the answer and a session URL",
            description = "Body: application/sdp offer. Token: protocol whip with publish right. The room comes from "
                    + "the token; the optional room query parameter must match it.")
    @ApiResponse(responseCode = "201", description = "Answer SDP; Location is the session resource; ETag its ICE state")
    @ApiResponse(responseCode = "400", description = "Malformed offer or one the node cannot serve; the body says why")
    @ApiResponse(responseCode = "401", description = "Missing, malformed, forged or expired token")
    @ApiResponse(responseCode = "403", description = "Token for another protocol or room, or without publish right")
    @ApiResponse(responseCode = "415", description = "Content-Type is not application/sdp")
    public CompletionStage<MutableHttpResponse<String>> publish(HttpRequest<?> request, @Nullable @Body String offer,
                                                                @Nullable @QueryValue String room) {
        return endpoint.post(request, offer, room);
    }

    @Patch(uri = "/endpoint/{sessionId}", consumes = MediaType.ALL, produces = {SessionEndpoint.TRICKLE, MediaType.TEXT_PLAIN})
    @Operation(summary = "Trickle ICE candidates (204) or restart ICE (200 with the new fragment)")
    public MutableHttpResponse<String> patch(HttpRequest<?> request, @PathVariable String sessionId,
                                             @Nullable @Body String fragment) {
        return endpoint.patch(request, sessionId, fragment);
    }

    @Delete(uri = "/endpoint/{sessionId}")
    @Operation(summary = "End the session")
    public MutableHttpResponse<String> delete(HttpRequest<?> request, @PathVariable String sessionId) {
        return endpoint.delete(request, sessionId);
    }

    @Options(uri = "/endpoint")
    @Consumes(MediaType.ALL)
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "Discover what the endpoint accepts")
    public MutableHttpResponse<String> options() {
        return HttpResponse.<String>status(HttpStatus.NO_CONTENT).header("Accept-Post", SessionEndpoint.SDP);
    }
}
