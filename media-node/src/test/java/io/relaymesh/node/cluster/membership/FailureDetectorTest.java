package io.relaymesh.node.cluster.membership;

import static io.relaymesh.node.cluster.membership.NodeParts.update;
import static io.relaymesh.node.cluster.wire.MemberState.ALIVE;
import static io.relaymesh.node.cluster.wire.MemberState.DEAD;
import static io.relaymesh.node.cluster.wire.MemberState.SUSPECT;
import static org.assertj.core.api.Assertions.assertThat;

import io.relaymesh.node.cluster.membership.NodeParts.Sent;
import io.relaymesh.node.cluster.wire.Ack;
import io.relaymesh.node.cluster.wire.Gossip;
import io.relaymesh.node.cluster.wire.MessageType;
import io.relaymesh.node.cluster.wire.Ping;
import io.relaymesh.node.cluster.wire.PingRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One probe round of node z1-0 among four ALIVE members, in virtual time: the direct ping, the indirect probes
 * after the probe timeout, suspicion at the end of the interval, and the indirect probes it runs for others.
 */
class FailureDetectorTest {

    private static final Duration PROBE_TIMEOUT = SwimConfig.DEFAULTS.probeTimeout();
    private static final Duration PROBE_INTERVAL = SwimConfig.DEFAULTS.probeInterval();

    private NodeParts node;
    private String target;
    private int probeId;

    @BeforeEach
    void probeOneMember() {
        node = new NodeParts(SwimConfig.DEFAULTS);
        for (int i = 1; i <= 4; i++) {
            node.table.apply(update(ALIVE, i, 7));
        }
        node.detector.probeTick();
        Sent ping = node.sent.getFirst();
        assertThat(node.sent).hasSize(1);
        assertThat(ping.type()).isEqualTo(MessageType.PING);
        target = ping.destination();
        probeId = ((Ping) ping.body()).probeId();
        assertThat(ping.to()).isEqualTo(node.table.get(target).address());
    }

    private MemberTable.Entry targetEntry() {
        return node.table.get(target);
    }

    @Test
    void anUnansweredPingIsFollowedByPingRequestsToEveryOtherAliveMember() {
        node.advance(PROBE_TIMEOUT.minusNanos(1));
        assertThat(node.sent(MessageType.PING_REQ)).as("not before the probe timeout").isEmpty();

        node.advance(Duration.ofNanos(1));

        List<Sent> requests = node.sent(MessageType.PING_REQ);
        assertThat(requests).extracting(Sent::destination).hasSize(3).doesNotHaveDuplicates().doesNotContain(target);
        assertThat(requests).extracting(s -> (PingRequest) s.body()).allSatisfy(r -> {
            assertThat(r.probeId()).isEqualTo(probeId);
            assertThat(r.targetId()).isEqualTo(target);
            assertThat(r.targetAddress()).isEqualTo(targetEntry().address());
        });
    }

    @Test
    void anAckRelayedByAHelperKeepsTheTargetAliveWithoutAnRttSample() {
        node.advance(PROBE_TIMEOUT);
        String helper = node.sent(MessageType.PING_REQ).getFirst().destination();

        node.detector.acked(probeId, helper);
        node.advance(PROBE_INTERVAL);

        assertThat(targetEntry().state()).isEqualTo(ALIVE);
        assertThat(node.sent(MessageType.GOSSIP)).as("no suspicion told").isEmpty();
        assertThat(targetEntry().toMember().rtt()).as("a relayed ack says nothing of the direct path").isEmpty();
    }

    @Test
    void aDirectAckInTimeSkipsTheIndirectProbeAndMeasuresTheRtt() {
        node.advance(Duration.ofMillis(3));

        node.detector.acked(probeId, target);
        node.advance(PROBE_INTERVAL);

        assertThat(node.sent(MessageType.PING_REQ)).isEmpty();
        assertThat(targetEntry().state()).isEqualTo(ALIVE);
        assertThat(targetEntry().toMember().rtt()).contains(Duration.ofMillis(3));
    }

    @Test
    void anAckWithAnotherProbeIdIsIgnored() {
        node.detector.acked(probeId + 1000, target);
        node.advance(PROBE_INTERVAL);

        assertThat(targetEntry().state()).isEqualTo(SUSPECT);
    }

    @Test
    void noAckByTheEndOfTheIntervalMakesTheTargetSuspectAndTellsItSoThatItCanRefute() {
        node.advance(PROBE_INTERVAL);

        assertThat(targetEntry().state()).isEqualTo(SUSPECT);
        assertThat(node.sent(MessageType.GOSSIP)).singleElement().satisfies(g -> {
            assertThat(g.destination()).isEqualTo(target);
            assertThat(((Gossip) g.body()).updates()).containsExactly(update(SUSPECT, index(target), 7));
        });

        node.advance(SwimConfig.DEFAULTS.suspicionTimeout());
        assertThat(targetEntry().state()).as("unrefuted").isEqualTo(DEAD);
    }

