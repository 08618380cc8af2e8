package io.relaymesh.node.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    @Test
    void envelopeAndFieldsRoundTripThroughAJsonParser() {
        Event e = new Event("id-1", "eu-0", Instant.parse("2025-05-01T12:00:00Z"), "room \"1\"\n\\", "p\u0001",
                null, new EventData.SessionConnected("whip", 42));
        Map<String, Object> m = EventsDoc.members(e.toJson());
        assertThat(m.get("v")).isEqualTo(1L);
        assertThat(m.get("id")).isEqualTo("id-1");
        assertThat(m.get("type")).isEqualTo("session.connected");
        assertThat(m.get("node")).isEqualTo("eu-0");
        assertThat(m.get("time")).as("always three fraction digits").isEqualTo("2025-05-01T12:00:00.000Z");
        assertThat(m.get("room")).isEqualTo("room \"1\"\n\\");
        assertThat(m.get("peer")).isEqualTo("p\u0001");
        assertThat(m).containsEntry("session", null);
        assertThat(m.get("setupMillis")).isEqualTo(42L);
    }

    @Test
    void unknownFiguresAreNull() {
        Event e = new Event("id", "n", Instant.EPOCH, "r", "p", "s",
                new EventData.SessionStats("whep", 1000, 1, 2, -1, -1, Double.NaN, -1));
        Map<String, Object> m = EventsDoc.members(e.toJson());
        assertThat(m).containsEntry("packetsLost", null);
        assertThat(m).containsEntry("lossFraction", null);
        assertThat(m).containsEntry("jitterMillis", null);
        assertThat(m).containsEntry("rttMillis", null);
        assertThat(m.get("bitrateOutBps")).isEqualTo(2L);
    }

    @Test
    void idsAreVersion7UuidsCarryingTheTimeAndDiffer() {
        java.time.Clock clock = java.time.Clock.fixed(Instant.ofEpochMilli(0x0196_a3e5_0c8aL), java.time.ZoneOffset.UTC);
        EventIds ids = new EventIds(clock, new java.util.SplittableRandom(7));
        UUID a = UUID.fromString(ids.next());
        UUID b = UUID.fromString(ids.next());
        assertThat(a.version()).isEqualTo(7);
        assertThat(a.variant()).isEqualTo(2);
        assertThat(a.getMostSignificantBits() >>> 16).isEqualTo(0x0196_a3e5_0c8aL);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void wireNamesMapBackToTypes() {
        for (EventType t : EventType.values()) {
            assertThat(EventType.fromWireName(t.wireName())).isSameAs(t);
        }
    }
}
