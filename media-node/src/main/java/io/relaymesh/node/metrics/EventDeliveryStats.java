package io.relaymesh.node.metrics;

/**
 * What an event sink (the connector's durable queue towards NATS or webhooks) reports to {@code /metrics}.
 * Implementations are read from the scrape thread: the methods must be cheap, non-blocking and thread-safe.
 * Register one with {@link NodeMetrics#bindEventDelivery(String, EventDeliveryStats)}.
 */
public interface EventDeliveryStats {

    /** Events accepted but not yet delivered (the queue depth). */
    long pendingEvents();

    /** Events delivered and acknowledged since start. */
    long deliveredEvents();

    /** Delivery attempts that failed since start (each retry that fails counts). */
    long deliveryFailures();
}
