package io.relaymesh.node.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    private static final byte[] BODY = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.ofEpochSecond(1_700_000_030L);
    private final WebhookSignature signature = new WebhookSignature("relaymesh-test-secret".getBytes(StandardCharsets.UTF_8));

    @Test
    void matchesOpensslOnTimestampDotBody() {
        // printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac 'relaymesh-test-secret' -hex
        assertThat(signature.sign(1_700_000_000L, BODY))
                .isEqualTo("v1=bce4dcb438fe9cce83185c8c7d1622416709c3ec53c59983b31a8a88fbd352e7");
    }

    @Test
    void verifiesItsOwnSignatureWithinTheTolerance() {
        String header = signature.sign(1_700_000_000L, BODY);
        assertThat(signature.verify(header, "1700000000", BODY, NOW, Duration.ofMinutes(5))).isTrue();
    }

    @Test
    void rejectsAChangedBodyTimestampKeyOrStaleRequest() {
        String header = signature.sign(1_700_000_000L, BODY);
        assertThat(signature.verify(header, "1700000000", "{\"a\":2}".getBytes(StandardCharsets.UTF_8), NOW,
                Duration.ofMinutes(5))).isFalse();
        assertThat(signature.verify(header, "1700000001", BODY, NOW, Duration.ofMinutes(5))).isFalse();
        assertThat(new WebhookSignature("other".getBytes(StandardCharsets.UTF_8))
                .verify(header, "1700000000", BODY, NOW, Duration.ofMinutes(5))).isFalse();
        assertThat(signature.verify(header, "1700000000", BODY, NOW.plusSeconds(600), Duration.ofMinutes(5))).isFalse();
        assertThat(signature.verify("v1=zz", "1700000000", BODY, NOW, Duration.ofMinutes(5))).isFalse();
        assertThat(signature.verify(header.substring(3), "1700000000", BODY, NOW, Duration.ofMinutes(5))).isFalse();
        assertThat(signature.verify(header, "soon", BODY, NOW, Duration.ofMinutes(5))).isFalse();
    }
}