    @Test
    void aPingRequestIsRelayedAndTheTargetsAckGoesBackUnderTheOriginsProbeId() {
        MemberTable.Entry origin = node.table.get(target.equals("z1-1") ? "z1-2" : "z1-1");
        MemberTable.Entry relayed = node.table.get(target.equals("z1-3") ? "z1-4" : "z1-3");
        node.sent.clear();

        node.detector.relay(new PingRequest(77, relayed.id(), relayed.address(), List.of()), origin.id(),
                origin.address());

        Sent ping = node.sent.getFirst();
        assertThat(ping.type()).isEqualTo(MessageType.PING);
        assertThat(ping.destination()).isEqualTo(relayed.id());
        int ownProbeId = ((Ping) ping.body()).probeId();
        assertThat(ownProbeId).as("a probe id of this node's, not the origin's").isNotIn(77, probeId);

        node.detector.acked(ownProbeId, relayed.id());
        node.detector.acked(ownProbeId, relayed.id());

        assertThat(node.sent(MessageType.ACK)).as("one ack, to the origin").singleElement().satisfies(a -> {
            assertThat(a.destination()).isEqualTo(origin.id());
            assertThat(a.to()).isEqualTo(origin.address());
            assertThat(((Ack) a.body()).probeId()).isEqualTo(77);
        });
    }

    private static int index(String nodeId) {
        return Integer.parseInt(nodeId.substring(nodeId.indexOf('-') + 1));
    }
    @Test
    void aNodeThatHadToRefuteStretchesItsTimeoutsBeforeItAccusesAnyone() {
        // The first probe already runs at the configured timings (set up above); a starved node is told it is
        // suspected twice, and its next probe waits three times as long at every step.
        node.table.health().refuted();
        node.table.health().refuted();
        node.advance(PROBE_INTERVAL); // the first probe's target turns SUSPECT; the next tick runs
        assertThat(node.table.health().score()).isEqualTo(2);
        String first = target;
        Sent ping = node.sent(MessageType.PING).getLast();
        assertThat(ping.destination()).isNotEqualTo(first);
        node.sent.clear();

        node.advance(PROBE_TIMEOUT.multipliedBy(3).minusNanos(1));
        assertThat(node.sent(MessageType.PING_REQ)).as("not before three probe timeouts").isEmpty();
        node.advance(Duration.ofNanos(1));
        assertThat(node.sent(MessageType.PING_REQ)).isNotEmpty();

        node.advance(SwimConfig.DEFAULTS.suspicionTimeout().multipliedBy(2));
        assertThat(node.table.get(first).state()).as("suspected at score 2: three suspicion timeouts to refute")
                .isEqualTo(SUSPECT);
        node.advance(SwimConfig.DEFAULTS.suspicionTimeout());
        assertThat(node.table.get(first).state()).isEqualTo(DEAD);
    }

    @Test
    void aLateProbeTickCountsAgainstTheNodeAndDirectAcksRestoreIt() {
        LocalHealth health = node.table.health();
        node.advance(PROBE_INTERVAL.multipliedBy(4)); // ticks on time
        assertThat(health.score()).isZero();

        node.stall(PROBE_INTERVAL.plus(PROBE_TIMEOUT).plusMillis(1)); // the event loop got no CPU for a while
        node.advance(Duration.ZERO);
        assertThat(health.score()).as("a tick more than a probe timeout late").isEqualTo(1);
        node.stall(PROBE_INTERVAL.multipliedBy(2).plus(PROBE_TIMEOUT).plusMillis(1));
        node.advance(Duration.ZERO);
        assertThat(health.score()).isEqualTo(2);
        int starved = health.score();

        Sent ping = node.sent(MessageType.PING).getLast();
        node.detector.acked(((Ping) ping.body()).probeId(), ping.destination());
        assertThat(health.score()).isEqualTo(starved - 1);
        for (int i = 0; i < LocalHealth.MAX_SCORE + 2; i++) {
            health.probeAnswered();
        }
        assertThat(health.score()).isZero();
        for (int i = 0; i < LocalHealth.MAX_SCORE + 2; i++) {
            health.refuted();
        }
        assertThat(health.score()).as("bounded").isEqualTo(LocalHealth.MAX_SCORE);
        assertThat(health.scale(PROBE_TIMEOUT)).isEqualTo(PROBE_TIMEOUT.toNanos() * (LocalHealth.MAX_SCORE + 1));
    }
}
