package io.relaymesh.node.cluster.membership;

import static io.relaymesh.node.cluster.membership.NodeParts.update;
import static io.relaymesh.node.cluster.wire.MemberState.ALIVE;
import static io.relaymesh.node.cluster.wire.MemberState.DEAD;
import static io.relaymesh.node.cluster.wire.MemberState.LEFT;
import static io.relaymesh.node.cluster.wire.MemberState.SUSPECT;
import static org.assertj.core.api.Assertions.assertThat;

import io.relaymesh.node.cluster.wire.MemberState;
import io.relaymesh.node.cluster.wire.MemberUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The member table alone: SWIM's precedence, suspicion timers, rejoin after restart, bounds and tombstones. */
class MemberTableTest {

    private NodeParts node;
    private MemberTable table;
    private final List<String> events = new ArrayList<>();

    @BeforeEach
    void setUp() {
        node = new NodeParts(SwimConfig.DEFAULTS);
        table = node.table;
        table.addListener(new MembershipListener() {
            @Override
            public void memberUp(Member m) {
                events.add("up " + m.id() + " " + m.state() + " " + m.incarnation());
            }

            @Override
            public void memberDown(Member m) {
                events.add("down " + m.id() + " " + m.state() + " " + m.incarnation());
            }

            @Override
            public void memberUpdated(Member m) {
                events.add("updated " + m.id() + " " + m.state() + " " + m.incarnation());
            }
        });
    }

    private MemberState state(int index) {
        return table.get("z1-" + index).state();
    }

    @ParameterizedTest(name = "{0} {1} then {2} {3}: applied {4}")
    @CsvSource({
        "ALIVE,   5, ALIVE,   5, false",
        "ALIVE,   5, ALIVE,   6, true",
        "ALIVE,   5, ALIVE,   4, false",
        "ALIVE,   5, SUSPECT, 5, true",
        "SUSPECT, 5, SUSPECT, 5, false",
        "SUSPECT, 5, ALIVE,   5, false",
        "SUSPECT, 5, ALIVE,   6, true",
        "SUSPECT, 5, DEAD,    5, true",
        "ALIVE,   5, DEAD,    4, false",
        "ALIVE,   5, LEFT,    5, true",
        "DEAD,    5, ALIVE,   5, false",
        "DEAD,    5, LEFT,    5, false",
        "DEAD,    5, SUSPECT, 6, true",
        "DEAD,    5, ALIVE,   6, true",
    })
    void aHigherIncarnationWinsAndAtEqualIncarnationDeadBeatsSuspectBeatsAlive(
            MemberState known, long knownIncarnation, MemberState next, long nextIncarnation, boolean applied) {
        assertThat(table.apply(update(known, 1, knownIncarnation))).isTrue();

        assertThat(table.apply(update(next, 1, nextIncarnation))).isEqualTo(applied);

        MemberUpdate now = table.get("z1-1").toUpdate();
        assertThat(now).isEqualTo(applied ? update(next, 1, nextIncarnation) : update(known, 1, knownIncarnation));
    }

    @Test
    void anUnrefutedSuspicionBecomesDeadExactlyWhenTheTimeoutEnds() {
        table.apply(update(ALIVE, 1, 5));
        Duration timeout = SwimConfig.DEFAULTS.suspicionTimeout();

        assertThat(table.suspect("z1-1")).isEqualTo(update(SUSPECT, 1, 5));
        node.advance(timeout.minusNanos(1));
        assertThat(state(1)).isEqualTo(SUSPECT);
        node.advance(Duration.ofNanos(1));

        assertThat(state(1)).isEqualTo(DEAD);
        assertThat(events).containsExactly("up z1-1 ALIVE 5", "updated z1-1 SUSPECT 5", "down z1-1 DEAD 5");
        assertThat(table.published()).filteredOn(m -> m.id().equals("z1-1"))
                .singleElement().extracting(Member::state).isEqualTo(DEAD);
    }

    @Test
    void aRefutationBeforeTheTimeoutKeepsTheMemberAndTheStaleTimerDoesNothing() {
        table.apply(update(ALIVE, 1, 5));
        table.suspect("z1-1");
        node.advance(Duration.ofMillis(400));

        assertThat(table.apply(update(ALIVE, 1, 6))).as("refuted with a higher incarnation").isTrue();
        node.advance(SwimConfig.DEFAULTS.suspicionTimeout().multipliedBy(3));

        assertThat(state(1)).isEqualTo(ALIVE);
        assertThat(events).containsExactly("up z1-1 ALIVE 5", "updated z1-1 SUSPECT 5", "updated z1-1 ALIVE 6");
    }

