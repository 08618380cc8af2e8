package io.relaymesh.node.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.relaymesh.node.cluster.membership.Member;
import io.relaymesh.node.cluster.wire.MemberState;
import io.relaymesh.node.gateway.Route;
import io.relaymesh.node.gateway.RouteReason;
import io.relaymesh.node.gateway.SessionRouter.Endpoint;
import io.relaymesh.node.sfu.MediaKind;
import io.relaymesh.node.sfu.SessionStatsProbe.SessionStats;
import io.relaymesh.node.sfu.SfuListener;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/EVENTS.md against what the node emits: every event type is produced through the same code the node
 * runs (SfuEvents for SFU callbacks, SessionStatsReporter for stats, RoutingEvents for the gateway's routes,
 * ClusterEvents for membership) and its JSON must match the documented members, order and types; the doc's examples must match too.
 */
class EventsDocTest {

    private static final SfuListener.SessionInfo PUBLISHER = new SfuListener.SessionInfo("s1", "whip", "demo", "alice");
    private static final SfuListener.SessionInfo VIEWER = new SfuListener.SessionInfo("s2", "whep", "demo", "bob");

    private final EventsDoc doc = EventsDoc.load();

    /** One event of every type (stats twice: publisher with loss figures, viewer with nulls). */
    static List<Event> everyType() {
        List<Event> events = new ArrayList<>();
        AtomicLong nanos = new AtomicLong();
        EventEmitter emitter = new EventEmitter("eu-0", Clock.fixed(Instant.parse("2025-05-01T12:00:00Z"), ZoneOffset.UTC),
                new EventIds(Clock.systemUTC(), new SplittableRandom(1)), events::add);
        SfuEvents sfu = new SfuEvents(emitter);
        sfu.sessionOpened(PUBLISHER);
        sfu.sessionConnected(PUBLISHER, 150);
        sfu.peerJoined("demo", "alice");
        SfuListener.TrackInfo track = new SfuListener.TrackInfo("s1:1", "demo", "alice", "s1", MediaKind.VIDEO, "VP8");
        sfu.trackStarted(track);
        SessionStatsReporter stats = new SessionStatsReporter(null, emitter, nanos::get);
        stats.report(List.of(
                new SessionStats("s1", "whip", "demo", "alice", 1000, 100, 10, 2, 10, 0, 1.5, -1),
                new SessionStats("s2", "whep", "demo", "bob", 100, 1000, 2, 10, -1, -1, -1, -1)));
        nanos.set(1_000_000_000L);
        stats.report(List.of(
                new SessionStats("s1", "whip", "demo", "alice", 126_000, 700, 110, 8, 110, 2, 2.25, -1),
                new SessionStats("s2", "whep", "demo", "bob", 700, 126_000, 8, 110, -1, -1, -1, 12)));
        sfu.sessionWarning(PUBLISHER, "rtmp.b-frames", "the stream has B-frames");
        sfu.trackEnded(track);
        sfu.peerLeft("demo", "alice");
        sfu.sessionClosed(PUBLISHER, new SfuListener.SessionSummary(5000, 126_000, 700, 110, 8, -1), "ended by the client (DELETE)");
        sfu.sessionClosed(VIEWER, new SfuListener.SessionSummary(5000, 700, 126_000, 8, 110, 12), "node shutting down");
        // The gateway's and the cluster's events through the listeners the gateway and media roles install.
        RoutingEvents routing = new RoutingEvents(emitter);
        routing.routed(new Route(Endpoint.WHIP, "demo", Optional.of("alice"), Optional.of("s1"), Optional.of("eu-1"),
                Optional.of("eu"), "eu", Optional.of(RouteReason.LEAST_LOADED), 3, Optional.empty()));
        routing.routed(new Route(Endpoint.WHEP, "demo", Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), "eu", Optional.empty(), 4, Optional.of("no media node below its load limits")));
        List<Member> view = List.of(ClusterEventsTest.member("eu-0", MemberState.ALIVE, true),
                ClusterEventsTest.member("eu-1", MemberState.LEFT, false));
        ClusterEvents cluster = new ClusterEvents(emitter, "eu-0", () -> view);
        cluster.joined("eu", "10.0.0.7:7946");
        cluster.memberDown(view.get(1));
        return events;
    }

    @Test
    void everyEmittedEventMatchesItsDocumentedSchema() {
        List<Event> events = everyType();
        assertThat(events.stream().map(Event::type).collect(Collectors.toSet()))
                .as("the fixture emits every event type").containsExactlyInAnyOrder(EventType.values());
        for (Event e : events) {
            assertThat(doc.problems(e.toJson())).as("%s", e.toJson()).isEmpty();
        }
    }

    @Test
    void theDocDocumentsExactlyTheEventTypesWithTheirOrigins() {
        assertThat(doc.types().keySet()).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(EventType.values()).map(EventType::wireName).toList());
        Map<String, String> origins = new TreeMap<>();
        for (EventType t : EventType.values()) {
            origins.put(t.wireName(), t.origin().name().toLowerCase(Locale.ROOT));
        }
        Map<String, String> documented = new TreeMap<>();
        doc.types().forEach((name, type) -> documented.put(name, type.origin()));
        assertThat(documented).isEqualTo(origins);
    }

    @Test
    void everyExampleInTheDocMatchesItsTable() {
        for (EventsDoc.Type type : doc.types().values()) {
            assertThat(type.example()).as("example of %s", type.name()).isNotNull();
            assertThat(doc.problems(type.example())).as("example of %s", type.name()).isEmpty();
            assertThat(EventsDoc.members(type.example()).get("type")).isEqualTo(type.name());
            assertThat(EventsDoc.members(type.example()).get("v")).isEqualTo((long) Event.SCHEMA_VERSION);
        }
    }

    @Test
    void aFieldMissingFromTheDocIsReported() throws Exception {
        String text = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "EVENTS.md"));
        String withoutSetup = text.replace("| `setupMillis` | integer | from the accepted offer to this moment |\n", "");
        assertThat(withoutSetup).isNotEqualTo(text);
        EventsDoc stale = EventsDoc.parse(withoutSetup);
        Event connected = everyType().stream().filter(e -> e.type() == EventType.SESSION_CONNECTED).findFirst().orElseThrow();
        assertThat(stale.problems(connected.toJson())).singleElement().asString().contains("setupMillis");
    }

    @Test
    void aTypeChangeIsReported() {
        String text = "## Envelope\n| `v` | integer | x |\n## Event types\n### peer.joined\nEmitted by: media. x\n"
                + "| `v2` | string | x |\n";
        EventsDoc wrong = EventsDoc.parse(text);
        assertThat(wrong.problems("{\"v\":\"1\",\"type\":\"peer.joined\"}")).isNotEmpty();
    }
}
