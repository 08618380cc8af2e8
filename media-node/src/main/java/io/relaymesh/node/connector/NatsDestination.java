package io.relaymesh.node.connector;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to a NATS subject. When the server has JetStream, each event is published to the stream
 * that captures the subject (created as {@link #streamName} if none does) and counts as delivered only once
 * the server acknowledges storing it; the {@code Nats-Msg-Id} header carries the event id, so the stream drops
 * a redelivered duplicate within its duplicate window. Without JetStream it is a plain publish followed by a
 * flush (the server has received it; subscribers that are not connected miss it).
 *
 * <p>The connection is made on demand and not reconnected by the client library: a lost connection fails the
 * delivery, the connector backs off and the next attempt connects afresh. Nothing is buffered in the client
 * while disconnected, so nothing is reported delivered that never left.
 */
public final class NatsDestination implements EventDestination {

    /** JetStream duplicate window of a stream this class creates. */
    static final Duration DUPLICATE_WINDOW = Duration.ofMinutes(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(NatsDestination.class);

    private final String url;
    private final String subject;
    private Connection connection;
    private JetStream jetStream;

    public NatsDestination(String url, String subject) {
        this.url = url;
        this.subject = subject;
    }

    @Override
    public String name() {
        return "nats";
    }

    /** The stream created for {@code subject} when none captures it: e.g. relaymesh.events -> RELAYMESH_EVENTS. */
    public static String streamName(String subject) {
        return subject.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_-]", "_");
    }

    @Override
    public void deliver(QueuedEvent event) throws DeliveryException {
        connect();
        Headers headers = new Headers().add("Nats-Msg-Id", event.id());
        try {
            if (jetStream != null) {
                PublishAck ack = jetStream.publish(subject, headers, event.json(),
                        PublishOptions.builder().messageId(event.id()).build());
                if (ack.hasError()) {
                    throw new DeliveryException("JetStream refused event " + event.id() + ": " + ack.getError());
                }
            } else {
                connection.publish(subject, headers, event.json());
                connection.flush(TIMEOUT);
            }
        } catch (IOException | JetStreamApiException | TimeoutException | IllegalStateException e) {
            disconnect();
            throw new DeliveryException("NATS " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted while publishing to NATS", e);
        }
    }

    private void connect() throws DeliveryException {
        if (connection != null && connection.getStatus() == Connection.Status.CONNECTED) {
            return;
        }
        disconnect();
        Options options = new Options.Builder()
                .server(url)
                .connectionName("relaymesh-connector")
                .connectionTimeout(TIMEOUT)
                .noReconnect()
                .build();
        try {
            connection = Nats.connect(options);
        } catch (IOException e) {
            throw new DeliveryException("cannot connect to NATS " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted while connecting to NATS", e);
        }
        try {
            if (connection.getServerInfo().isJetStreamAvailable()) {
                String stream = ensureStream(connection.jetStreamManagement());
                jetStream = connection.jetStream(JetStreamOptions.builder().requestTimeout(TIMEOUT).build());
                LOG.info("connected to NATS {}: JetStream stream {} captures {}", url, stream, subject);
            } else {
                jetStream = null;
                LOG.info("connected to NATS {}: no JetStream, plain publish to {}", url, subject);
            }
        } catch (IOException | JetStreamApiException e) {
            disconnect();
            throw new DeliveryException("NATS " + url + ": cannot set up the JetStream stream for " + subject
                    + ": " + e.getMessage(), e);
        }
    }

    private String ensureStream(JetStreamManagement jsm) throws IOException, JetStreamApiException {
        List<String> existing = jsm.getStreamNames(subject);
        if (!existing.isEmpty()) {
            return existing.getFirst();
        }
        String name = streamName(subject);
        jsm.addStream(StreamConfiguration.builder()
                .name(name)
                .subjects(subject)
                .storageType(StorageType.File)
                .duplicateWindow(DUPLICATE_WINDOW)
                .build());
        LOG.info("created JetStream stream {} for {}", name, subject);
        return name;
    }

    private void disconnect() {
        jetStream = null;
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        disconnect();
    }
}
