package io.relaymesh.node.http;

import io.micronaut.context.BeanProvider;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.PathVariable;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.rtmp.RtmpSessions;
import io.relaymesh.node.token.Protocol;
import io.relaymesh.node.token.TokenClaims;
import io.relaymesh.node.token.TokenException;
import io.relaymesh.node.token.TokenService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Named;
import java.util.Optional;

/** Ends an RTMP publisher's connection from the API: {@code DELETE /rtmp/conn/{id}}. */
@Controller("/rtmp")
@Tag(name = "RTMP", description = "RTMP ingest connections (publish with OBS or ffmpeg to rtmp://host:1935/live/<token>)")
@SecurityRequirement(name = "token")
public final class RtmpConnectionController {

    private final BeanProvider<RtmpSessions> sessions;
    private final TokenService tokens;
    private final Secret secret;

    RtmpConnectionController(BeanProvider<RtmpSessions> sessions, TokenService tokens, @Named("cluster") Secret secret) {
        this.sessions = sessions;
        this.tokens = tokens;
        this.secret = secret;
    }

    @Delete(uri = "/conn/{id}")
    @Operation(summary = "End an RTMP connection; its tracks end in the room",
            description = "Bearer: an rtmp token for the connection's room, or the cluster secret.")
    @ApiResponse(responseCode = "200", description = "The connection is being closed")
    @ApiResponse(responseCode = "401", description = "Missing, malformed, forged or expired token")
    @ApiResponse(responseCode = "403", description = "Token for another protocol or room")
    @ApiResponse(responseCode = "404", description = "No such connection, or no RTMP ingest on this node")
    public MutableHttpResponse<String> delete(HttpRequest<?> request, @PathVariable String id) {
        String bearer = BearerToken.of(request);
        boolean admin = bearer != null && secret.matches(bearer);
        TokenClaims claims = null;
        if (!admin) {
            try {
                claims = tokens.verifyFor(bearer, Protocol.RTMP);
            } catch (TokenException e) {
                return Problems.of(e);
            }
        }
        if (!sessions.isPresent()) {
            return Problems.of(HttpStatus.NOT_FOUND, "this node runs no RTMP ingest");
        }
        RtmpSessions rtmp = sessions.get();
        Optional<RtmpSessions.ConnectionView> connection = rtmp.find(id);
        if (connection.isEmpty()) {
            return Problems.of(HttpStatus.NOT_FOUND, "no such RTMP connection: " + id);
        }
        if (claims != null && !connection.get().room().equals(Optional.of(claims.room()))) {
            return Problems.of(new TokenException(TokenException.Reason.WRONG_ROOM,
                    "token is for room " + claims.room() + ", not this connection's room"));
        }
        return rtmp.close(id, "closed through the API")
                ? HttpResponse.ok()
                : Problems.of(HttpStatus.NOT_FOUND, "no such RTMP connection: " + id);
    }
}
