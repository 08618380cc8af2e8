package io.relaymesh.node.connector;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature on webhook requests: {@code Relaymesh-Signature: v1=<hex HMAC-SHA256>} over
 * {@code <Relaymesh-Timestamp value> "." <body bytes>}, keyed with the cluster secret's bytes. Signing the
 * timestamp lets a receiver refuse replays of old requests. See docs/EVENTS.md for how to verify.
 */
public final class WebhookSignature {

    public static final String SIGNATURE_HEADER = "Relaymesh-Signature";
    public static final String TIMESTAMP_HEADER = "Relaymesh-Timestamp";
    public static final String EVENT_ID_HEADER = "Relaymesh-Event-Id";
    static final String SCHEME = "v1=";

    private final byte[] key;

    public WebhookSignature(byte[] key) {
        if (key.length == 0) {
            throw new IllegalArgumentException("webhook signing key is empty");
        }
        this.key = key.clone();
    }

    /** The header value for a body sent at {@code unixSeconds}. */
    public String sign(long unixSeconds, byte[] body) {
        return SCHEME + HexFormat.of().formatHex(mac(unixSeconds, body));
    }

    /**
     * Whether {@code signatureHeader} is this key's signature of {@code body} at {@code timestampHeader}, and
     * that timestamp lies within {@code tolerance} of {@code now}.
     */
    public boolean verify(String signatureHeader, String timestampHeader, byte[] body, Instant now, Duration tolerance) {
        if (signatureHeader == null || timestampHeader == null || !signatureHeader.startsWith(SCHEME)) {
            return false;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestampHeader);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - seconds) > tolerance.toSeconds()) {
            return false;
        }
        byte[] presented;
        try {
            presented = HexFormat.of().parseHex(signatureHeader.substring(SCHEME.length()));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(presented, mac(seconds, body));
    }

    private byte[] mac(long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
