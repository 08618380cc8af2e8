package io.relaymesh.node.events;

/**
 * Where emitted events go: today the connector in the same process, later a client that sends them to a
 * connector node over the cluster. Called on the media event loop and other latency-sensitive threads, so
 * {@link #accept} must never block: it hands the event over (or counts it as dropped) and returns.
 */
@FunctionalInterface
public interface EventSink {

    /** Discards everything (no connector configured). */
    EventSink NONE = event -> { };

    void accept(Event event);
}
