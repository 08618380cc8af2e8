package io.relaymesh.node.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.relaymesh.node.events.Event;
import io.relaymesh.node.events.EventData;
import io.relaymesh.node.events.EventEmitter;
import io.relaymesh.node.events.EventIds;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook sink against a real HTTP receiver (the JDK's server): every request carries a valid signature,
 * a 500 answer makes the connector retry the same event with backoff, the events after it wait, and all of
 * them arrive in order once the receiver recovers, also across a restart of the connector.
 */
class WebhookDeliveryTest {

    private static final byte[] SECRET = "webhook-test-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final Backoff FAST = new Backoff(Duration.ofMillis(20), Duration.ofMillis(200));

    @TempDir
    Path dir;

    private final List<Request> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private HttpServer server;

    record Request(String id, String body, boolean signatureValid, int status) {
    }

    private URI startReceiver() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        WebhookSignature verifier = new WebhookSignature(SECRET);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            boolean valid = verifier.verify(exchange.getRequestHeaders().getFirst("Relaymesh-Signature"),
                    exchange.getRequestHeaders().getFirst("Relaymesh-Timestamp"), body, Instant.now(),
                    Duration.ofMinutes(5))
                    && "application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"));
            int status = failuresLeft.getAndDecrement() > 0 ? 500 : 204;
            received.add(new Request(exchange.getRequestHeaders().getFirst("Relaymesh-Event-Id"),
                    new String(body, StandardCharsets.UTF_8), valid, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    @AfterEach
    void stopReceiver() {
        if (server != null) {
            server.stop(0);
        }
    }

    private ConnectorSettings settings(URI hook) {
        return new ConnectorSettings(dir.resolve("events"), Optional.empty(), "unused", List.of(hook),
                new LogSettings(4096, 1 << 20, FsyncPolicy.EVERY_BATCH), FAST, 1024);
    }

    private static List<Event> emit(EventConnector connector, int n) {
        EventEmitter emitter = new EventEmitter("eu-0", Clock.systemUTC(),
                new EventIds(Clock.systemUTC(), new SplittableRandom()), connector);
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(emitter.emit("room", "peer-" + i, "s1", new EventData.SessionConnecting("whip")));
        }
        return out;
    }

    @Test
    void signedDeliveryRetriedOn500UntilTheReceiverRecoversInOrder() throws Exception {
        URI hook = startReceiver();
        failuresLeft.set(3);
        List<Event> sent;
        try (EventConnector connector = EventConnector.start(settings(hook), SECRET, Clock.systemUTC())) {
            sent = emit(connector, 5);
            await("all 5 events accepted by the receiver").atMost(Duration.ofSeconds(20))
                    .until(() -> received.stream().filter(r -> r.status() == 204).count() == 5);
            assertThat(connector.deliveryFailures()).isEqualTo(3);
            assertThat(connector.queueDepth()).isZero();
        }
        List<String> ids = sent.stream().map(Event::id).toList();
        assertThat(received).allSatisfy(r -> assertThat(r.signatureValid()).as("signature of %s", r.id()).isTrue());
        assertThat(received.subList(0, 4)).as("the first event was tried 4 times before any other was sent")
                .extracting(Request::id).containsOnly(ids.getFirst());
        assertThat(received.stream().filter(r -> r.status() == 204).map(Request::id).toList()).isEqualTo(ids);
        assertThat(received.getLast().body()).isEqualTo(sent.getLast().toJson());
    }

    @Test
    void eventsQueuedWhileTheReceiverIsDownArriveAfterARestartOfTheConnector() throws Exception {
        URI hook = startReceiver();
        failuresLeft.set(Integer.MAX_VALUE);
        List<Event> sent;
        try (EventConnector connector = EventConnector.start(settings(hook), SECRET, Clock.systemUTC())) {
            sent = emit(connector, 20);
            await().atMost(Duration.ofSeconds(10)).until(() -> connector.written() == 20);
            await().atMost(Duration.ofSeconds(10)).until(() -> connector.deliveryFailures() >= 2);
        }
        failuresLeft.set(0);
        received.clear();
        try (EventConnector connector = EventConnector.start(settings(hook), SECRET, Clock.systemUTC())) {
            await("queued events delivered after the restart").atMost(Duration.ofSeconds(20))
                    .until(() -> received.size() >= 20);
            assertThat(received.stream().map(Request::id).toList()).isEqualTo(sent.stream().map(Event::id).toList());
            assertThat(connector.queueDepth()).isZero();
        }
    }
}
