package io.relaymesh.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.Unpooled;
import io.relaymesh.node.cluster.membership.DropReason;
import io.relaymesh.node.cluster.membership.Member;
import io.relaymesh.node.cluster.membership.SwimConfig;
import io.relaymesh.node.cluster.wire.MemberState;
import io.relaymesh.node.cluster.wire.NodeLoad;
import io.relaymesh.node.config.Role;
import io.relaymesh.node.config.Secret;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real cluster nodes on loopback UDP, in one JVM, at the default protocol settings. */
class ClusterNodeTest {

    private static final Secret SECRET = Secret.of("loopback-cluster-secret-0123456789abcdef");
    private final List<ClusterNode> nodes = new ArrayList<>();

    @AfterEach
    void closeAll() {
        nodes.forEach(ClusterNode::closeWithoutLeaving);
    }

    private ClusterNode start(int index, Secret secret, InetSocketAddress... seeds) throws InterruptedException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ClusterSettings settings = new ClusterSettings("lo", index, Set.of(Role.MEDIA),
                new InetSocketAddress(loopback, 0), Optional.empty(), List.of(seeds), secret,
                Optional.of(new InetSocketAddress(loopback, 8080 + index)), Optional.empty(), "test",
                SwimConfig.DEFAULTS);
        ClusterNode node = ClusterNode.start(settings);
        nodes.add(node);
        return node;
    }

    private static long up(ClusterNode node) {
        return node.members().stream().filter(Member::isUp).count();
    }

    private static MemberState state(ClusterNode observer, String subject) {
        return observer.member(subject).map(Member::state).orElse(null);
    }

    private List<ClusterNode> startFour() throws InterruptedException {
        ClusterNode a = start(0, SECRET);
        ClusterNode b = start(1, SECRET, a.clusterAddress());
        ClusterNode c = start(2, SECRET, b.clusterAddress());
        // By name, as a DNS seed would be: resolved at each join attempt.
        ClusterNode d = start(3, SECRET, InetSocketAddress.createUnresolved("127.0.0.1", c.clusterAddress().getPort()));
        List<ClusterNode> four = List.of(a, b, c, d);
        await("four nodes joined").atMost(Duration.ofSeconds(10))
                .until(() -> four.stream().allMatch(n -> up(n) == 4));
        return four;
    }

    @Test
    void nodesJoinThroughAnyMemberAndAKilledNodeIsKnownDeadByAllWithinThreeSeconds() throws Exception {
        List<ClusterNode> four = startFour();
        assertThat(four.getFirst().address()).matches("relaymesh://lo-0@127\\.0\\.0\\.1:\\d+");
        await("RTT measured").atMost(Duration.ofSeconds(5)).until(() -> four.getFirst().members().stream()
                .filter(m -> !m.local()).allMatch(m -> m.rtt().isPresent()));
        ClusterNode victim = four.get(2);
        List<ClusterNode> rest = List.of(four.get(0), four.get(1), four.get(3));

        long killed = System.nanoTime();
        victim.closeWithoutLeaving();
        await("all know lo-2 is dead").atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> rest.stream().allMatch(n -> state(n, "lo-2") == MemberState.DEAD));
        long detectionMillis = (System.nanoTime() - killed) / 1_000_000;
        System.out.println("loopback: a killed node was known dead by all members after " + detectionMillis + " ms");

        ClusterNode restarted = start(2, SECRET, four.get(0).clusterAddress());
        await("restarted node rejoins").atMost(Duration.ofSeconds(5))
                .until(() -> rest.stream().allMatch(n -> state(n, "lo-2") == MemberState.ALIVE) && up(restarted) == 4);
        Member seen = rest.getFirst().member("lo-2").orElseThrow();
        assertThat(seen.metadata().clusterAddress()).isEqualTo(restarted.clusterAddress());
    }

    @Test
    void losingTheFirstSeedKeepsTheRestJoinedAndANewNodeJoinsThroughAnother() throws Exception {
        List<ClusterNode> four = startFour();
        four.getFirst().closeWithoutLeaving();
        List<ClusterNode> rest = four.subList(1, 4);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> rest.stream().allMatch(n -> state(n, "lo-0") == MemberState.DEAD && up(n) == 3));

        ClusterNode newcomer = start(9, SECRET, four.getFirst().clusterAddress(), four.get(3).clusterAddress());
        await("joined through lo-3").atMost(Duration.ofSeconds(5))
                .until(() -> up(newcomer) == 4 && rest.stream().allMatch(n -> up(n) == 4));
    }

    @Test
    void aNodeWithAWrongSecretIsRefused() throws Exception {
        ClusterNode a = start(0, SECRET);
        ClusterNode b = start(1, SECRET, a.clusterAddress());
        await().atMost(Duration.ofSeconds(5)).until(() -> up(a) == 2);
        ClusterNode intruder = start(5, Secret.of("wrong-secret-wrong-secret-0123456789ab"), a.clusterAddress(),
                b.clusterAddress());

        await("the seeds count the intruder's join attempts as forged").atMost(Duration.ofSeconds(5))
                .until(() -> a.counters().get(DropReason.BAD_MAC) >= 2);
        assertThat(intruder.joined()).isNotDone();
        assertThat(up(intruder)).isEqualTo(1);
        assertThat(a.members()).extracting(Member::id).containsExactly("lo-0", "lo-1");
    }

    @Test
    void loadGossipsAndApplicationMessagesArriveAndALeaveIsSeenAtOnce() throws Exception {
        List<ClusterNode> four = startFour();
        NodeLoad load = new NodeLoad(420, 310, 17, 500, 9_000, 27_000);
        four.get(1).updateLocalLoad(load);
        await("load gossiped").atMost(Duration.ofSeconds(3)).until(() -> four.stream()
                .allMatch(n -> n.member("lo-1").orElseThrow().metadata().load().equals(load)));

        List<String> got = new CopyOnWriteArrayList<>();
        four.get(3).onMessage(42, (sender, payload) -> got.add(sender + ":" + payload.toString(StandardCharsets.UTF_8)));
        await().atMost(Duration.ofSeconds(3)).until(() -> {
            four.get(0).send("lo-3", 42, Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8)).join();
            return !got.isEmpty();
        });
        assertThat(got.getFirst()).isEqualTo("lo-0:hello");
        assertThat(four.get(0).send("lo-77", 42, Unpooled.copiedBuffer("x", StandardCharsets.UTF_8)).join()).isFalse();

        four.get(2).close();
        await("a leave is known well before a suspicion could expire").atMost(Duration.ofMillis(900))
                .until(() -> List.of(four.get(0), four.get(1), four.get(3)).stream()
                        .allMatch(n -> state(n, "lo-2") == MemberState.LEFT));
    }
}
