package io.relaymesh.node.connector;

/**
 * Where the connector delivers queued events (NATS, a webhook). Called from the sink's own delivery thread, one
 * event at a time in queue order; returning normally means the destination has the event.
 */
public interface EventDestination extends AutoCloseable {

    /** Stable name: names the file that stores how far this destination got. */
    String name();

    void deliver(QueuedEvent event) throws DeliveryException;

    @Override
    void close();
}
