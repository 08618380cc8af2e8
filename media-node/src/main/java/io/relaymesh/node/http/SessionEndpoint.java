package io.relaymesh.node.http;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.sfu.Signaling;
import io.relaymesh.node.sfu.Signaling.SessionKind;
import io.relaymesh.node.token.Protocol;
import io.relaymesh.node.token.TokenClaims;
import io.relaymesh.node.token.TokenException;
import io.relaymesh.node.token.TokenService;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The behaviour WHIP (RFC 9725) and WHEP share: the endpoint takes an {@code application/sdp} offer with a
 * bearer token and creates a session resource that takes trickle/ICE-restart PATCHes and a DELETE.
 */
final class SessionEndpoint {

    static final String SDP = "application/sdp";
    static final String TRICKLE = "application/trickle-ice-sdpfrag";
    /** SDP bodies larger than this are refused (the SDP parser has its own, equal limit). */
    static final int MAX_BODY = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(SessionEndpoint.class);

    private final Signaling signaling;
    private final TokenService tokens;
    private final Protocol protocol;
    private final SessionKind kind;
    private final String basePath;

    SessionEndpoint(Signaling signaling, TokenService tokens, Protocol protocol, SessionKind kind, String basePath) {
        this.signaling = signaling;
        this.tokens = tokens;
        this.protocol = protocol;
        this.kind = kind;
        this.basePath = basePath;
    }

    CompletionStage<MutableHttpResponse<String>> post(HttpRequest<?> request, String body, String roomHint) {
        if (!isType(request, SDP)) {
            return done(Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "send the offer as Content-Type: " + SDP));
        }
        TokenClaims claims;
        try {
            claims = tokens.verifyFor(BearerToken.of(request), protocol);
            if (roomHint != null && !roomHint.equals(claims.room())) {
                throw new TokenException(TokenException.Reason.WRONG_ROOM,
                        "token is for room " + claims.room() + ", not " + roomHint);
            }
            if (kind == SessionKind.PUBLISH && !claims.publish()) {
                throw new TokenException(TokenException.Reason.NOT_ALLOWED, "token does not allow publishing");
            }
            if (kind == SessionKind.PLAY && !claims.subscribe()) {
                throw new TokenException(TokenException.Reason.NOT_ALLOWED, "token does not allow subscribing");
            }
        } catch (TokenException e) {
            return done(Problems.of(e));
        }
        if (body == null || body.isBlank()) {
            return done(Problems.of(HttpStatus.BAD_REQUEST, "empty body: send an SDP offer"));
        }
        if (body.length() > MAX_BODY) {
            return done(Problems.of(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "SDP offer larger than " + MAX_BODY + " bytes"));
        }
        try {
            return signaling.open(kind, claims, body).handle((answer, failure) -> {
                if (failure != null) {
                    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                    if (cause instanceof ProtocolException pe) {
                        return Problems.of(HttpStatus.BAD_REQUEST, pe.getMessage());
                    }
                    LOG.warn("{} session could not be opened", protocol.claim(), cause);
                    return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "session could not be opened: " + cause.getMessage());
                }
                return HttpResponse.<String>status(HttpStatus.CREATED)
                        .contentType(SDP)
                        .header(HttpHeaders.LOCATION, basePath + "/" + answer.sessionId())
                        .header(HttpHeaders.ETAG, quoted(answer.etag()))
                        .header("Accept-Patch", TRICKLE)
                        .body(answer.answerSdp());
            });
        } catch (ProtocolException e) {
            return done(Problems.of(HttpStatus.BAD_REQUEST, e.getMessage()));
        }
    }

    MutableHttpResponse<String> patch(HttpRequest<?> request, String sessionId, String body) {
        Access access = access(request, sessionId);
        if (access.refusal() != null) {
            return access.refusal();
        }
        if (!isType(request, TRICKLE)) {
            return Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "send candidates as Content-Type: " + TRICKLE);
        }
        String ifMatch = request.getHeaders().get(HttpHeaders.IF_MATCH);
        String current = quoted(access.session().etag());
        if (ifMatch != null && !"*".equals(ifMatch.trim()) && !ifMatch.trim().equals(current)) {
            return Problems.of(HttpStatus.PRECONDITION_FAILED, "If-Match does not match the session's ETag");
        }
        try {
            Signaling.PatchOutcome outcome = signaling.patch(sessionId, body == null ? "" : body);
            if (outcome.restartFragment().isPresent()) {
                return HttpResponse.<String>ok(outcome.restartFragment().get())
                        .contentType(TRICKLE)
                        .header(HttpHeaders.ETAG, quoted(outcome.etag()));
            }
            return HttpResponse.status(HttpStatus.NO_CONTENT);
        } catch (ProtocolException e) {
            return Problems.of(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    MutableHttpResponse<String> delete(HttpRequest<?> request, String sessionId) {
        Access access = access(request, sessionId);
        if (access.refusal() != null) {
            return access.refusal();
        }
        return signaling.close(sessionId)
                ? HttpResponse.ok()
                : Problems.of(HttpStatus.NOT_FOUND, "no such session: " + sessionId);
    }

    /** A session the bearer may act on, or the response that refuses it. */
    private record Access(Signaling.SessionView session, MutableHttpResponse<String> refusal) {
    }

    /**
     * The session resource is the bearer's only if the token is for this protocol and the session's room. The
     * token is checked before the session is looked up, so a caller without one cannot probe which ids exist.
     */
    private Access access(HttpRequest<?> request, String sessionId) {
        TokenClaims claims;
        try {
            claims = tokens.verifyFor(BearerToken.of(request), protocol);
        } catch (TokenException e) {
            return new Access(null, Problems.of(e));
        }
        Optional<Signaling.SessionView> session = signaling.find(sessionId);
        if (session.isEmpty() || session.get().kind() != kind) {
            return new Access(null, Problems.of(HttpStatus.NOT_FOUND, "no such session: " + sessionId));
        }
        if (!claims.room().equals(session.get().room())) {
            return new Access(null, Problems.of(new TokenException(TokenException.Reason.WRONG_ROOM,
                    "token is for room " + claims.room() + ", not this session's room")));
        }
        return new Access(session.get(), null);
    }

    private static boolean isType(HttpRequest<?> request, String expected) {
        Optional<MediaType> type = request.getContentType();
        return type.isPresent() && (type.get().getType() + "/" + type.get().getSubtype()).equalsIgnoreCase(expected);
    }

    private static String quoted(String etag) {
        return "\"" + etag + "\"";
    }

    private static CompletionStage<MutableHttpResponse<String>> done(MutableHttpResponse<String> response) {
        return CompletableFuture.completedFuture(response);
    }
}
