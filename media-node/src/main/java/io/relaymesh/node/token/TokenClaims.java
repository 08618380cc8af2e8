package io.relaymesh.node.token;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a relaymesh token grants.
 *
 * @param room      the room the bearer may enter
 * @param peer      the bearer's peer id in the room; optional for viewers
 * @param protocol  the only protocol the token is valid for
 * @param publish   may publish tracks
 * @param subscribe may receive tracks
 * @param issuedAt  {@code iat}
 * @param expiresAt {@code exp}, always present and enforced
 */
public record TokenClaims(String room, Optional<String> peer, Protocol protocol, boolean publish, boolean subscribe,
                          Instant issuedAt, Instant expiresAt) {

    /** Room and peer names: what fits in a URL path segment, a log line and a NATS subject token. */
    public static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9_.-]{0,127}";

    public TokenClaims {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (!room.matches(NAME_PATTERN)) {
            throw new IllegalArgumentException("room must match " + NAME_PATTERN);
        }
        peer.ifPresent(p -> {
            if (!p.matches(NAME_PATTERN)) {
                throw new IllegalArgumentException("peer must match " + NAME_PATTERN);
            }
        });
        if (!expiresAt.isAfter(issuedAt)) {
            throw new IllegalArgumentException("exp must be after iat");
        }
    }
}
