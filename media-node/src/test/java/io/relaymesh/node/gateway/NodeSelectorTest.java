package io.relaymesh.node.gateway;

import static io.relaymesh.node.gateway.Members.gateway;
import static io.relaymesh.node.gateway.Members.media;
import static org.assertj.core.api.Assertions.assertThat;

import io.relaymesh.node.cluster.membership.Member;
import io.relaymesh.node.cluster.wire.MemberState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeSelectorTest {

    private static final Duration NEAR = Duration.ofMillis(2);
    private static final Duration FAR = Duration.ofMillis(80);

    private final NodeSelector selector = new NodeSelector();

    private static List<String> ids(Placement p) {
        return p.candidates().stream().map(Member::id).toList();
    }

    @Test
    void leastLoadedNodeOfTheRequestedZoneComesFirst() {
        List<Member> members = List.of(gateway("eu", 0), media("eu", 1, 300, 50, NEAR), media("eu", 2, 100, 10, NEAR),
                media("eu", 3, 500, 5, NEAR));
        // use = max(cpu / 600, sessions / 100): eu-2 0.17, eu-1 0.5, eu-3 0.83
        assertThat(ids(selector.select(members, "eu", Optional.empty()))).containsExactly("eu-2", "eu-1", "eu-3");
    }

    @Test
    void nodesAtTheCpuThresholdOrFullOrNotAliveAreSkipped() {
        List<Member> members = List.of(
                media("eu", 1, 600, 0, NEAR),
                media("eu", 2, MemberState.ALIVE, 0, 100, 100, NEAR, 8002),
                media("eu", 3, MemberState.SUSPECT, 0, 0, 100, NEAR, 8003),
                media("eu", 4, MemberState.DEAD, 0, 0, 100, NEAR, 8004),
                media("eu", 5, 599, 99, NEAR));
        assertThat(ids(selector.select(members, "eu", Optional.empty()))).containsExactly("eu-5");
    }

    @Test
    void theCpuLimitIsTheGatewaysAndAllOfItMeansNone() {
        List<Member> members = List.of(media("eu", 1, 1000, 0, NEAR), media("eu", 2, 850, 0, NEAR),
                media("eu", 3, 700, 0, NEAR));
        assertThat(ids(new NodeSelector(900).select(members, "eu", Optional.empty()))).containsExactly("eu-3", "eu-2");
        assertThat(ids(new NodeSelector(1000).select(members, "eu", Optional.empty())))
                .as("placed by session capacity alone, even at 100 %").containsExactly("eu-3", "eu-2", "eu-1");
        assertThat(ids(selector.select(members, "eu", Optional.empty()))).as("the default, 60 %").isEmpty();
    }

    @Test
    void aZoneWithoutCapacityFallsBackToTheNearestOtherZoneByRtt() {
        List<Member> members = List.of(
                media("eu", 1, 900, 0, NEAR),
                media("us", 1, 100, 0, FAR),
                media("asia", 1, 100, 0, Duration.ofMillis(40)),
                media("mars", 1, 100, 0, null)); // never measured: last
        assertThat(ids(selector.select(members, "eu", Optional.empty())))
                .containsExactly("asia-1", "us-1", "mars-1");
    }

    @Test
    void theRequestedZoneWinsOverANearerOne() {
        List<Member> members = List.of(media("eu", 1, 100, 0, NEAR), media("us", 1, 500, 90, FAR));
        assertThat(ids(selector.select(members, "us", Optional.empty()))).containsExactly("us-1", "eu-1");
    }

    @Test
    void theNodeHostingTheRoomComesFirstWhenItHasRoomInTheRequestedZone() {
        List<Member> members = List.of(media("eu", 1, 100, 0, NEAR), media("eu", 2, 500, 80, NEAR),
                media("us", 3, 0, 0, FAR));
        assertThat(ids(selector.select(members, "eu", Optional.of("eu-2")))).containsExactly("eu-2", "eu-1", "us-3");
        // Hosted in another zone: the session stays in its zone (the relay brings the room there).
        assertThat(ids(selector.select(members, "eu", Optional.of("us-3")))).containsExactly("eu-1", "eu-2", "us-3");
        // A full host is not chosen: the session goes where there is room.
        List<Member> full = List.of(media("eu", 1, 100, 0, NEAR), media("eu", 2, 700, 0, NEAR));
        assertThat(ids(selector.select(full, "eu", Optional.of("eu-2")))).containsExactly("eu-1");
    }

    @Test
    void refusalsSayWhy() {
        assertThat(selector.select(List.of(gateway("eu", 0)), "eu", Optional.empty()).reason())
                .isEqualTo("no media node has joined the cluster");
        assertThat(selector.select(List.of(media("eu", 1, MemberState.DEAD, 0, 0, 100, NEAR, 8001)), "eu",
                Optional.empty()).reason()).contains("no live media node");
        Placement full = selector.select(List.of(media("eu", 1, 800, 0, NEAR), media("eu", 2, 0, 100, NEAR)), "eu",
                Optional.empty());
        assertThat(full.refused()).isTrue();
        assertThat(full.reason()).contains("all 2 live media nodes are full").contains("60 %");
    }

    @Test
    void aNodeWithoutCapacityTakesNothing() {
        // A draining node gossips capacity 0.
        Member draining = media("eu", 1, MemberState.ALIVE, 0, 0, 0, NEAR, 8001);
        assertThat(selector.select(List.of(draining), "eu", Optional.empty()).refused()).isTrue();
    }
}
