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
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.token.Protocol;
import io.relaymesh.node.token.TokenClaims;
import io.relaymesh.node.token.TokenService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Named;
import java.io.IOException;
import java.math.BigDecimal;
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
    private final JsonMapper json;

    TokenController(TokenService tokens, @Named("cluster") Secret secret, JsonMapper json) {
        this.tokens = tokens;
        this.secret = secret;
        this.json = json;
    }

    /** Body of {@code POST /token/{protocol}}. */
    @Serdeable
    public record TokenRequest(@Nullable String room, @Nullable String peer,
                               @Nullable @Schema(type = "integer", format = "int64") BigDecimal ttl,
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
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TokenRequest.class)))
    public MutableHttpResponse<?> mint(HttpRequest<?> request, @PathVariable String protocol,
                                       @Nullable @Body String text) {
        if (!secret.matches(BearerToken.of(request))) {
            return Problems.of(HttpStatus.UNAUTHORIZED, "send the cluster secret as Authorization: Bearer <secret>")
                    .header("WWW-Authenticate", "Bearer");
        }
        Optional<Protocol> p = Protocol.fromClaim(protocol);
        if (p.isEmpty()) {
            return Problems.of(HttpStatus.BAD_REQUEST, "unknown protocol '" + protocol + "': use whip, whep, webrtc, rtmp or sip");
        }
        // The body is decoded here, after the secret is checked, so only an authorized caller learns why a body
        // is refused.
        TokenRequest body;
        try {
            body = text == null || text.isBlank() ? null : json.readValue(text, TokenRequest.class);
        } catch (IOException e) {
            return Problems.of(HttpStatus.BAD_REQUEST, "body is not valid JSON: " + e.getMessage());
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
        // Decoded as a decimal so that 1.5 or 1e30 is refused rather than silently truncated or wrapped.
        BigDecimal ttl = body.ttl() == null ? BigDecimal.valueOf(DEFAULT_TTL_SECONDS) : body.ttl();
        BigDecimal max = BigDecimal.valueOf(TokenService.MAX_TTL.toSeconds());
        if (ttl.compareTo(BigDecimal.ONE) < 0 || ttl.compareTo(max) > 0 || ttl.stripTrailingZeros().scale() > 0) {
            return Problems.of(HttpStatus.BAD_REQUEST,
                    "ttl must be a whole number of seconds between 1 and " + TokenService.MAX_TTL.toSeconds());
        }
        boolean publish = body.publish() == null ? p.get().publishesByDefault() : body.publish();
        boolean subscribe = body.subscribe() == null ? p.get().subscribesByDefault() : body.subscribe();
        String token = tokens.issue(p.get(), body.room(), Optional.ofNullable(body.peer()),
                Duration.ofSeconds(ttl.longValueExact()), publish, subscribe);
        return HttpResponse.ok(new TokenResponse(token));
    }
}
