package io.relaymesh.node.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.token.Protocol;
import io.relaymesh.node.token.TokenClaims;
import io.relaymesh.node.token.TokenService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Named;
import java.time.Duration;
import java.util.Optional;

/** Mints tokens for applications; authorized by the cluster secret itself. */
@Controller("/token")
@Tag(name = "Tokens", description = "Mint HS256 tokens signed with the cluster secret")
@SecurityRequirement(name = "secret")
public final class TokenController {

    /** Lifetime of a token when the request names none. */
    static final long DEFAULT_TTL_SECONDS = 3600;

    private final TokenService tokens;
    private final Secret secret;

    TokenController(TokenService tokens, @Named("cluster") Secret secret) {
        this.tokens = tokens;
        this.secret = secret;
    }

    /** Body of {@code POST /token/{protocol}}. */
    @Serdeable
    public record TokenRequest(@Nullable String room, @Nullable String peer, @Nullable Long ttl,
                               @Nullable Boolean publish, @Nullable Boolean subscribe) {
    }

    /** Answer of {@code POST /token/{protocol}}. */
    @Serdeable
    public record TokenResponse(String token) {
    }

    @Post(uri = "/{protocol}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Mint a token for a protocol (whip, whep, webrtc, rtmp, sip)",
            description = "Authorization: Bearer <cluster secret>. Body {\"room\": \"...\", \"peer\": \"...\", \"ttl\": seconds}; "
                    + "ttl defaults to 3600 and is at most 86400. publish/subscribe default to what the protocol implies.")
    @ApiResponse(responseCode = "200", description = "{\"token\": \"...\"}")
    @ApiResponse(responseCode = "400", description = "Unknown protocol or invalid body")
    @ApiResponse(responseCode = "401", description = "Missing or wrong cluster secret")
    public MutableHttpResponse<?> mint(HttpRequest<?> request, @PathVariable String protocol,
                                       @Nullable @Body TokenRequest body) {
        if (!secret.matches(BearerToken.of(request))) {
            return Problems.of(HttpStatus.UNAUTHORIZED, "send the cluster secret as Authorization: Bearer <secret>")
                    .header("WWW-Authenticate", "Bearer");
        }
        Optional<Protocol> p = Protocol.fromClaim(protocol);
        if (p.isEmpty()) {
            return Problems.of(HttpStatus.BAD_REQUEST, "unknown protocol '" + protocol + "': use whip, whep, webrtc, rtmp or sip");
        }
        if (body == null || body.room() == null) {
            return Problems.of(HttpStatus.BAD_REQUEST, "body must be JSON with at least {\"room\": \"...\"}");
        }
        if (!body.room().matches(TokenClaims.NAME_PATTERN)) {
            return Problems.of(HttpStatus.BAD_REQUEST, "room must match " + TokenClaims.NAME_PATTERN);
        }
        if (body.peer() != null && !body.peer().matches(TokenClaims.NAME_PATTERN)) {
            return Problems.of(HttpStatus.BAD_REQUEST, "peer must match " + TokenClaims.NAME_PATTERN);
        }
        long ttl = body.ttl() == null ? DEFAULT_TTL_SECONDS : body.ttl();
        if (ttl < 1 || ttl > TokenService.MAX_TTL.toSeconds()) {
            return Problems.of(HttpStatus.BAD_REQUEST, "ttl must be between 1 and " + TokenService.MAX_TTL.toSeconds() + " seconds");
        }
        boolean publish = body.publish() == null ? p.get().publishesByDefault() : body.publish();
        boolean subscribe = body.subscribe() == null ? p.get().subscribesByDefault() : body.subscribe();
        String token = tokens.issue(p.get(), body.room(), Optional.ofNullable(body.peer()), Duration.ofSeconds(ttl),
                publish, subscribe);
        return HttpResponse.ok(new TokenResponse(token));
    }
}
