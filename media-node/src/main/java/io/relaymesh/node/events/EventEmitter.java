package io.relaymesh.node.events;

import java.time.Clock;

/**
 * Stamps event data with this node's id, a fresh id and the time, and hands the event to the sink. Safe to
 * call from any thread when the sink is.
 */
public final class EventEmitter {

    private final String nodeId;
    private final Clock clock;
    private final EventIds ids;
    private final EventSink sink;

    public EventEmitter(String nodeId, Clock clock, EventIds ids, EventSink sink) {
        this.nodeId = nodeId;
        this.clock = clock;
        this.ids = ids;
        this.sink = sink;
    }

    /** Builds the event, hands it to the sink and returns it. */
    public Event emit(String room, String peer, String sessionId, EventData data) {
        Event event = new Event(ids.next(), nodeId, clock.instant(), room, peer, sessionId, data);
        sink.accept(event);
        return event;
    }
}
