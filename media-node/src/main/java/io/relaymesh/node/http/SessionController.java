package io.relaymesh.node.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Options;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.sfu.Signaling;
import io.relaymesh.node.token.Protocol;
import io.relaymesh.node.token.TokenService;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.concurrent.CompletionStage;

/**
 * The routes WHIP (RFC 9725) and WHEP share: an endpoint that takes an SDP offer and a session resource that
 * takes trickle/ICE-restart PATCHes and DELETE; for playing sessions also GET (what the viewer receives) and
 * PUT .../preferences (its layer caps). Subclasses name the base path and the protocol.
 */
abstract class SessionController {

    private final SessionEndpoint endpoint;

    SessionController(Signaling signaling, TokenService tokens, Protocol protocol,
                      Signaling.SessionKind kind, String basePath) {
        this.endpoint = new SessionEndpoint(signaling, tokens, protocol, kind, basePath + "/endpoint");
    }

    @Post(uri = "/endpoint", consumes = MediaType.ALL, produces = {SessionEndpoint.SDP, MediaType.TEXT_PLAIN})
    @Operation(summary = "Send an SDP offer, get the answer and the session URL",
            description = "Body: application/sdp offer. Token: this endpoint's protocol (whip to publish, whep to "
                    + "play) with the matching right. The room comes from the token; the optional room query "
                    + "parameter must match it.")
    @ApiResponse(responseCode = "201", description = "Answer SDP; Location is the session resource; ETag its ICE state")
    @ApiResponse(responseCode = "400", description = "Malformed offer or one the node cannot serve; the body says why")
    @ApiResponse(responseCode = "401", description = "Missing, malformed, forged or expired token")
    @ApiResponse(responseCode = "403", description = "Token for another protocol or room, or without the right to publish/play")
    @ApiResponse(responseCode = "415", description = "Content-Type is not application/sdp")
    public CompletionStage<MutableHttpResponse<String>> offer(HttpRequest<?> request, @Nullable @Body String offer,
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

    @Get(uri = "/endpoint/{sessionId}", produces = {MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    @Operation(summary = "What a playing session receives: estimate, RTT, loss and per track the layers",
            description = "WHEP sessions only. Body: {\"session\", \"estimateBps\" (-1 while unknown), \"rttMs\" "
                    + "(null while unknown), \"lossFraction\", \"tracks\": [{\"track\", \"kind\", \"layers\", "
                    + "\"spatial\", \"temporal\", \"targetSpatial\", \"targetTemporal\", \"rid\", \"width\", "
                    + "\"height\", \"bitrateBps\", \"switches\"}], \"bandwidth\": {\"delayBasedBps\", \"lossBasedBps\", "
                    + "\"acknowledgedBps\", \"sendRateBps\", \"feedbackLoss\", \"usage\", \"probes\", \"pacingRateBps\", "
                    + "\"pacerQueuedBytes\", \"pacerLongestWaitMs\"} (null before the connection is up)} (video tracks "
                    + "first; -1 layer before the first keyframe). Token: the session's (whep) or the cluster secret.")
    @SecurityRequirement(name = "token")
    @SecurityRequirement(name = "secret")
    @ApiResponse(responseCode = "200", description = "The viewer's statistics as JSON")
    @ApiResponse(responseCode = "401", description = "Missing, malformed, forged or expired token")
    @ApiResponse(responseCode = "404", description = "No such playing session")
    public CompletionStage<MutableHttpResponse<String>> stats(HttpRequest<?> request, @PathVariable String sessionId) {
        return endpoint.stats(request, sessionId);
    }

    @Put(uri = "/endpoint/{sessionId}/preferences", consumes = MediaType.ALL, produces = MediaType.TEXT_PLAIN)
    @Operation(summary = "Cap the layers a playing session gets",
            description = "WHEP sessions only. Body: {\"maxSpatial\": n, \"maxTemporal\": n}, 0-based inclusive; "
                    + "a field left out or null removes that cap. Token: the session's (whep) or the cluster secret.")
    @SecurityRequirement(name = "token")
    @SecurityRequirement(name = "secret")
    @ApiResponse(responseCode = "204", description = "Applied from the next selection (within 200 ms)")
    @ApiResponse(responseCode = "400", description = "Malformed JSON, an unknown field or a negative cap; the body says which")
    @ApiResponse(responseCode = "404", description = "No such playing session")
    public CompletionStage<MutableHttpResponse<String>> preferences(HttpRequest<?> request,
                                                                    @PathVariable String sessionId,
                                                                    @Nullable @Body String body) {
        return endpoint.preferences(request, sessionId, body);
    }

    /** The cluster secret, which also grants access to a session's statistics and preferences (operators, tests). */
    @Inject
    void clusterSecret(@Named("cluster") Secret secret) {
        endpoint.clusterSecret(secret);
    }

    @Options(uri = "/endpoint")
    @Consumes(MediaType.ALL)
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "Discover what the endpoint accepts")
    public MutableHttpResponse<String> options() {
        return HttpResponse.<String>status(HttpStatus.NO_CONTENT).header("Accept-Post", SessionEndpoint.SDP);
    }
}
