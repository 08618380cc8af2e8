package io.relaymesh.node.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.relaymesh.node.cluster.membership.Member;
import io.relaymesh.node.cluster.wire.MemberState;
import io.relaymesh.node.cluster.wire.NodeLoad;
import io.relaymesh.node.cluster.wire.NodeMetadata;
import io.relaymesh.node.config.Role;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * One membership change gives one event for the whole cluster: every member runs {@link ClusterEvents} over its
 * own view, and exactly one of them (the lowest other up member) reports a departure; a join is reported by the
 * joiner only.
 */
class ClusterEventsTest {

    static Member member(String id, MemberState state, boolean local) {
        String zone = id.substring(0, id.lastIndexOf('-'));
        int index = Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
        NodeMetadata metadata = new NodeMetadata(zone, index, Set.of(Role.MEDIA),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 7000 + index), Optional.empty(),
                Optional.empty(), NodeLoad.IDLE, "test");
        return new Member(id, state, 1, metadata, Optional.empty(), local);
    }

    /** What each member of {@code ids} emits when it hears that {@code changed} went to {@code state}. */
    private static Map<String, List<Event>> everyMemberHears(List<String> ids, String changed, MemberState state) {
        Map<String, List<Event>> emitted = new java.util.TreeMap<>();
        for (String observer : ids) {
            if (observer.equals(changed)) {
                continue;
            }
            List<Member> view = ids.stream()
                    .map(id -> member(id, id.equals(changed) ? state : MemberState.ALIVE, id.equals(observer)))
                    .toList();
            List<Event> events = new ArrayList<>();
            ClusterEvents listener = new ClusterEvents(emitter(observer, events), observer, () -> view);
            listener.memberDown(view.stream().filter(m -> m.id().equals(changed)).findFirst().orElseThrow());
            emitted.put(observer, events);
        }
        return emitted;
    }

    private static EventEmitter emitter(String nodeId, List<Event> sink) {
        return new EventEmitter(nodeId, Clock.fixed(Instant.parse("2025-05-01T12:00:00Z"), ZoneOffset.UTC),
                new EventIds(Clock.systemUTC(), new SplittableRandom(7)), sink::add);
    }

    @ParameterizedTest
    @EnumSource(value = MemberState.class, names = {"DEAD", "LEFT"})
    void aDepartureIsReportedOnceByTheLowestSurvivor(MemberState state) {
        Map<String, List<Event>> emitted = everyMemberHears(List.of("a-1", "a-2", "a-3", "b-1"), "a-2", state);
        assertThat(emitted.get("a-1")).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(EventType.NODE_LEFT);
            assertThat(e.nodeId()).isEqualTo("a-1");
            assertThat(e.data()).isEqualTo(new EventData.NodeLeft("a-2", "a",
                    state == MemberState.LEFT ? ClusterEvents.SHUTDOWN : ClusterEvents.FAILED));
        });
        assertThat(emitted.get("a-3")).isEmpty();
        assertThat(emitted.get("b-1")).isEmpty();
    }

    @Test
    void whenTheLowestMemberItselfLeavesTheNextLowestReports() {
        Map<String, List<Event>> emitted = everyMemberHears(List.of("a-1", "a-2", "a-3"), "a-1", MemberState.DEAD);
        assertThat(emitted.get("a-2")).singleElement().extracting(Event::data)
                .isEqualTo(new EventData.NodeLeft("a-1", "a", ClusterEvents.FAILED));
        assertThat(emitted.get("a-3")).isEmpty();
    }

    @Test
    void membersAlreadyGoneDoNotCountAsReporters() {
        // a-1 died earlier and is still listed (tombstone): a-2 is the lowest up member and reports a-3.
        List<Member> view = List.of(member("a-1", MemberState.DEAD, false), member("a-2", MemberState.ALIVE, true),
                member("a-3", MemberState.LEFT, false));
        List<Event> events = new ArrayList<>();
        new ClusterEvents(emitter("a-2", events), "a-2", () -> view).memberDown(view.get(2));
        assertThat(events).singleElement().extracting(Event::data)
                .isEqualTo(new EventData.NodeLeft("a-3", "a", ClusterEvents.SHUTDOWN));
    }

    @Test
    void aJoinIsReportedByTheJoinerWithItsOwnAddress() {
        List<Event> events = new ArrayList<>();
        ClusterEvents joiner = new ClusterEvents(emitter("b-4", events), "b-4", List::of);
        joiner.joined("b", "127.0.0.1:4040");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.nodeId()).isEqualTo("b-4");
            assertThat(e.data()).isEqualTo(new EventData.NodeJoined("b-4", "b", "127.0.0.1:4040"));
            assertThat(e.room()).isNull();
        });
    }

    @Test
    void membersThatComeUpAreNotReportedByTheirObservers() {
        List<Member> view = List.of(member("a-1", MemberState.ALIVE, true), member("a-2", MemberState.ALIVE, false));
        List<Event> events = new ArrayList<>();
        ClusterEvents observer = new ClusterEvents(emitter("a-1", events), "a-1", () -> view);
        observer.memberUp(view.get(1));
        observer.memberUpdated(view.get(1));
        assertThat(events).as("a-2 reports its own join; a new node meeting a-1 must not report a-1 as joined")
                .isEmpty();
    }

    @Test
    void aDepartureAnnouncedAgainIsReportedOnceUntilTheMemberComesBack() {
        List<Member> view = List.of(member("a-1", MemberState.ALIVE, true), member("a-2", MemberState.DEAD, false));
        List<Event> events = new ArrayList<>();
        ClusterEvents reporter = new ClusterEvents(emitter("a-1", events), "a-1", () -> view);
        reporter.memberDown(view.get(1));
        reporter.memberDown(view.get(1)); // a DEAD rumour of a newer incarnation
        reporter.memberDown(member("a-2", MemberState.LEFT, false));
        assertThat(events).hasSize(1);
        reporter.memberUp(member("a-2", MemberState.ALIVE, false)); // restarted
        reporter.memberDown(view.get(1));
        assertThat(events).hasSize(2);
    }
}
