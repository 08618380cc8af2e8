package io.relaymesh.node.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The NATS sink against a real nats-server: JetStream with acknowledgement and de-duplication, plain publish. */
class NatsDestinationTest {

    private static final String SUBJECT = "relaymesh.test.events";

    @TempDir
    Path dir;

    private static QueuedEvent event(String id) {
        return new QueuedEvent(id, ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withJetStreamItCreatesTheStreamAndTheServerDropsRedeliveredIds() throws Exception {
        try (NatsServer server = NatsServer.start(dir.resolve("js"), dir.resolve("nats.log"));
             NatsDestination nats = new NatsDestination(server.url(), SUBJECT);
             Connection check = Nats.connect(server.url())) {
            nats.deliver(event("a"));
            nats.deliver(event("b"));
            nats.deliver(event("a")); // a redelivery after a lost acknowledgement
            JetStreamManagement jsm = check.jetStreamManagement();
            StreamInfo info = jsm.getStreamInfo("RELAYMESH_TEST_EVENTS");
            assertThat(info.getConfiguration().getSubjects()).containsExactly(SUBJECT);
            assertThat(info.getStreamState().getMsgCount()).isEqualTo(2);
            MessageInfo first = jsm.getMessage("RELAYMESH_TEST_EVENTS", 1);
            assertThat(first.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo("a");
            assertThat(new String(first.getData(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"a\"}");
        }
    }

    @Test
    void withoutJetStreamItPublishesPlainly() throws Exception {
        try (NatsServer server = NatsServer.start(null, dir.resolve("nats.log"));
             NatsDestination nats = new NatsDestination(server.url(), SUBJECT);
             Connection check = Nats.connect(server.url())) {
            Subscription sub = check.subscribe(SUBJECT);
            check.flush(Duration.ofSeconds(5));
            nats.deliver(event("plain-1"));
            Message m = sub.nextMessage(Duration.ofSeconds(5));
            assertThat(m).isNotNull();
            assertThat(m.getHeaders().getFirst("Nats-Msg-Id")).isEqualTo("plain-1");
        }
    }

    @Test
    void aStoppedServerFailsTheDeliveryAndARestartedOneTakesItAgain() throws Exception {
        try (NatsServer server = NatsServer.start(dir.resolve("js"), dir.resolve("nats.log"));
             NatsDestination nats = new NatsDestination(server.url(), SUBJECT)) {
            nats.deliver(event("before"));
            server.stop();
            assertThatThrownBy(() -> nats.deliver(event("during"))).isInstanceOf(DeliveryException.class);
            server.start();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .untilAsserted(() -> nats.deliver(event("during")));
            try (Connection check = Nats.connect(server.url())) {
                assertThat(check.jetStreamManagement().getStreamInfo("RELAYMESH_TEST_EVENTS").getStreamState()
                        .getMsgCount()).isEqualTo(2);
            }
        }
    }
}
