package io.relaymesh.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.relaymesh.node.token.Protocol;
import io.relaymesh.node.token.TokenClaims;
import io.relaymesh.node.token.TokenException;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code POST /token/{protocol}}: minting with the cluster secret, and every way a request is refused. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenApiHttpTest {

    static final Pattern TOKEN = Pattern.compile("\\{\\s*\"token\"\\s*:\\s*\"([A-Za-z0-9_.-]+)\"\\s*}");

    TestNode node;

    @BeforeAll
    void startNode() {
        node = new TestNode();
    }

    @AfterAll
    void stopNode() {
        node.close();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void mintsATokenThatVerifiesForTheProtocol(Protocol protocol) throws Exception {
        HttpResponse<String> response = mint(protocol.claim(), TestNode.SECRET.reveal(),
                "{\"room\": \"studio\", \"peer\": \"alice\", \"ttl\": 120}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        TokenClaims claims = node.tokens.verifyFor(tokenOf(response), protocol);
        assertThat(claims.room()).isEqualTo("studio");
        assertThat(claims.peer()).contains("alice");
        assertThat(claims.protocol()).isEqualTo(protocol);
        assertThat(claims.publish()).isEqualTo(protocol.publishesByDefault());
        assertThat(claims.subscribe()).isEqualTo(protocol.subscribesByDefault());
        assertThat(Duration.between(claims.issuedAt(), claims.expiresAt())).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void mintedTokenOpensAWhipSession() throws Exception {
        String token = tokenOf(mint("whip", TestNode.SECRET.reveal(), "{\"room\": \"studio\"}"));

        HttpResponse<String> response = node.send(node.request("/whip/endpoint")
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/sdp")
                .POST(BodyPublishers.ofString(SessionEndpointHttpTest.OFFER))
                .build());

        assertThat(response.statusCode()).isEqualTo(201);
    }

    @Test
    void peerIsOptionalAndTtlDefaultsToOneHour() throws Exception {
        HttpResponse<String> response = mint("whep", TestNode.SECRET.reveal(), "{\"room\": \"studio\"}");

        TokenClaims claims = node.tokens.verify(tokenOf(response));
        assertThat(claims.peer()).isEmpty();
        assertThat(Duration.between(claims.issuedAt(), claims.expiresAt()))
                .isEqualTo(Duration.ofSeconds(TokenController.DEFAULT_TTL_SECONDS));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 86_400})
    void ttlAtTheBoundsIsAccepted(long ttl) throws Exception {
        HttpResponse<String> response = mint("whip", TestNode.SECRET.reveal(),
                "{\"room\": \"studio\", \"ttl\": " + ttl + "}");

        TokenClaims claims = node.tokens.verify(tokenOf(response));
        assertThat(Duration.between(claims.issuedAt(), claims.expiresAt())).isEqualTo(Duration.ofSeconds(ttl));
    }

    @Test
    void explicitRightsOverrideTheProtocolDefaults() throws Exception {
        HttpResponse<String> response = mint("whip", TestNode.SECRET.reveal(),
                "{\"room\": \"studio\", \"publish\": false, \"subscribe\": true}");

        TokenClaims claims = node.tokens.verify(tokenOf(response));
        assertThat(claims.publish()).isFalse();
        assertThat(claims.subscribe()).isTrue();
    }

    static Stream<Arguments> notTheSecret() {
        return Stream.of(
                Arguments.of("no Authorization header", null),
                Arguments.of("another secret", "Bearer " + TestNode.WRONG_SECRET.reveal()),
                Arguments.of("the secret with one character changed",
                        "Bearer " + TestNode.SECRET.reveal().substring(1) + "x"),
                Arguments.of("a prefix of the secret", "Bearer " + TestNode.SECRET.reveal().substring(0, 20)),
                Arguments.of("the secret in the Basic scheme", "Basic " + TestNode.SECRET.reveal()),
                Arguments.of("an empty bearer", "Bearer "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notTheSecret")
    void withoutTheClusterSecretIs401(String what, String authorization) throws Exception {
        HttpRequest.Builder request = node.request("/token/whip")
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"room\": \"studio\"}"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }

        HttpResponse<String> response = node.send(request.build());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(response.body()).doesNotContain("token\"");
    }

    @Test
    void aTokenIsNotTheClusterSecret() throws Exception {
        HttpResponse<String> response = mint("whip", node.token(Protocol.WEBRTC, "studio"), "{\"room\": \"studio\"}");

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp", "WHIP", "whip2", "token"})
    void unknownProtocolIs400(String protocol) throws Exception {
        HttpResponse<String> response = mint(protocol, TestNode.SECRET.reveal(), "{\"room\": \"studio\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("unknown protocol").contains("whip");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"peer\": \"alice\"}", "{\"room\": null}"})
    void missingRoomIs400(String body) throws Exception {
        HttpResponse<String> response = mint("whip", TestNode.SECRET.reveal(), body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("room");
    }

    @Test
    void missingBodyIs400() throws Exception {
        HttpResponse<String> response = node.send(node.request("/token/whip")
                .header("Authorization", "Bearer " + TestNode.SECRET.reveal())
                .POST(BodyPublishers.noBody())
                .build());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("room");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"room\": \"a b\"}", "{\"room\": \"../etc\"}", "{\"room\": \"\"}",
            "{\"room\": \"studio\", \"peer\": \"a/b\"}", "{\"room\": \"studio\", \"peer\": \"\"}"})
    void invalidRoomOrPeerNameIs400(String body) throws Exception {
        HttpResponse<String> response = mint("whip", TestNode.SECRET.reveal(), body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).containsAnyOf("room", "peer");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, 86_401, Long.MAX_VALUE, Long.MIN_VALUE})
    void ttlOutOfBoundsIs400(long ttl) throws Exception {
        HttpResponse<String> response = mint("whip", TestNode.SECRET.reveal(),
                "{\"room\": \"studio\", \"ttl\": " + ttl + "}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("ttl");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"room\": \"studio\", \"ttl\": \"soon\"}", "{\"room\": \"studio\", \"ttl\": 1.5}",
            "{\"room\": \"studio\", \"ttl\": 1e30}"})
    void ttlThatIsNotAWholeNumberIs400(String body) throws Exception {
        HttpResponse<String> response = mint("whip", TestNode.SECRET.reveal(), body);

        assertThat(response.statusCode()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"room\": ", "not json", "[\"studio\"]", "\"studio\"", "{\"room\": studio}"})
    void invalidJsonBodyIs400(String body) throws Exception {
        HttpResponse<String> response = mint("whip", TestNode.SECRET.reveal(), body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(TOKEN.matcher(response.body()).find()).isFalse();
    }

    @Test
    void invalidJsonWithoutTheSecretIs401() throws Exception {
        HttpResponse<String> response = node.send(node.request("/token/whip")
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"room\": "))
                .build());

        assertThat(response.statusCode()).isEqualTo(401);
    }

    HttpResponse<String> mint(String protocol, String secret, String json) throws IOException, InterruptedException {
        return node.send(node.request("/token/" + protocol)
                .header("Authorization", "Bearer " + secret)
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(json))
                .build());
    }

    static String tokenOf(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Matcher m = TOKEN.matcher(response.body());
        assertThat(m.matches()).as("body %s", response.body()).isTrue();
        return m.group(1);
    }
}
