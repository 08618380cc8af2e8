package io.relaymesh.node.connector;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

/**
 * POSTs each event as JSON to a URL, signed (see {@link WebhookSignature}). Any 2xx answer delivers it; any
 * other answer or a network error fails the attempt and the connector retries the same event with backoff,
 * holding back the ones after it so the receiver sees them in order.
 */
public final class WebhookDestination implements EventDestination {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI url;
    private final WebhookSignature signature;
    private final Clock clock;
    private final HttpClient client;
    private final String name;

    public WebhookDestination(URI url, WebhookSignature signature, Clock clock) {
        this.url = url;
        this.signature = signature;
        this.clock = clock;
        this.client = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        this.name = "webhook-" + shortHash(url.toString());
    }

    /** {@code webhook-} and 12 hex digits of the URL's SHA-256: stable across restarts and flag order. */
    @Override
    public String name() {
        return name;
    }

    @Override
    public void deliver(QueuedEvent event) throws DeliveryException {
        long now = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header(WebhookSignature.EVENT_ID_HEADER, event.id())
                .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(now))
                .header(WebhookSignature.SIGNATURE_HEADER, signature.sign(now, event.json()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(event.json()))
                .build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new DeliveryException("webhook " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted while posting to webhook " + url, e);
        }
        if (response.statusCode() / 100 != 2) {
            String body = response.body();
            throw new DeliveryException("webhook " + url + " answered " + response.statusCode()
                    + (body.isBlank() ? "" : ": " + (body.length() > 200 ? body.substring(0, 200) : body)));
        }
    }

    private static String shortHash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
