package io.relaymesh.node.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.relaymesh.node.config.Secret;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Mints and verifies relaymesh tokens: HS256 JWTs signed with the cluster secret.
 *
 * <p>Claims: {@code room}, {@code peer} (optional), {@code protocol}, {@code publish}, {@code subscribe},
 * {@code iat}, {@code exp}. The expiry is mandatory and enforced (with a small allowance for clock skew
 * between nodes).
 */
public final class TokenService {

    /** Longest lifetime a token may be minted with: one day. */
    public static final Duration MAX_TTL = Duration.ofDays(1);
    /** Shortest lifetime: JWT times are whole seconds, so a shorter one could yield {@code exp == iat}. */
    public static final Duration MIN_TTL = Duration.ofSeconds(1);
    /** Tolerated clock difference between the minting and the verifying node. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    /** Tokens longer than this are refused before parsing. */
    static final int MAX_TOKEN_LENGTH = 4096;
    /**
     * JWS compact serialization: three base64url parts (RFC 7515 section 7.1). Checked up front because the JOSE
     * parser skips characters outside the alphabet, which would turn a corrupted token into a signature mismatch.
     */
    private static final Pattern COMPACT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    private final MACSigner signer;
    private final MACVerifier verifier;
    private final Clock clock;

    public TokenService(Secret secret, Clock clock) {
        try {
            this.signer = new MACSigner(secret.bytes());
            this.verifier = new MACVerifier(secret.bytes());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the cluster secret cannot key HS256: " + e.getMessage(), e);
        }
        this.clock = clock;
    }

    /** Mints a token; rights default to what the protocol implies. */
    public String issue(Protocol protocol, String room, Optional<String> peer, Duration ttl) {
        return issue(protocol, room, peer, ttl, protocol.publishesByDefault(), protocol.subscribesByDefault());
    }

    public String issue(Protocol protocol, String room, Optional<String> peer, Duration ttl, boolean publish,
                        boolean subscribe) {
        if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("ttl must be between 1 second and " + MAX_TTL.toSeconds() + " seconds");
        }
        Instant now = clock.instant();
        TokenClaims claims = new TokenClaims(room, peer, protocol, publish, subscribe, now, now.plus(ttl));
        JWTClaimsSet.Builder set = new JWTClaimsSet.Builder()
                .claim("room", claims.room())
                .claim("protocol", protocol.claim())
                .claim("publish", publish)
                .claim("subscribe", subscribe)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(claims.expiresAt()));
        peer.ifPresent(p -> set.claim("peer", p));
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                set.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return jwt.serialize();
    }

    /** Checks signature and expiry and returns the claims; does not check protocol or room. */
    public TokenClaims verify(String token) throws TokenException {
        if (token == null || token.isBlank()) {
            throw new TokenException(TokenException.Reason.MISSING, "no token: send Authorization: Bearer <token>");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new TokenException(TokenException.Reason.MALFORMED, "token too long");
        }
        if (!COMPACT.matcher(token).matches()) {
            throw new TokenException(TokenException.Reason.MALFORMED,
                    "token is not three base64url parts separated by dots");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new TokenException(TokenException.Reason.MALFORMED, "token is not a JWT: " + e.getMessage());
        }
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new TokenException(TokenException.Reason.MALFORMED,
                    "token must be signed with HS256, not " + jwt.getHeader().getAlgorithm());
        }
        try {
            if (!jwt.verify(verifier)) {
                throw new TokenException(TokenException.Reason.BAD_SIGNATURE, "token signature does not match");
            }
        } catch (JOSEException e) {
            throw new TokenException(TokenException.Reason.BAD_SIGNATURE, "token signature cannot be checked");
        }
        try {
            JWTClaimsSet set = jwt.getJWTClaimsSet();
            Date exp = set.getExpirationTime();
            Date iat = set.getIssueTime();
            if (exp == null || iat == null) {
                throw new TokenException(TokenException.Reason.MALFORMED, "token lacks exp or iat");
            }
            Instant now = clock.instant();
            if (!exp.toInstant().plus(CLOCK_SKEW).isAfter(now)) {
                throw new TokenException(TokenException.Reason.EXPIRED, "token expired at " + exp.toInstant());
            }
            if (iat.toInstant().minus(CLOCK_SKEW).isAfter(now)) {
                throw new TokenException(TokenException.Reason.MALFORMED, "token issued in the future");
            }
            String room = set.getStringClaim("room");
            Protocol protocol = Protocol.fromClaim(set.getStringClaim("protocol")).orElseThrow(
                    () -> new TokenException(TokenException.Reason.MALFORMED, "token has no valid protocol claim"));
            Boolean publish = set.getBooleanClaim("publish");
            Boolean subscribe = set.getBooleanClaim("subscribe");
            return new TokenClaims(room == null ? "" : room, Optional.ofNullable(set.getStringClaim("peer")),
                    protocol, Boolean.TRUE.equals(publish), Boolean.TRUE.equals(subscribe), iat.toInstant(),
                    exp.toInstant());
        } catch (ParseException | IllegalArgumentException e) {
            throw new TokenException(TokenException.Reason.MALFORMED, "token claims are invalid: " + e.getMessage());
        }
    }

    /** Verifies and checks the token admits the bearer to {@code protocol}. */
    public TokenClaims verifyFor(String token, Protocol protocol) throws TokenException {
        TokenClaims claims = verify(token);
        if (claims.protocol() != protocol) {
            throw new TokenException(TokenException.Reason.WRONG_PROTOCOL,
                    "token is for " + claims.protocol().claim() + ", not " + protocol.claim());
        }
        return claims;
    }
}
