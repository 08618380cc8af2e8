package io.relaymesh.node.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The cluster secret. It signs tokens and authenticates cluster messages, so it is never printed by
 * accident: {@link #toString()} masks it and only {@link #reveal()} gives the value.
 */
public final class Secret {

    /** Shortest secret accepted: HS256 needs at least 256 bits of key. */
    public static final int MIN_LENGTH = 32;

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /** Wraps a user-supplied secret, rejecting ones too short to sign HS256 tokens safely. */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "secret");
        if (value.isBlank()) {
            throw new IllegalArgumentException("the cluster secret is empty");
        }
        if (value.getBytes(StandardCharsets.UTF_8).length < MIN_LENGTH) {
            throw new IllegalArgumentException(
                    "the cluster secret must be at least " + MIN_LENGTH + " bytes (HS256 needs a 256-bit key)");
        }
        return new Secret(value);
    }

    /** A fresh random secret of 32 random bytes, URL-safe base64 encoded (43 characters). */
    public static Secret random(RandomGenerator random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return new Secret(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    public static Secret random() {
        return random(new SecureRandom());
    }

    /** The secret's value. Call sites are the few places that sign or verify. */
    public String reveal() {
        return value;
    }

    public byte[] bytes() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** Constant-time comparison with a presented credential. */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(bytes(), presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other && MessageDigest.isEqual(bytes(), other.bytes());
    }

    @Override
    public int hashCode() {
        return 0; // deliberately uninformative
    }

    @Override
    public String toString() {
        return "Secret[****]";
    }
}
