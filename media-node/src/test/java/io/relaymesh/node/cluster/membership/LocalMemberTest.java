package io.relaymesh.node.cluster.membership;

import static io.relaymesh.node.cluster.membership.NodeParts.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.relaymesh.node.cluster.wire.MemberState;
import io.relaymesh.node.cluster.wire.MemberUpdate;
import io.relaymesh.node.cluster.wire.NodeLoad;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** This node's own record: where its incarnation starts, when it rises, and which rumours about it it refutes. */
class LocalMemberTest {

    private static final long START = NodeParts.EPOCH.toEpochMilli();

    private final LocalMember self = new LocalMember(NodeParts.metadata(0), Clock.fixed(NodeParts.EPOCH, ZoneOffset.UTC));

    @Test
    void theIncarnationStartsAtTheWallClockSoARestartBeginsAboveItsEarlierLife() {
        assertThat(self.incarnation()).isEqualTo(START);
        LocalMember restarted = new LocalMember(NodeParts.metadata(0),
                Clock.fixed(NodeParts.EPOCH.plusSeconds(5), ZoneOffset.UTC));
        assertThat(restarted.incarnation()).isGreaterThan(self.incarnation());
    }

    @ParameterizedTest(name = "{0} at {1} relative to this node: refuted {2}")
    @CsvSource({
        "SUSPECT, 0, true",
        "SUSPECT, 3, true",
        "SUSPECT, -1, false",
        "DEAD, 0, true",
        "DEAD, -1, false",
        "LEFT, 0, true",
        "ALIVE, 0, false",
        "ALIVE, -1, false",
        "ALIVE, 2, true",
    })
    void accusationsAtOrAboveTheIncarnationAndAliveFromALaterIncarnationAreRefutedAboveThem(
            MemberState state, long offset, boolean refuted) {
        MemberUpdate rumour = update(state, 0, START + offset);

        MemberUpdate answer = self.refute(rumour);

        if (refuted) {
            assertThat(answer).isEqualTo(update(MemberState.ALIVE, 0, START + offset + 1));
            assertThat(self.incarnation()).isEqualTo(START + offset + 1);
        } else {
            assertThat(answer).isNull();
            assertThat(self.incarnation()).isEqualTo(START);
        }
    }

    @Test
    void newLoadAndALeaveEachComeAtAHigherIncarnation() {
        NodeLoad load = new NodeLoad(500, 400, 3, 100, 1_000, 2_000);

        MemberUpdate loaded = self.withLoad(load, java.util.Map.of());
        MemberUpdate left = self.leaving();

        assertThat(loaded.incarnation()).isEqualTo(START + 1);
        assertThat(loaded.metadata().load()).isEqualTo(load);
        assertThat(left.state()).isEqualTo(MemberState.LEFT);
        assertThat(left.incarnation()).isEqualTo(START + 2);
        assertThat(left.metadata().load()).isEqualTo(load);
    }

    @Test
    void theMemberListShowsThisNodeAliveWhileRunningAndLeftOnceStopped() {
        self.running(true);
        assertThat(self.toMember().state()).isEqualTo(MemberState.ALIVE);
        assertThat(self.toMember().local()).isTrue();
        self.running(false);
        assertThat(self.toMember().state()).isEqualTo(MemberState.LEFT);
    }
}
