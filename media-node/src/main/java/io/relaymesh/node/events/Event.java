package io.relaymesh.node.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * One event: the envelope every event has (id, node, time, room, peer, session) and its type's data.
 * Serialized as one flat JSON object, see {@code docs/EVENTS.md}.
 *
 * @param id        unique id (a time-ordered UUID), for de-duplication by consumers
 * @param nodeId    the node that emitted it
 * @param time      when it happened (millisecond precision on the wire)
 * @param room      the room it concerns, or null
 * @param peer      the peer it concerns, or null
 * @param sessionId the session it concerns, or null
 */
public record Event(String id, String nodeId, Instant time, String room, String peer, String sessionId,
                    EventData data) {

    /** Version of the JSON layout ({@code v} field); bumped when a field changes meaning or is removed. */
    public static final int SCHEMA_VERSION = 1;

    /** RFC 3339 in UTC with exactly three fraction digits, so the field sorts as text. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(data, "data");
    }

    public EventType type() {
        return data.type();
    }

    /** The JSON object sent to NATS and webhooks. */
    public String toJson() {
        JsonWriter json = new JsonWriter()
                .number("v", SCHEMA_VERSION)
                .string("id", id)
                .string("type", data.type().wireName())
                .string("node", nodeId)
                .string("time", TIME.format(time))
                .string("room", room)
                .string("peer", peer)
                .string("session", sessionId);
        data.writeFields(json);
        return json.finish();
    }

    public byte[] toJsonBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }
}
