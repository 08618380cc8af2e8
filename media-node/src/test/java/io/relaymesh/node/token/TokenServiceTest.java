package io.relaymesh.node.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.relaymesh.node.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Minting and verifying relaymesh tokens: claims, expiry with an injected clock, and every way to refuse one. */
class TokenServiceTest {

    static final Secret SECRET = Secret.of("token-service-test-secret-0123456789abcdef");
    static final Secret OTHER_SECRET = Secret.of("another-cluster-entirely-0123456789abcdef");
    /** Whole seconds: JWT dates have second precision. */
    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    static TokenService at(Instant now) {
        return new TokenService(SECRET, Clock.fixed(now, ZoneOffset.UTC));
    }

    final TokenService tokens = at(T0);

    @Test
    void roundTripCarriesEveryClaim() throws TokenException {
        String token = tokens.issue(Protocol.WEBRTC, "room-1", Optional.of("alice"), Duration.ofMinutes(10), true,
                false);

        TokenClaims claims = tokens.verify(token);

        assertThat(claims.room()).isEqualTo("room-1");
        assertThat(claims.peer()).contains("alice");
        assertThat(claims.protocol()).isEqualTo(Protocol.WEBRTC);
        assertThat(claims.publish()).isTrue();
        assertThat(claims.subscribe()).isFalse();
        assertThat(claims.issuedAt()).isEqualTo(T0);
        assertThat(claims.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
    }

    @Test
    void tokenIsAnHs256JwtWithTheDocumentedClaimNames() {
        String token = tokens.issue(Protocol.WHIP, "lobby", Optional.of("cam1"), Duration.ofSeconds(90));
        String[] parts = token.split("\\.");

        assertThat(parts).hasSize(3);
        assertThat(decode(parts[0])).contains("\"alg\":\"HS256\"").contains("\"typ\":\"JWT\"");
        assertThat(decode(parts[1]))
                .contains("\"room\":\"lobby\"")
                .contains("\"peer\":\"cam1\"")
                .contains("\"protocol\":\"whip\"")
                .contains("\"publish\":true")
                .contains("\"subscribe\":false")
                .contains("\"iat\":" + T0.getEpochSecond())
                .contains("\"exp\":" + (T0.getEpochSecond() + 90));
    }

    @Test
    void peerIsOptional() throws TokenException {
        String token = tokens.issue(Protocol.WHEP, "room-1", Optional.empty(), Duration.ofMinutes(1));

        TokenClaims claims = tokens.verify(token);

        assertThat(claims.peer()).isEmpty();
        assertThat(decode(token.split("\\.")[1])).doesNotContain("peer");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void rightsDefaultToWhatTheProtocolImplies(Protocol protocol) throws TokenException {
        TokenClaims claims = tokens.verify(tokens.issue(protocol, "r", Optional.empty(), Duration.ofMinutes(1)));

        assertThat(claims.protocol()).isEqualTo(protocol);
        assertThat(claims.publish()).isEqualTo(protocol.publishesByDefault());
        assertThat(claims.subscribe()).isEqualTo(protocol.subscribesByDefault());
    }

    @Test
    void whipPublishesAndWhepSubscribesByDefault() {
        assertThat(Protocol.WHIP.publishesByDefault()).isTrue();
        assertThat(Protocol.WHIP.subscribesByDefault()).isFalse();
        assertThat(Protocol.WHEP.publishesByDefault()).isFalse();
        assertThat(Protocol.WHEP.subscribesByDefault()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 59, 60 + 29})
    void acceptedUntilExpiryPlusThirtySecondsOfSkew(long secondsAfterIssue) throws TokenException {
        String token = tokens.issue(Protocol.WHIP, "r", Optional.empty(), Duration.ofSeconds(60));

        TokenClaims claims = at(T0.plusSeconds(secondsAfterIssue)).verify(token);

        assertThat(claims.room()).isEqualTo("r");
    }

    @ParameterizedTest
    @ValueSource(longs = {60 + 30, 60 + 31, 3600, 86_400 * 400L})
    void refusedAsExpiredOnceTheSkewAllowanceIsUsedUp(long secondsAfterIssue) {
        String token = tokens.issue(Protocol.WHIP, "r", Optional.empty(), Duration.ofSeconds(60));

        TokenException e = refusal(() -> at(T0.plusSeconds(secondsAfterIssue)).verify(token));

        assertThat(e.reason()).isEqualTo(TokenException.Reason.EXPIRED);
        assertThat(e.reason().unauthenticated()).isTrue();
        assertThat(e.getMessage()).contains("expired");
    }

    @Test
    void tokenIssuedBeyondTheSkewInTheFutureIsRefused() throws TokenException {
        String token = tokens.issue(Protocol.WHIP, "r", Optional.empty(), Duration.ofHours(1));

        assertThat(at(T0.minusSeconds(30)).verify(token).room()).isEqualTo("r");
        TokenException e = refusal(() -> at(T0.minusSeconds(31)).verify(token));
        assertThat(e.reason().unauthenticated()).isTrue();
    }

    @Test
    void tokenSignedWithAnotherSecretHasABadSignature() {
        String forged = new TokenService(OTHER_SECRET, Clock.fixed(T0, ZoneOffset.UTC))
                .issue(Protocol.WHIP, "r", Optional.empty(), Duration.ofMinutes(1));

        TokenException e = refusal(() -> tokens.verify(forged));

        assertThat(e.reason()).isEqualTo(TokenException.Reason.BAD_SIGNATURE);
        assertThat(e.reason().unauthenticated()).isTrue();
    }

    @Test
    void editedClaimsBreakTheSignature() {
        String token = tokens.issue(Protocol.WHEP, "r", Optional.empty(), Duration.ofMinutes(1));
        String[] parts = token.split("\\.");
        String escalated = encode(decode(parts[1]).replace("\"publish\":false", "\"publish\":true"));
        assertThat(escalated).isNotEqualTo(parts[1]);

        TokenException e = refusal(() -> tokens.verify(parts[0] + "." + escalated + "." + parts[2]));

        assertThat(e.reason()).isEqualTo(TokenException.Reason.BAD_SIGNATURE);
    }

    @Test
    void unsignedAlgNoneTokenIsRefused() {
        String token = encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + encode(validPayload()) + ".";

        TokenException e = refusal(() -> tokens.verify(token));

        assertThat(e.reason()).isEqualTo(TokenException.Reason.MALFORMED);
    }

    @Test
    void unsignedAlgNoneTokenWithASignaturePartIsRefused() {
        String token = encode("{\"alg\":\"none\"}") + "." + encode(validPayload()) + "." + encode("x");

        assertThat(refusal(() -> tokens.verify(token)).reason().unauthenticated()).isTrue();
    }

    @Test
    void hs512SignedWithTheRightSecretIsRefused() throws Exception {
        String token = hmacToken("HmacSHA512", "HS512", validPayload(), SECRET);

        TokenException e = refusal(() -> tokens.verify(token));

        assertThat(e.reason()).isEqualTo(TokenException.Reason.MALFORMED);
        assertThat(e.getMessage()).contains("HS256");
    }

    @Test
    void rs256IsRefused() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(generator.generateKeyPair().getPrivate());
        String signingInput = encode("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + encode(validPayload());
        rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        String token = signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());

        TokenException e = refusal(() -> tokens.verify(token));

        assertThat(e.reason()).isEqualTo(TokenException.Reason.MALFORMED);
    }

    @Test
    void handMadeHs256TokenWithTheRightSecretIsAccepted() throws Exception {
        // Proves the hand-made tokens below are refused for their content, not for how they were built.
        TokenClaims claims = tokens.verify(hmacToken("HmacSHA256", "HS256", validPayload(), SECRET));

        assertThat(claims.room()).isEqualTo("r");
        assertThat(claims.protocol()).isEqualTo(Protocol.WHIP);
    }

    static Stream<Arguments> signedButInvalidClaims() {
        long iat = T0.getEpochSecond();
        long exp = iat + 60;
        String rights = ",\"publish\":true,\"subscribe\":false";
        return Stream.of(
                Arguments.of("no exp", "{\"room\":\"r\",\"protocol\":\"whip\",\"iat\":" + iat + rights + "}"),
                Arguments.of("no iat", "{\"room\":\"r\",\"protocol\":\"whip\",\"exp\":" + exp + rights + "}"),
                Arguments.of("no room", "{\"protocol\":\"whip\",\"iat\":" + iat + ",\"exp\":" + exp + rights + "}"),
                Arguments.of("room with a slash",
                        "{\"room\":\"a/b\",\"protocol\":\"whip\",\"iat\":" + iat + ",\"exp\":" + exp + rights + "}"),
                Arguments.of("peer with a space", "{\"room\":\"r\",\"peer\":\"a b\",\"protocol\":\"whip\",\"iat\":"
                        + iat + ",\"exp\":" + exp + rights + "}"),
                Arguments.of("no protocol", "{\"room\":\"r\",\"iat\":" + iat + ",\"exp\":" + exp + rights + "}"),
                Arguments.of("unknown protocol",
                        "{\"room\":\"r\",\"protocol\":\"ftp\",\"iat\":" + iat + ",\"exp\":" + exp + rights + "}"),
                Arguments.of("upper-case protocol",
                        "{\"room\":\"r\",\"protocol\":\"WHIP\",\"iat\":" + iat + ",\"exp\":" + exp + rights + "}"),
                Arguments.of("room not a string",
                        "{\"room\":7,\"protocol\":\"whip\",\"iat\":" + iat + ",\"exp\":" + exp + rights + "}"),
                Arguments.of("publish not a boolean", "{\"room\":\"r\",\"protocol\":\"whip\",\"iat\":" + iat
                        + ",\"exp\":" + exp + ",\"publish\":\"yes\"}"),
                Arguments.of("exp before iat", "{\"room\":\"r\",\"protocol\":\"whip\",\"iat\":" + iat + ",\"exp\":"
                        + (iat - 1) + rights + "}"),
                Arguments.of("payload not JSON", "not json at all"),
                Arguments.of("payload a JSON array", "[1,2,3]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("signedButInvalidClaims")
    void correctlySignedTokenWithInvalidClaimsIsMalformed(String what, String payload) throws Exception {
        String token = hmacToken("HmacSHA256", "HS256", payload, SECRET);

        TokenException e = refusal(() -> tokens.verify(token));

        assertThat(e.reason()).isEqualTo(TokenException.Reason.MALFORMED);
        assertThat(e.reason().unauthenticated()).isTrue();
        assertThat(e.getMessage()).isNotBlank();
    }

    static Stream<String> malformedStrings() {
        String valid = at(T0).issue(Protocol.WHIP, "r", Optional.empty(), Duration.ofMinutes(1));
        String[] parts = valid.split("\\.");
        return Stream.of(
                "x",
                "not-a-jwt",
                "a.b",
                parts[0] + "." + parts[1],
                valid + ".extra",
                valid + "." + parts[2] + "." + parts[2],
                "!!!.@@@.###",
                "....",
                "..",
                parts[0] + "!." + parts[1] + "." + parts[2],
                encode("not json") + "." + parts[1] + "." + parts[2],
                encode("{\"typ\":\"JWT\"}") + "." + parts[1] + "." + parts[2],
                encode("{\"alg\":\"HS256\"") + "." + parts[1] + "." + parts[2],
                "Bearer " + valid,
                valid + "A".repeat(TokenService.MAX_TOKEN_LENGTH),
                "e".repeat(1_000_000));
    }

    @ParameterizedTest
    @MethodSource("malformedStrings")
    void malformedStringIsMalformedNotAnUnexpectedException(String token) {
        TokenException e = refusal(() -> tokens.verify(token));

        assertThat(e.reason()).isEqualTo(TokenException.Reason.MALFORMED);
        assertThat(e.reason().unauthenticated()).isTrue();
    }

    @Test
    void tokenJustOverTheLengthLimitIsRefusedBeforeParsing() {
        TokenException e = refusal(() -> tokens.verify("a".repeat(TokenService.MAX_TOKEN_LENGTH + 1)));

        assertThat(e.reason()).isEqualTo(TokenException.Reason.MALFORMED);
        assertThat(e.getMessage()).contains("too long");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void characterOutsideBase64UrlInAnyPartIsMalformedNotABadSignature(int part) {
        String[] parts = tokens.issue(Protocol.WHIP, "r", Optional.empty(), Duration.ofMinutes(1)).split("\\.");
        // '+' and '/' are base64 but not base64url; '%' is neither. The JOSE parser would skip them.
        for (String stray : new String[] {"%", "+", "/", "=", " "}) {
            String[] corrupted = parts.clone();
            corrupted[part] = corrupted[part].substring(0, 4) + stray + corrupted[part].substring(4);

            TokenException e = refusal(() -> tokens.verify(String.join(".", corrupted)));

            assertThat(e.reason()).as("stray %s in part %d", stray, part).isEqualTo(TokenException.Reason.MALFORMED);
            assertThat(e.getMessage()).contains("base64url");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void absentTokenIsMissing(String token) {
        assertThat(refusal(() -> tokens.verify(token)).reason()).isEqualTo(TokenException.Reason.MISSING);
    }

    @Test
    void nullTokenIsMissing() {
        TokenException e = refusal(() -> tokens.verify(null));

        assertThat(e.reason()).isEqualTo(TokenException.Reason.MISSING);
        assertThat(e.reason().unauthenticated()).isTrue();
    }

    @Test
    void verifyForAcceptsTheTokensOwnProtocol() throws TokenException {
        String token = tokens.issue(Protocol.WHEP, "r", Optional.empty(), Duration.ofMinutes(1));

        assertThat(tokens.verifyFor(token, Protocol.WHEP).protocol()).isEqualTo(Protocol.WHEP);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void verifyForRefusesEveryOtherProtocolAsForbidden(Protocol issued) {
        String token = tokens.issue(issued, "r", Optional.empty(), Duration.ofMinutes(1));
        for (Protocol other : Protocol.values()) {
            if (other == issued) {
                continue;
            }
            TokenException e = refusal(() -> tokens.verifyFor(token, other));

            assertThat(e.reason()).isEqualTo(TokenException.Reason.WRONG_PROTOCOL);
            assertThat(e.reason().unauthenticated()).isFalse();
            assertThat(e.getMessage()).contains(issued.claim()).contains(other.claim());
        }
    }

    @Test
    void verifyForChecksTheSignatureBeforeTheProtocol() {
        String forged = new TokenService(OTHER_SECRET, Clock.fixed(T0, ZoneOffset.UTC))
                .issue(Protocol.WHEP, "r", Optional.empty(), Duration.ofMinutes(1));

        assertThat(refusal(() -> tokens.verifyFor(forged, Protocol.WHIP)).reason())
                .isEqualTo(TokenException.Reason.BAD_SIGNATURE);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 60, 86_400})
    void ttlWithinOneSecondToOneDayIsAccepted(long seconds) throws TokenException {
        String token = tokens.issue(Protocol.WHIP, "r", Optional.empty(), Duration.ofSeconds(seconds));

        assertThat(tokens.verify(token).expiresAt()).isEqualTo(T0.plusSeconds(seconds));
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, 0, 86_401, 365 * 86_400L})
    void ttlOutsideOneSecondToOneDayIsRejected(long seconds) {
        assertThatThrownBy(() -> tokens.issue(Protocol.WHIP, "r", Optional.empty(), Duration.ofSeconds(seconds)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ttl");
    }

    @Test
    void subSecondTtlIsRejected() {
        assertThatThrownBy(() -> tokens.issue(Protocol.WHIP, "r", Optional.empty(), Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<String> validNames() {
        return Stream.of("a", "Room_1", "r.o-o_m", "0", "x".repeat(128));
    }

    @ParameterizedTest
    @MethodSource("validNames")
    void validNamesAreAcceptedForRoomAndPeer(String name) throws TokenException {
        TokenClaims claims = tokens.verify(tokens.issue(Protocol.WEBRTC, name, Optional.of(name),
                Duration.ofMinutes(1)));

        assertThat(claims.room()).isEqualTo(name);
        assertThat(claims.peer()).contains(name);
    }

    static Stream<String> invalidNames() {
        return Stream.of("", " ", "a b", "a/b", "../etc", ".hidden", "-dash", "_under", "room*", "room>",
                "caf\u00e9", "new\nline", "x".repeat(129));
    }

    @ParameterizedTest
    @MethodSource("invalidNames")
    void invalidRoomNameIsRejected(String room) {
        assertThatThrownBy(() -> tokens.issue(Protocol.WHIP, room, Optional.empty(), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("room");
    }

    @ParameterizedTest
    @MethodSource("invalidNames")
    void invalidPeerNameIsRejected(String peer) {
        assertThatThrownBy(() -> tokens.issue(Protocol.WHIP, "r", Optional.of(peer), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("peer");
    }

    @Test
    void secretTooShortForHs256IsRejected() {
        assertThatThrownBy(() -> Secret.of("short")).isInstanceOf(IllegalArgumentException.class);
    }

    private static String validPayload() {
        return "{\"room\":\"r\",\"protocol\":\"whip\",\"publish\":true,\"subscribe\":false,\"iat\":"
                + T0.getEpochSecond() + ",\"exp\":" + (T0.getEpochSecond() + 60) + "}";
    }

    /** A compact JWS built by hand, so tests can sign headers and payloads that {@link TokenService} never would. */
    static String hmacToken(String jcaAlgorithm, String jwsAlgorithm, String payload, Secret secret)
            throws Exception {
        String signingInput = encode("{\"alg\":\"" + jwsAlgorithm + "\",\"typ\":\"JWT\"}") + "." + encode(payload);
        Mac mac = Mac.getInstance(jcaAlgorithm);
        mac.init(new SecretKeySpec(secret.bytes(), jcaAlgorithm));
        byte[] signature = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }

    static String encode(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }

    interface Verification {
        Object run() throws TokenException;
    }

    static TokenException refusal(Verification verification) {
        TokenException e = catchThrowableOfType(TokenException.class, verification::run);
        assertThat(e).as("expected the token to be refused").isNotNull();
        return e;
    }
}
