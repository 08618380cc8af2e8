package io.relaymesh.node.connector;

import io.relaymesh.node.config.NodeSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The event connector's configuration.
 *
 * @param queueDir        directory of the durable queue ({@code <data-dir>/events})
 * @param natsUrl         NATS server, when events go to NATS
 * @param subject         NATS subject
 * @param webhookUrls     webhook receivers
 * @param log             segment size, disk limit, fsync policy of the queue
 * @param backoff         delay between delivery attempts
 * @param memoryCapacity  events held in memory between the emitter and the queue writer; beyond it new events
 *                        are dropped and counted (the emitter never blocks)
 */
public record ConnectorSettings(Path queueDir, Optional<String> natsUrl, String subject, List<URI> webhookUrls,
                                LogSettings log, Backoff backoff, int memoryCapacity) {

    public static final int DEFAULT_MEMORY_CAPACITY = 65_536;

    public ConnectorSettings {
        Objects.requireNonNull(queueDir, "queueDir");
        Objects.requireNonNull(natsUrl, "natsUrl");
        Objects.requireNonNull(subject, "subject");
        webhookUrls = List.copyOf(webhookUrls);
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(backoff, "backoff");
        if (memoryCapacity < 1) {
            throw new IllegalArgumentException("memory capacity must be positive: " + memoryCapacity);
        }
    }

    /** Whether a node with these settings exports events: a NATS URL or a webhook was given. */
    public static boolean enabled(NodeSettings node) {
        return node.natsUrl().isPresent() || !node.webhookUrls().isEmpty();
    }

    /** The node's connector flags with the default queue shape. */
    public static ConnectorSettings of(NodeSettings node) {
        return new ConnectorSettings(node.dataDir().resolve("events"), node.natsUrl(), node.eventsSubject(),
                node.webhookUrls().stream().map(URI::create).toList(), LogSettings.DEFAULTS, Backoff.DEFAULT,
                DEFAULT_MEMORY_CAPACITY);
    }
}
