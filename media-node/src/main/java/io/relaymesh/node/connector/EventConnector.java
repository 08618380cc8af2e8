package io.relaymesh.node.connector;

import io.relaymesh.node.events.Event;
import io.relaymesh.node.events.EventSink;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event connector: takes events from emitters ({@link EventSink}), stores them in a durable queue on disk
 * and delivers them to NATS and webhooks, each destination at its own pace from its own acknowledged offset,
 * at least once and in queue order. Segments every destination has delivered are deleted.
 *
 * <p>Today emitters run in the same process and call {@link #accept}; the boundary is the {@link EventSink}
 * interface and the serialized {@link Event}, so a cluster transport can carry events from remote nodes to
 * the connector without changing either side.
 */
public final class EventConnector implements EventSink, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventConnector.class);
    /** At shutdown, how long destinations get to deliver what is queued before the process exits. */
    private static final Duration DRAIN = Duration.ofSeconds(2);

    private final SegmentLog log;
    private final QueueWriter writer;
    private final List<DeliveryWorker> workers;

    private EventConnector(SegmentLog log, QueueWriter writer, List<DeliveryWorker> workers) {
        this.log = log;
        this.writer = writer;
        this.workers = workers;
    }

    /** Starts the connector with the destinations {@code settings} names; webhooks are signed with {@code key}. */
    public static EventConnector start(ConnectorSettings settings, byte[] webhookKey, Clock clock) throws IOException {
        List<EventDestination> destinations = new ArrayList<>();
        settings.natsUrl().ifPresent(url -> destinations.add(new NatsDestination(url, settings.subject())));
        WebhookSignature signature = new WebhookSignature(webhookKey);
        for (URI url : settings.webhookUrls()) {
            destinations.add(new WebhookDestination(url, signature, clock));
        }
        return start(settings, destinations);
    }

    /** Starts the connector delivering to {@code destinations}. */
    public static EventConnector start(ConnectorSettings settings, List<EventDestination> destinations) throws IOException {
        SegmentLog log = SegmentLog.open(settings.queueDir(), settings.log(), System::nanoTime);
        List<DeliveryWorker> workers = new ArrayList<>();
        SplittableRandom random = new SplittableRandom();
        EventConnector[] self = new EventConnector[1];
        try {
            for (EventDestination d : destinations) {
                AckFile ack = new AckFile(settings.queueDir().resolve(d.name() + ".ack"));
                workers.add(new DeliveryWorker(log, ack, d, settings.backoff(), random.split(),
                        () -> self[0].release()));
            }
        } catch (IOException e) {
            log.close();
            throw e;
        }
        QueueWriter writer = new QueueWriter(log, settings.memoryCapacity());
        EventConnector connector = new EventConnector(log, writer, workers);
        self[0] = connector;
        writer.start();
        workers.forEach(DeliveryWorker::start);
        LOG.info("event connector: queue {} ({} events waiting), delivering to {}", settings.queueDir(),
                connector.queueDepth(), workers.stream().map(DeliveryWorker::name).toList());
        return connector;
    }

    /** Hands an event to the queue writer; never blocks. */
    @Override
    public void accept(Event event) {
        writer.accept(event);
    }

    /** Deletes segments that every destination has delivered. */
    private void release() {
        long min = Long.MAX_VALUE;
        for (DeliveryWorker w : workers) {
            min = Math.min(min, w.acked());
        }
        if (min == Long.MAX_VALUE) {
            min = log.endOffset(); // no destination: nothing to keep
        }
        try {
            log.deleteBefore(min);
        } catch (IOException e) {
            LOG.warn("event queue: deleting delivered segments: {}", e.toString());
        }
    }

    /** Events on disk that at least one destination has not delivered yet. */
    public long queueDepth() {
        long min = log.endOffset();
        for (DeliveryWorker w : workers) {
            min = Math.min(min, w.acked());
        }
        return log.endOffset() - min;
    }

    /** Failed delivery attempts, all destinations together. */
    public long deliveryFailures() {
        return workers.stream().mapToLong(DeliveryWorker::failures).sum();
    }

    /** Events delivered, all destinations together. */
    public long delivered() {
        return workers.stream().mapToLong(DeliveryWorker::delivered).sum();
    }

    /** Events never queued: the in-memory hand-off was full, or they arrived after close. */
    public long dropped() {
        return writer.dropped() + log.droppedForSpace() + log.droppedCorrupt();
    }

    /** Events written to the durable queue by this process. */
    public long written() {
        return writer.written();
    }

    /**
     * Writes what was accepted, gives destinations a moment to deliver it, then stops. Anything still
     * undelivered stays on disk and is delivered after the next start.
     */
    @Override
    public void close() {
        try {
            writer.close();
            long deadline = System.nanoTime() + DRAIN.toNanos();
            while (queueDepth() > 0 && System.nanoTime() < deadline) {
                log.awaitRecord(Long.MAX_VALUE, 50, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
            for (DeliveryWorker w : workers) {
                w.stop(Duration.ofSeconds(12));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            long left = queueDepth();
            log.close();
            LOG.info("event connector stopped; {} events left in the queue for the next start", left);
        }
    }
}
