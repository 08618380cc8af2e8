package io.relaymesh.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.relaymesh.node.sfu.Signaling.SessionKind;
import io.relaymesh.node.token.Protocol;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * WHIP (RFC 9725) and WHEP over real HTTP against an in-process node: every status code the issue names, for
 * both endpoints, and the CORS headers a page from another origin needs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionEndpointHttpTest {

    static final String OFFER = "v=0\r\no=- 42 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n";
    static final String ORIGIN = "http://example.com";

    /** The two endpoints, with what tells them apart. */
    enum Endpoint {
        WHIP("/whip/endpoint", Protocol.WHIP, Protocol.WHEP, SessionKind.PUBLISH),
        WHEP("/whep/endpoint", Protocol.WHEP, Protocol.WHIP, SessionKind.PLAY);

        final String path;
        final Protocol protocol;
        final Protocol otherProtocol;
        final SessionKind kind;

        Endpoint(String path, Protocol protocol, Protocol otherProtocol, SessionKind kind) {
            this.path = path;
            this.protocol = protocol;
            this.otherProtocol = otherProtocol;
            this.kind = kind;
        }

        Endpoint other() {
            return this == WHIP ? WHEP : WHIP;
        }
    }

    TestNode node;

    @BeforeAll
    void startNode() {
        node = new TestNode();
    }

    @AfterAll
    void stopNode() {
        node.close();
    }

    // ---- POST: the offer ----

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void offerIsAnsweredWith201LocationEtagAndTheAnswer(Endpoint endpoint) throws Exception {
        HttpResponse<String> response = post(endpoint, node.token(endpoint.protocol, "studio"), OFFER);

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/sdp"));
        String location = response.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches(endpoint.path + "/[^/]+");
        String sessionId = location.substring(location.lastIndexOf('/') + 1);
        assertThat(response.headers().firstValue("ETag")).hasValue("\"ice-1-" + sessionId + "\"");
        assertThat(response.headers().firstValue("Accept-Patch")).hasValue("application/trickle-ice-sdpfrag");
        assertThat(response.body()).isEqualTo(RecordingSignaling.answerFor(sessionId));

        RecordingSignaling.Opened opened = lastOpened();
        assertThat(opened.kind()).isEqualTo(endpoint.kind);
        assertThat(opened.offer()).isEqualTo(OFFER);
        assertThat(opened.claims().room()).isEqualTo("studio");
        assertThat(opened.claims().protocol()).isEqualTo(endpoint.protocol);
    }

    static Stream<Arguments> sdpContentTypes() {
        return pairs("application/sdp", "APPLICATION/SDP", "application/sdp; charset=utf-8");
    }

    @ParameterizedTest
    @MethodSource("sdpContentTypes")
    void sdpContentTypeIsMatchedWithoutCaseOrParameters(Endpoint endpoint, String contentType) throws Exception {
        HttpResponse<String> response = node.send(node.request(endpoint.path)
                .header("Authorization", "Bearer " + node.token(endpoint.protocol, "studio"))
                .header("Content-Type", contentType)
                .POST(BodyPublishers.ofString(OFFER))
                .build());

        assertThat(response.statusCode()).isEqualTo(201);
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void roomQueryParameterThatMatchesTheTokenIsAccepted(Endpoint endpoint) throws Exception {
        HttpResponse<String> response = post(endpoint.path + "?room=studio", node.token(endpoint.protocol, "studio"),
                "application/sdp", OFFER);

        assertThat(response.statusCode()).isEqualTo(201);
    }

    static Stream<Arguments> wrongOfferContentTypes() {
        return pairs("text/plain", "application/json", "application/x-www-form-urlencoded",
                "application/sdpx", "application/trickle-ice-sdpfrag", null);
    }

    @ParameterizedTest
    @MethodSource("wrongOfferContentTypes")
    void offerOfAnotherContentTypeIs415(Endpoint endpoint, String contentType) throws Exception {
        int openedBefore = node.signaling.opened().size();

        HttpResponse<String> response = post(endpoint.path, node.token(endpoint.protocol, "studio"), contentType,
                OFFER);

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.body()).contains("application/sdp");
        assertThat(node.signaling.opened()).hasSize(openedBefore);
    }

    static Stream<Arguments> unauthenticated() {
        return Stream.of(Endpoint.values()).flatMap(e -> Stream.of(
                Arguments.of(e, "no Authorization header", null),
                Arguments.of(e, "empty bearer", "Bearer "),
                Arguments.of(e, "garbage bearer", "Bearer garbage"),
                Arguments.of(e, "basic scheme", "Basic dXNlcjpwYXNz"),
                Arguments.of(e, "cluster secret instead of a token", "Bearer " + TestNode.SECRET.reveal()),
                Arguments.of(e, "expired token", "Bearer " + TestNode.expiredToken(e.protocol, "studio")),
                Arguments.of(e, "token signed with another secret",
                        "Bearer " + TestNode.forgedToken(e.protocol, "studio"))));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("unauthenticated")
    void offerWithoutAValidTokenIs401WithABearerChallenge(Endpoint endpoint, String what, String authorization)
            throws Exception {
        int openedBefore = node.signaling.opened().size();
        HttpRequest.Builder request = node.request(endpoint.path)
                .header("Content-Type", "application/sdp")
                .POST(BodyPublishers.ofString(OFFER));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }

        HttpResponse<String> response = node.send(request.build());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Bearer"));
        assertThat(response.body()).isNotBlank();
        assertThat(node.signaling.opened()).hasSize(openedBefore);
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void tokenForTheOtherProtocolIs403(Endpoint endpoint) throws Exception {
        assertForbiddenOffer(endpoint, endpoint.path, node.token(endpoint.otherProtocol, "studio"),
                endpoint.otherProtocol.claim());
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"WEBRTC", "RTMP", "SIP"})
    void tokenForANonHttpProtocolIs403OnBothEndpoints(Protocol protocol) throws Exception {
        for (Endpoint endpoint : Endpoint.values()) {
            assertForbiddenOffer(endpoint, endpoint.path, node.token(protocol, "studio"), protocol.claim());
        }
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void roomQueryParameterThatDiffersFromTheTokenIs403(Endpoint endpoint) throws Exception {
        assertForbiddenOffer(endpoint, endpoint.path + "?room=backstage", node.token(endpoint.protocol, "studio"),
                "backstage");
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void tokenWithoutTheEndpointsRightIs403(Endpoint endpoint) throws Exception {
        // A WHIP token minted without publish, a WHEP token minted without subscribe.
        String token = node.token(endpoint.protocol, "studio", endpoint == Endpoint.WHEP,
                endpoint == Endpoint.WHIP);

        assertForbiddenOffer(endpoint, endpoint.path, token, endpoint == Endpoint.WHIP ? "publish" : "subscrib");
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void offerTheSfuRejectsIs400WithTheReason(Endpoint endpoint) throws Exception {
        HttpResponse<String> response = post(endpoint, node.token(endpoint.protocol, "studio"),
                OFFER + RecordingSignaling.REJECT + " m-line 1 has no a=fingerprint\r\n");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("m-line 1 has no a=fingerprint");
        assertThat(response.headers().firstValue("Location")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void offerTheSfuRejectsAsynchronouslyIs400WithTheReason(Endpoint endpoint) throws Exception {
        HttpResponse<String> response = post(endpoint, node.token(endpoint.protocol, "studio"),
                OFFER + RecordingSignaling.REJECT_LATER + " no codec in common\r\n");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("no codec in common");
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void sfuFailureThatIsNotTheOffersFaultIs503(Endpoint endpoint) throws Exception {
        HttpResponse<String> response = post(endpoint, node.token(endpoint.protocol, "studio"),
                OFFER + RecordingSignaling.BREAK + "\r\n");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("transport is shutting down");
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void emptyOfferIs400(Endpoint endpoint) throws Exception {
        int openedBefore = node.signaling.opened().size();

        HttpResponse<String> response = post(endpoint, node.token(endpoint.protocol, "studio"), "");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("offer");
        assertThat(node.signaling.opened()).hasSize(openedBefore);
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void offerLargerThanTheSdpLimitIs413(Endpoint endpoint) throws Exception {
        String huge = OFFER + "a=x-padding:" + "p".repeat(SessionEndpoint.MAX_BODY) + "\r\n";

        HttpResponse<String> response = post(endpoint, node.token(endpoint.protocol, "studio"), huge);

        assertThat(response.statusCode()).isEqualTo(413);
    }

    // ---- PATCH: trickle and ICE restart ----

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void trickleFragmentIs204AndReachesTheSession(Endpoint endpoint) throws Exception {
        Created session = create(endpoint, "studio");
        String fragment = "a=mid:0\r\na=candidate:1 1 udp 2130706431 192.0.2.7 50000 typ host\r\n";

        HttpResponse<String> response = patch(session.location, session.token, "application/trickle-ice-sdpfrag",
                fragment, session.etag);

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(node.signaling.patched()).last()
                .isEqualTo(new RecordingSignaling.Patched(session.id(), fragment));
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void trickleWithoutIfMatchOrWithAWildcardIsAccepted(Endpoint endpoint) throws Exception {
        Created session = create(endpoint, "studio");

        assertThat(patch(session.location, session.token, "application/trickle-ice-sdpfrag", "a=mid:0\r\n", null)
                .statusCode()).isEqualTo(204);
        assertThat(patch(session.location, session.token, "application/trickle-ice-sdpfrag", "a=mid:0\r\n", "*")
                .statusCode()).isEqualTo(204);
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void iceRestartIs200WithTheNewFragmentAndANewEtag(Endpoint endpoint) throws Exception {
        Created session = create(endpoint, "studio");

        HttpResponse<String> response = patch(session.location, session.token, "application/trickle-ice-sdpfrag",
                "a=ice-ufrag:client2\r\na=ice-pwd:client-password-two\r\n", "*");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/trickle-ice-sdpfrag"));
        assertThat(response.body()).isEqualTo(RecordingSignaling.restartFragmentFor(session.id()));
        String newEtag = response.headers().firstValue("ETag").orElseThrow();
        assertThat(newEtag).startsWith("\"").endsWith("\"").isNotEqualTo(session.etag);

        // The ETag from before the restart is now stale; the new one is current.
        assertThat(patch(session.location, session.token, "application/trickle-ice-sdpfrag", "a=mid:0\r\n",
                session.etag).statusCode()).isEqualTo(412);
        assertThat(patch(session.location, session.token, "application/trickle-ice-sdpfrag", "a=mid:0\r\n",
                newEtag).statusCode()).isEqualTo(204);
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void patchWithAStaleIfMatchIs412AndDoesNotReachTheSession(Endpoint endpoint) throws Exception {
        Created session = create(endpoint, "studio");
        int patchedBefore = node.signaling.patched().size();

        HttpResponse<String> response = patch(session.location, session.token, "application/trickle-ice-sdpfrag",
                "a=mid:0\r\n", "\"some-older-etag\"");

        assertThat(response.statusCode()).isEqualTo(412);
        assertThat(node.signaling.patched()).hasSize(patchedBefore);
    }

    static Stream<Arguments> wrongPatchContentTypes() {
        return pairs("application/sdp", "text/plain", "application/json", null);
    }

    @ParameterizedTest
    @MethodSource("wrongPatchContentTypes")
    void patchOfAnotherContentTypeIs415(Endpoint endpoint, String contentType) throws Exception {
        Created session = create(endpoint, "studio");
        int patchedBefore = node.signaling.patched().size();

        HttpResponse<String> response = patch(session.location, session.token, contentType, "a=mid:0\r\n", null);

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.body()).contains("application/trickle-ice-sdpfrag");
        assertThat(node.signaling.patched()).hasSize(patchedBefore);
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void patchOnAnUnknownSessionIs404(Endpoint endpoint) throws Exception {
        HttpResponse<String> response = patch(endpoint.path + "/no-such-session", node.token(endpoint.protocol,
                "studio"), "application/trickle-ice-sdpfrag", "a=mid:0\r\n", null);

        assertThat(response.statusCode()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void sessionIsNotReachableThroughTheOtherEndpoint(Endpoint endpoint) throws Exception {
        Created session = create(endpoint, "studio");
        String elsewhere = endpoint.other().path + "/" + session.id();
        String otherToken = node.token(endpoint.other().protocol, "studio");

        assertThat(patch(elsewhere, otherToken, "application/trickle-ice-sdpfrag", "a=mid:0\r\n", null)
                .statusCode()).isEqualTo(404);
        assertThat(delete(elsewhere, otherToken).statusCode()).isEqualTo(404);
        assertThat(node.signaling.find(session.id())).isPresent();
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void patchWithATokenForAnotherRoomIs403(Endpoint endpoint) throws Exception {
        Created session = create(endpoint, "studio");
        int patchedBefore = node.signaling.patched().size();

        HttpResponse<String> response = patch(session.location, node.token(endpoint.protocol, "backstage"),
                "application/trickle-ice-sdpfrag", "a=mid:0\r\n", null);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(node.signaling.patched()).hasSize(patchedBefore);
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void patchWithATokenForTheOtherProtocolIs403(Endpoint endpoint) throws Exception {
        Created session = create(endpoint, "studio");

        HttpResponse<String> response = patch(session.location, node.token(endpoint.otherProtocol, "studio"),
                "application/trickle-ice-sdpfrag", "a=mid:0\r\n", null);

        assertThat(response.statusCode()).isEqualTo(403);
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void withoutATokenPatchAndDeleteAre401WhetherOrNotTheSessionExists(Endpoint endpoint) throws Exception {
        Created session = create(endpoint, "studio");
        String unknown = endpoint.path + "/no-such-session";
        String trickle = "application/trickle-ice-sdpfrag";

        // Same answer either way: an unauthenticated caller cannot probe which session ids exist.
        for (String path : List.of(session.location, unknown)) {
            HttpResponse<String> patched = patch(path, null, trickle, "a=mid:0\r\n", null);
            assertThat(patched.statusCode()).as("PATCH %s", path).isEqualTo(401);
            assertThat(patched.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(patch(path, "garbage", trickle, "a=mid:0\r\n", null).statusCode()).isEqualTo(401);
            assertThat(delete(path, null).statusCode()).as("DELETE %s", path).isEqualTo(401);
        }
        assertThat(node.signaling.find(session.id())).isPresent();
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void fragmentTheSessionRejectsIs400WithTheReason(Endpoint endpoint) throws Exception {
        Created session = create(endpoint, "studio");

        HttpResponse<String> response = patch(session.location, session.token, "application/trickle-ice-sdpfrag",
                RecordingSignaling.REJECT + " a=candidate line has 3 fields\r\n", null);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("a=candidate line has 3 fields");
    }

    // ---- DELETE ----

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void deleteEndsTheSessionThenItIsGone(Endpoint endpoint) throws Exception {
        Created session = create(endpoint, "studio");

        HttpResponse<String> first = delete(session.location, session.token);
        HttpResponse<String> second = delete(session.location, session.token);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(node.signaling.closed()).contains(session.id());
        assertThat(node.signaling.find(session.id())).isEmpty();
        assertThat(second.statusCode()).isEqualTo(404);
        assertThat(patch(session.location, session.token, "application/trickle-ice-sdpfrag", "a=mid:0\r\n", null)
                .statusCode()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void deleteWithATokenForAnotherRoomIs403AndKeepsTheSession(Endpoint endpoint) throws Exception {
        Created session = create(endpoint, "studio");

        HttpResponse<String> response = delete(session.location, node.token(endpoint.protocol, "backstage"));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(node.signaling.find(session.id())).isPresent();
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void deleteWithoutAValidTokenIs401AndKeepsTheSession(Endpoint endpoint) throws Exception {
        Created session = create(endpoint, "studio");

        assertThat(delete(session.location, null).statusCode()).isEqualTo(401);
        assertThat(delete(session.location, TestNode.forgedToken(endpoint.protocol, "studio")).statusCode())
                .isEqualTo(401);
        assertThat(delete(session.location, TestNode.expiredToken(endpoint.protocol, "studio")).statusCode())
                .isEqualTo(401);
        assertThat(node.signaling.find(session.id())).isPresent();
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void deleteOfAnUnknownSessionIs404(Endpoint endpoint) throws Exception {
        HttpResponse<String> response = delete(endpoint.path + "/no-such-session",
                node.token(endpoint.protocol, "studio"));

        assertThat(response.statusCode()).isEqualTo(404);
    }

    // ---- OPTIONS and CORS ----

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void optionsTellsWhatTheEndpointAccepts(Endpoint endpoint) throws Exception {
        HttpResponse<String> response = node.send(node.request(endpoint.path)
                .method("OPTIONS", BodyPublishers.noBody())
                .build());

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("Accept-Post")).hasValue("application/sdp");
    }

    static Stream<Arguments> preflights() {
        return Stream.of(Endpoint.values()).flatMap(e -> Stream.of(
                Arguments.of(e, e.path, "POST", "authorization,content-type"),
                Arguments.of(e, e.path + "/some-session", "PATCH", "authorization,content-type,if-match"),
                Arguments.of(e, e.path + "/some-session", "DELETE", "authorization")));
    }

    @ParameterizedTest(name = "{0}: {2} {1}")
    @MethodSource("preflights")
    void preflightFromAnotherOriginIsAllowed(Endpoint endpoint, String path, String method, String headers)
            throws Exception {
        HttpResponse<String> response = node.send(node.request(path)
                .header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", headers)
                .method("OPTIONS", BodyPublishers.noBody())
                .build());

        assertThat(response.statusCode()).isBetween(200, 204);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValueSatisfying(
                origin -> assertThat(origin).isIn(ORIGIN, "*"));
        assertThat(headerList(response, "Access-Control-Allow-Methods")).contains(method);
        assertThat(headerList(response, "Access-Control-Allow-Headers"))
                .containsAll(Arrays.asList(headers.toUpperCase(Locale.ROOT).split(",")));
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void crossOriginOfferExposesLocationAndEtagToThePage(Endpoint endpoint) throws Exception {
        HttpResponse<String> response = node.send(node.request(endpoint.path)
                .header("Origin", ORIGIN)
                .header("Authorization", "Bearer " + node.token(endpoint.protocol, "studio"))
                .header("Content-Type", "application/sdp")
                .POST(BodyPublishers.ofString(OFFER))
                .build());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValueSatisfying(
                origin -> assertThat(origin).isIn(ORIGIN, "*"));
        assertThat(headerList(response, "Access-Control-Expose-Headers")).contains("LOCATION", "ETAG");
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void crossOriginIceRestartExposesTheNewEtag(Endpoint endpoint) throws Exception {
        Created session = create(endpoint, "studio");

        HttpResponse<String> response = node.send(node.request(session.location)
                .header("Origin", ORIGIN)
                .header("Authorization", "Bearer " + session.token)
                .header("Content-Type", "application/trickle-ice-sdpfrag")
                .header("If-Match", "*")
                .method("PATCH", BodyPublishers.ofString("a=ice-ufrag:c3\r\na=ice-pwd:client-password-three\r\n"))
                .build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(headerList(response, "Access-Control-Expose-Headers")).contains("ETAG");
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void crossOriginErrorIsReadableByThePage(Endpoint endpoint) throws Exception {
        HttpResponse<String> response = node.send(node.request(endpoint.path)
                .header("Origin", ORIGIN)
                .header("Content-Type", "application/sdp")
                .POST(BodyPublishers.ofString(OFFER))
                .build());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isPresent();
    }

    // ---- helpers ----

    /** A session created through the endpoint, with the token that created it. */
    record Created(String location, String etag, String token) {
        String id() {
            return location.substring(location.lastIndexOf('/') + 1);
        }
    }

    Created create(Endpoint endpoint, String room) throws IOException, InterruptedException {
        String token = node.token(endpoint.protocol, room);
        HttpResponse<String> response = post(endpoint, token, OFFER);
        assertThat(response.statusCode()).as("creating a session: %s", response.body()).isEqualTo(201);
        return new Created(response.headers().firstValue("Location").orElseThrow(),
                response.headers().firstValue("ETag").orElseThrow(), token);
    }

    HttpResponse<String> post(Endpoint endpoint, String token, String body) throws IOException, InterruptedException {
        return post(endpoint.path, token, "application/sdp", body);
    }

    HttpResponse<String> post(String path, String token, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = node.request(path).POST(BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return node.send(request.build());
    }

    HttpResponse<String> patch(String path, String token, String contentType, String body, String ifMatch)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = node.request(path).method("PATCH", BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return node.send(request.build());
    }

    HttpResponse<String> delete(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = node.request(path).DELETE();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return node.send(request.build());
    }

    void assertForbiddenOffer(Endpoint endpoint, String path, String token, String reasonMentions)
            throws IOException, InterruptedException {
        int openedBefore = node.signaling.opened().size();

        HttpResponse<String> response = post(path, token, "application/sdp", OFFER);

        assertThat(response.statusCode()).as("%s %s", endpoint, path).isEqualTo(403);
        assertThat(response.body()).contains(reasonMentions);
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(node.signaling.opened()).hasSize(openedBefore);
    }

    RecordingSignaling.Opened lastOpened() {
        List<RecordingSignaling.Opened> opened = node.signaling.opened();
        return opened.get(opened.size() - 1);
    }

    /** A comma-separated header's values, upper-cased, across repeated fields. */
    static List<String> headerList(HttpResponse<?> response, String name) {
        return response.headers().allValues(name).stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(value -> value.trim().toUpperCase(Locale.ROOT))
                .filter(value -> !value.isEmpty())
                .toList();
    }

    /** Every endpoint with every value. */
    static Stream<Arguments> pairs(String... values) {
        return Stream.of(Endpoint.values()).flatMap(e -> Arrays.stream(values).map(v -> Arguments.of(e, v)));
    }
}