    @Test
    void aNewSuspicionAfterARefutationGetsItsOwnFullTimeout() {
        Duration timeout = SwimConfig.DEFAULTS.suspicionTimeout();
        table.apply(update(ALIVE, 1, 5));
        table.suspect("z1-1");
        node.advance(timeout.dividedBy(2));
        table.apply(update(ALIVE, 1, 6));
        table.suspect("z1-1");

        node.advance(timeout.dividedBy(2).plusMillis(1));
        assertThat(state(1)).as("the timer of the refuted suspicion is spent").isEqualTo(SUSPECT);
        node.advance(timeout.dividedBy(2));

        assertThat(state(1)).isEqualTo(DEAD);
        assertThat(table.get("z1-1").toUpdate()).isEqualTo(update(DEAD, 1, 6));
    }

    @Test
    void aSuspicionIsRaisedOnlyAgainstAnAliveMember() {
        table.apply(update(SUSPECT, 1, 5));
        table.apply(update(DEAD, 2, 5));

        assertThat(table.suspect("z1-1")).isNull();
        assertThat(table.suspect("z1-2")).isNull();
        assertThat(table.suspect("z1-9")).as("unknown").isNull();
    }

    @Test
    void aRestartedMemberRejoinsWithItsNewIncarnationAndIsProbedAgain() {
        table.apply(update(ALIVE, 1, 5));
        table.apply(update(DEAD, 1, 5));
        assertThat(table.upIds()).isEmpty();

        assertThat(table.apply(update(ALIVE, 1, 5))).as("its old life, once more").isFalse();
        assertThat(table.apply(update(ALIVE, 1, 9_000))).as("its new life").isTrue();

        assertThat(state(1)).isEqualTo(ALIVE);
        assertThat(table.upIds()).containsExactly("z1-1");
        assertThat(events).containsExactly("up z1-1 ALIVE 5", "down z1-1 DEAD 5", "up z1-1 ALIVE 9000");
        node.detector.probeTick();
        assertThat(node.sent).singleElement().extracting(NodeParts.Sent::destination).isEqualTo("z1-1");
    }

    @Test
    void aFullTableRefusesNewMembersButStillUpdatesKnownOnes() {
        SwimConfig two = new SwimConfig(Duration.ofMillis(250), Duration.ofMillis(120), 3, Duration.ofSeconds(1),
                Duration.ofMillis(150), 3, 4, Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(60), 2);
        MemberTable small = new NodeParts(two).table;
        small.apply(update(ALIVE, 1, 1));
        small.apply(update(ALIVE, 2, 1));

        assertThat(small.apply(update(ALIVE, 3, 1))).isFalse();
        assertThat(small.apply(update(ALIVE, 2, 2))).isTrue();

        assertThat(small.get("z1-3")).isNull();
        assertThat(small.upCount()).isEqualTo(2);
    }

    @Test
    void tombstonesStayForTheRetentionThenAreReaped() {
        table.apply(update(ALIVE, 1, 5));
        table.apply(update(LEFT, 1, 6));
        table.apply(update(ALIVE, 2, 5));
        table.publish();
        table.reapTick();
        Duration retention = SwimConfig.DEFAULTS.deadRetention();

        node.advance(retention.minusSeconds(1));
        assertThat(table.published()).extracting(Member::id).containsExactly("z1-0", "z1-1", "z1-2");
        node.advance(Duration.ofSeconds(2));

        assertThat(table.published()).extracting(Member::id).containsExactly("z1-0", "z1-2");
    }

    @Test
    void rttIsSmoothedWithWeightOneEighth() {
        table.apply(update(ALIVE, 1, 5));

        table.recordRtt("z1-1", 800_000);
        table.recordRtt("z1-1", 1_600_000);
        table.publish();

        assertThat(table.published().get(1).rtt()).contains(Duration.ofNanos(900_000));
    }

    @Test
    void theSnapshotListsThisNodeFirstAmongMembersSortedById() {
        table.apply(update(ALIVE, 3, 1));
        table.apply(update(SUSPECT, 1, 1));
        assertThat(table.published()).as("not yet published").isEmpty();

        table.publish();

        assertThat(table.published()).extracting(Member::id).containsExactly("z1-0", "z1-1", "z1-3");
        assertThat(table.published().getFirst().local()).isTrue();
        assertThat(table.fullState()).first().isEqualTo(node.self.alive());
    }

    @Test
    void aSampleHoldsAtMostKDistinctMatchingMembers() {
        for (int i = 1; i <= 10; i++) {
            table.apply(update(i % 2 == 0 ? ALIVE : DEAD, i, 1));
        }

        for (int k = 0; k <= 6; k++) {
            List<MemberTable.Entry> sample = table.sample(k, MemberTable.Entry::isUp);
            assertThat(sample).hasSize(Math.min(k, 5)).doesNotHaveDuplicates().allMatch(MemberTable.Entry::isUp);
        }
    }
}
