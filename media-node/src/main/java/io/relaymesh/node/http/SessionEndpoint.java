package io.relaymesh.node.http;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.protocol.ProtocolException;
import io.relaymesh.node.sfu.Signaling;
import io.relaymesh.node.sfu.Signaling.SessionKind;
import io.relaymesh.node.token.Protocol;
import io.relaymesh.node.token.TokenClaims;
import io.relaymesh.node.token.TokenException;
import io.relaymesh.node.token.TokenService;
import java.util.Locale;
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
    private volatile Secret clusterSecret;

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

    void clusterSecret(Secret secret) {
        this.clusterSecret = secret;
    }

    /** {@code GET <base>/{id}}: the viewer's statistics as JSON (see {@link Signaling.ViewerStats}). */
    CompletionStage<MutableHttpResponse<String>> stats(HttpRequest<?> request, String sessionId) {
        Access access = viewerAccess(request, sessionId);
        if (access.refusal() != null) {
            return done(access.refusal());
        }
        return signaling.viewerStats(sessionId).thenApply(stats -> stats.<MutableHttpResponse<String>>map(
                s -> HttpResponse.ok(json(s)).contentType(MediaType.APPLICATION_JSON_TYPE))
                .orElseGet(() -> Problems.of(HttpStatus.NOT_FOUND, "no such playing session: " + sessionId)));
    }

    /** {@code PUT <base>/{id}/preferences}: caps the viewer's layers. */
    CompletionStage<MutableHttpResponse<String>> preferences(HttpRequest<?> request, String sessionId, String body) {
        Access access = viewerAccess(request, sessionId);
        if (access.refusal() != null) {
            return done(access.refusal());
        }
        Signaling.LayerPreferences preferences;
        try {
            preferences = parsePreferences(body == null ? "" : body);
        } catch (ProtocolException e) {
            return done(Problems.of(HttpStatus.BAD_REQUEST, e.getMessage()));
        }
        return signaling.preferences(sessionId, preferences).thenApply(applied -> applied
                ? HttpResponse.<String>status(HttpStatus.NO_CONTENT)
                : Problems.of(HttpStatus.NOT_FOUND, "no such playing session: " + sessionId));
    }

    /**
     * Statistics and preferences are the bearer's with a token for this protocol and the session's room, or with
     * the cluster secret; only playing sessions have them.
     */
    private Access viewerAccess(HttpRequest<?> request, String sessionId) {
        Secret secret = clusterSecret;
        if (secret == null || !secret.matches(BearerToken.of(request))) {
            Access access = access(request, sessionId);
            if (access.refusal() != null) {
                return access;
            }
        }
        Optional<Signaling.SessionView> session = signaling.find(sessionId);
        if (session.isEmpty() || session.get().kind() != kind || kind != SessionKind.PLAY) {
            return new Access(null, Problems.of(HttpStatus.NOT_FOUND, "no such playing session: " + sessionId));
        }
        return new Access(session.get(), null);
    }

    /** The contract's JSON: every field always present, null where unknown. */
    static String json(Signaling.ViewerStats s) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"session\":").append(quote(s.session()))
                .append(",\"estimateBps\":").append(s.estimateBps())
                .append(",\"rttMs\":").append(s.rttMs() == null ? "null" : number(s.rttMs()))
                .append(",\"lossFraction\":").append(number(s.lossFraction()))
                .append(",\"tracks\":[");
        for (int i = 0; i < s.tracks().size(); i++) {
            Signaling.TrackStats t = s.tracks().get(i);
            b.append(i == 0 ? "{" : ",{")
                    .append("\"track\":").append(quote(t.track()))
                    .append(",\"kind\":").append(quote(t.kind()))
                    .append(",\"layers\":").append(t.layers())
                    .append(",\"spatial\":").append(t.spatial())
                    .append(",\"temporal\":").append(t.temporal())
                    .append(",\"targetSpatial\":").append(t.targetSpatial())
                    .append(",\"targetTemporal\":").append(t.targetTemporal())
                    .append(",\"rid\":").append(t.rid() == null ? "null" : quote(t.rid()))
                    .append(",\"width\":").append(t.width() == null ? "null" : t.width().toString())
                    .append(",\"height\":").append(t.height() == null ? "null" : t.height().toString())
                    .append(",\"bitrateBps\":").append(t.bitrateBps())
                    .append(",\"switches\":").append(t.switches())
                    .append('}');
        }
        b.append("],\"bandwidth\":");
        Signaling.BandwidthDetail w = s.bandwidth();
        if (w == null) {
            return b.append("null}").toString();
        }
        return b.append("{\"delayBasedBps\":").append(w.delayBasedBps())
                .append(",\"lossBasedBps\":").append(w.lossBasedBps())
                .append(",\"acknowledgedBps\":").append(w.acknowledgedBps())
                .append(",\"sendRateBps\":").append(w.sendRateBps())
                .append(",\"feedbackLoss\":").append(number(w.feedbackLoss()))
                .append(",\"usage\":").append(quote(w.usage()))
                .append(",\"probes\":").append(w.probes())
                .append(",\"pacingRateBps\":").append(w.pacingRateBps())
                .append(",\"pacerQueuedBytes\":").append(w.pacerQueuedBytes())
                .append(",\"pacerLongestWaitMs\":").append(number(w.pacerLongestWaitMs()))
                .append("}}").toString();
    }

    private static String number(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.3f", value) : "null";
    }

    private static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /**
     * Reads {@code {"maxSpatial": n, "maxTemporal": n}}: a flat JSON object whose fields are optional (left out or
     * null: no cap); anything else (other fields, other types, negative numbers, trailing text) is refused.
     */
    static Signaling.LayerPreferences parsePreferences(String body) throws ProtocolException {
        JsonCursor in = new JsonCursor(body);
        int maxSpatial = Signaling.LayerPreferences.UNLIMITED;
        int maxTemporal = Signaling.LayerPreferences.UNLIMITED;
        boolean seenSpatial = false;
        boolean seenTemporal = false;
        in.expect('{');
        if (!in.accept('}')) {
            do {
                String field = in.string();
                in.expect(':');
                int value = in.capOrNull(field);
                switch (field) {
                    case "maxSpatial" -> {
                        if (seenSpatial) {
                            throw new ProtocolException("preferences: maxSpatial given twice");
                        }
                        seenSpatial = true;
                        maxSpatial = value;
                    }
                    case "maxTemporal" -> {
                        if (seenTemporal) {
                            throw new ProtocolException("preferences: maxTemporal given twice");
                        }
                        seenTemporal = true;
                        maxTemporal = value;
                    }
                    default -> throw new ProtocolException("preferences: unknown field \"" + field
                            + "\" (expected maxSpatial, maxTemporal)");
                }
            } while (in.accept(','));
            in.expect('}');
        }
        in.end();
        return new Signaling.LayerPreferences(maxSpatial, maxTemporal);
    }

    /** Just enough of a JSON reader for a flat object of small integers. */
    private static final class JsonCursor {
        private static final int MAX_DIGITS = 9;
        private final String text;
        private int at;

        JsonCursor(String text) {
            this.text = text;
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        boolean accept(char c) {
            skipSpace();
            if (at < text.length() && text.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        void expect(char c) throws ProtocolException {
            if (!accept(c)) {
                throw new ProtocolException("preferences: malformed JSON, expected '" + c + "' at offset " + at
                        + (at < text.length() ? "" : " (end of body)"));
            }
        }

        String string() throws ProtocolException {
            expect('"');
            int start = at;
            while (at < text.length() && text.charAt(at) != '"') {
                if (text.charAt(at) == '\\' || text.charAt(at) < 0x20) {
                    throw new ProtocolException("preferences: malformed JSON, unexpected character in a field name");
                }
                at++;
            }
            if (at == text.length()) {
                throw new ProtocolException("preferences: malformed JSON, unterminated string");
            }
            return text.substring(start, at++);
        }

        /** A non-negative integer, or null (no cap). */
        int capOrNull(String field) throws ProtocolException {
            skipSpace();
            if (text.startsWith("null", at)) {
                at += 4;
                return Signaling.LayerPreferences.UNLIMITED;
            }
            int start = at;
            while (at < text.length() && Character.isDigit(text.charAt(at))) {
                at++;
            }
            if (at == start || at - start > MAX_DIGITS
                    || (at < text.length() && (text.charAt(at) == '.' || text.charAt(at) == 'e'))) {
                throw new ProtocolException("preferences: " + field + " must be a non-negative integer or null");
            }
            return Integer.parseInt(text, start, at, 10);
        }

        void end() throws ProtocolException {
            skipSpace();
            if (at != text.length()) {
                throw new ProtocolException("preferences: malformed JSON, unexpected text after the object at offset " + at);
            }
        }
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
