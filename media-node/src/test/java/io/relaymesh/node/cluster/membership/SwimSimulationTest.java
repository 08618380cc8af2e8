package io.relaymesh.node.cluster.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.relaymesh.node.cluster.membership.SimulatedNetwork.Node;
import io.relaymesh.node.cluster.membership.SimulatedNetwork.Transition;
import io.relaymesh.node.cluster.wire.MemberState;
import io.relaymesh.node.cluster.wire.NodeLoad;
import io.relaymesh.node.cluster.wire.ZoneRtts;
import io.relaymesh.node.config.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The membership protocol on a simulated network in virtual time, with the default parameters: many nodes,
 * random loss, crashes, restarts and partitions, deterministic per seed.
 */
class SwimSimulationTest {

    private static final int NODES = 10;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 20);
    }

    /** Starts {@code n} nodes, each joining through the node before it (node 0 has no seeds). */
    private static List<Node> cluster(SimulatedNetwork net, int n) {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            nodes.add(net.start(i, i == 0 ? List.of() : List.of(SimulatedNetwork.address(i))));
        }
        Duration took = net.runUntil(allSee(nodes, n), Duration.ofSeconds(10));
        assertThat(took).as("%d nodes converge", n).isNotNull();
        return nodes;
    }

    private static BooleanSupplier allSee(List<Node> observers, long up) {
        return () -> observers.stream().allMatch(o -> o.upCount() == up);
    }

    private static BooleanSupplier allSeeDown(List<Node> observers, String subject) {
        return () -> observers.stream().allMatch(o -> o.view(subject).map(m -> !m.isUp()).orElse(false));
    }

    @Test
    void nodesJoiningThroughAChainOfSeedsConvergeOnTheFullMembership() {
        SimulatedNetwork net = new SimulatedNetwork(7);
        List<Node> nodes = cluster(net, NODES);
        for (Node n : nodes) {
            assertThat(n.members()).hasSize(NODES).allMatch(m -> m.state() == MemberState.ALIVE);
            assertThat(n.swim.joined()).isCompleted();
        }
        net.run(Duration.ofSeconds(5));
        Node any = nodes.get(3);
        assertThat(any.members().stream().filter(m -> !m.local()))
                .as("RTT measured from probe round trips")
                .allMatch(m -> m.rtt().isPresent() && m.rtt().get().compareTo(Duration.ofMillis(5)) < 0);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aCrashedNodeIsKnownDeadToEveryMemberWithinThreeSeconds(long seed) {
        SimulatedNetwork net = new SimulatedNetwork(seed);
        List<Node> nodes = cluster(net, NODES);
        net.run(Duration.ofSeconds(3));
        Node victim = nodes.get((int) (seed % NODES));
        net.kill(victim);
        List<Node> rest = nodes.stream().filter(n -> n != victim).toList();

        Duration detection = net.runUntil(allSeeDown(rest, victim.id), Duration.ofSeconds(10));

        assertThat(detection).as("every member saw %s down", victim.id).isNotNull();
        System.out.printf("seed %d: %s dead everywhere after %d ms%n", seed, victim.id, detection.toMillis());
        assertThat(detection).isLessThan(Duration.ofSeconds(3));
        assertThat(rest).allMatch(n -> n.view(victim.id).orElseThrow().state() == MemberState.DEAD);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void fivePercentLossDoesNotMakeMembershipFlap(long seed) {
        SimulatedNetwork net = new SimulatedNetwork(seed);
        List<Node> nodes = cluster(net, NODES);
        net.loss(0.05);
        int before = net.transitions().size();

        net.run(Duration.ofMinutes(2));

        List<Transition> during = net.transitions().subList(before, net.transitions().size());
        long suspicions = during.stream().filter(t -> t.state() == MemberState.SUSPECT).count();
        System.out.printf("seed %d: 2 min at 5%% loss, %d datagrams lost of %d, %d suspicions, all refuted%n",
                seed, net.dropped(), net.dropped() + net.delivered(), suspicions);
        assertThat(during).as("no member declared dead at 5%% loss")
                .noneMatch(t -> t.state() == MemberState.DEAD || t.state() == MemberState.LEFT);
        assertThat(nodes).allMatch(n -> n.upCount() == NODES);
    }

    @Test
    void aRestartedNodeRejoinsWithAHigherIncarnation() {
        SimulatedNetwork net = new SimulatedNetwork(11);
        List<Node> nodes = cluster(net, NODES);
        Node victim = nodes.get(4);
        long oldIncarnation = victim.swim.incarnation();
        net.kill(victim);
        List<Node> rest = nodes.stream().filter(n -> n != victim).toList();
        assertThat(net.runUntil(allSeeDown(rest, victim.id), Duration.ofSeconds(5))).isNotNull();

        net.run(Duration.ofSeconds(2));
        Node restarted = net.start(4, List.of(SimulatedNetwork.address(1)));
        List<Node> all = new ArrayList<>(rest);
        all.add(restarted);

        Duration rejoin = net.runUntil(allSee(all, NODES), Duration.ofSeconds(5));

        assertThat(rejoin).as("restarted node back everywhere").isNotNull().isLessThan(Duration.ofSeconds(2));
        assertThat(restarted.swim.incarnation()).isGreaterThan(oldIncarnation);
        assertThat(rest).allMatch(n -> n.view(victim.id).orElseThrow().incarnation() == restarted.swim.incarnation());
    }

    @Test
    void losingTheFirstSeedStopsNothingAndNewNodesJoinThroughAnyMember() {
        SimulatedNetwork net = new SimulatedNetwork(13);
        List<Node> nodes = cluster(net, NODES);
        Node first = nodes.getFirst();
        net.kill(first);
        List<Node> rest = new ArrayList<>(nodes.subList(1, NODES));
        assertThat(net.runUntil(allSeeDown(rest, first.id), Duration.ofSeconds(5))).isNotNull();

        Node newcomer = net.start(20, List.of(SimulatedNetwork.address(1), rest.get(5).address));
        rest.add(newcomer);

        assertThat(net.runUntil(allSee(rest, NODES), Duration.ofSeconds(5)))
                .as("a new node joined through member %s after the first seed died", rest.get(5).id).isNotNull();
        net.run(Duration.ofSeconds(30));
        assertThat(rest).allMatch(n -> n.upCount() == NODES);
    }

    @Test
    void aNodeWithAnotherSecretCannotJoinAndItsMessagesAreCountedAsForged() {
        SimulatedNetwork net = new SimulatedNetwork(17);
        List<Node> nodes = cluster(net, 4);
        Node intruder = net.start(9, List.of(nodes.get(0).address, nodes.get(1).address),
                Secret.of("a-different-secret-of-the-same-length-xx"), SwimConfig.DEFAULTS);

        net.run(Duration.ofSeconds(10));

        assertThat(intruder.swim.joined()).isNotDone();
        assertThat(intruder.members()).hasSize(1);
        assertThat(nodes).allMatch(n -> n.members().size() == 4 && n.upCount() == 4);
        assertThat(nodes.get(0).swim.counters().get(DropReason.BAD_MAC)).isGreaterThanOrEqualTo(5);
    }

    @Test
    void loadUpdatesReachEveryMemberAndNewerMetadataWins() {
        SimulatedNetwork net = new SimulatedNetwork(19);
        List<Node> nodes = cluster(net, NODES);
        Node busy = nodes.get(2);
        NodeLoad load = new NodeLoad(550, 300, 42, 100, 12_000, 48_000);
        busy.swim.updateLoad(load);
        busy.swim.updateLoad(load);

        Duration spread = net.runUntil(() -> nodes.stream().allMatch(
                n -> n.view(busy.id).orElseThrow().metadata().load().equals(load)), Duration.ofSeconds(5));

        assertThat(spread).isNotNull().isLessThan(Duration.ofSeconds(2));
        assertThat(nodes).allMatch(n -> n.view(busy.id).orElseThrow().incarnation() == busy.swim.incarnation());
    }

    @Test
    void eachNodePublishesItsRttToTheOtherZonesAndEveryMemberSeesTheSameFigures() {
        // Zone "west" has two nodes; west-1's path to zone "east" is 20 ms longer each way than west-0's. The
        // relay's zone entry is chosen from these published figures, so every node must see the same ones.
        SimulatedNetwork net = new SimulatedNetwork(29);
        List<Node> nodes = new ArrayList<>();
        nodes.add(net.start("east", 0, 1, List.of()));
        nodes.add(net.start("east", 1, 2, List.of(SimulatedNetwork.address(1))));
        nodes.add(net.start("west", 0, 3, List.of(SimulatedNetwork.address(1))));
        nodes.add(net.start("west", 1, 4, List.of(SimulatedNetwork.address(1))));
        net.extraLatency((from, to) -> (from.id.equals("west-1") || to.id.equals("west-1"))
                && (from.id.startsWith("east") || to.id.startsWith("east")) ? 20_000_000L : 0);
        net.run(Duration.ofSeconds(20)); // every member probed directly several times

        for (int round = 0; round < 3; round++) {
            for (Node n : nodes) {
                n.swim.updateLoad(NodeLoad.IDLE);
            }
            net.run(Duration.ofSeconds(2));
        }

        for (Node observer : nodes) {
            ZoneRtts near = observer.view("west-0").orElseThrow().metadata().zoneRtts();
            ZoneRtts far = observer.view("west-1").orElseThrow().metadata().zoneRtts();
            assertThat(near.micros()).containsOnlyKeys("east");
            assertThat(near.to("east").getAsInt()).as("west-0 to east, seen by " + observer.id).isBetween(400, 4_000);
            assertThat(far.to("east").getAsInt()).as("west-1 to east, seen by " + observer.id)
                    .isBetween(40_400, 44_000);
            assertThat(observer.view("east-0").orElseThrow().metadata().zoneRtts().to("west").getAsInt())
                    .as("the nearest west member counts").isLessThan(4_000);
        }
        Swim west1 = nodes.get(3).swim;
        long incarnation = west1.incarnation();
        west1.updateLoad(NodeLoad.IDLE);
        assertThat(west1.incarnation()).isEqualTo(incarnation + 1);
        assertThat(nodes.get(3).view("west-1").orElseThrow().metadata().zoneRtts().to("east").getAsInt())
                .as("jitter does not republish a new figure").isEqualTo(
                        nodes.get(0).view("west-1").orElseThrow().metadata().zoneRtts().to("east").getAsInt());
    }

    @Test
    void aGracefulLeaveIsKnownWithoutWaitingForSuspicion() {
        SimulatedNetwork net = new SimulatedNetwork(23);
        List<Node> nodes = cluster(net, NODES);
        Node leaver = nodes.get(6);
        leaver.swim.leave();
        List<Node> rest = nodes.stream().filter(n -> n != leaver).toList();

        Duration took = net.runUntil(allSeeDown(rest, leaver.id), Duration.ofSeconds(5));

        assertThat(took).isNotNull().isLessThan(Duration.ofMillis(1000));
        assertThat(rest).allMatch(n -> n.view(leaver.id).orElseThrow().state() == MemberState.LEFT);
    }

    @Test
    void aHealedPartitionMergesBackThroughTheSeeds() {
        SimulatedNetwork net = new SimulatedNetwork(29);
        List<Node> nodes = cluster(net, 6);
        net.partition((a, b) -> (a.id.compareTo("z1-3") < 0) != (b.id.compareTo("z1-3") < 0));
        net.run(Duration.ofSeconds(10));
        assertThat(nodes).allMatch(n -> n.upCount() == 3);

        net.partition((a, b) -> false);
        Duration merged = net.runUntil(allSee(nodes, 6), Duration.ofSeconds(90));

        assertThat(merged).as("halves merge after the partition heals").isNotNull();
    }

    @Test
    void applicationMessagesReachTheMemberAuthenticated() {
        SimulatedNetwork net = new SimulatedNetwork(31);
        List<Node> nodes = cluster(net, 3);
        List<String> received = new ArrayList<>();
        nodes.get(2).swim.onMessage(7, (sender, payload) ->
                received.add(sender + ":" + payload.toString(StandardCharsets.UTF_8)));

        assertThat(nodes.get(0).swim.send("z1-2", 7, Unpooled.copiedBuffer("subscribe t1", StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(nodes.get(0).swim.send("z1-9", 7, Unpooled.copiedBuffer("nobody", StandardCharsets.UTF_8)))
                .as("unknown member").isFalse();
        nodes.get(1).swim.send("z1-2", 8, Unpooled.copiedBuffer("other channel", StandardCharsets.UTF_8));
        net.run(Duration.ofMillis(50));

        assertThat(received).containsExactly("z1-0:subscribe t1");
        assertThat(nodes.get(2).swim.counters().get(DropReason.UNKNOWN_CHANNEL)).isEqualTo(1);
    }

    @Test
    void helpersProbeIndirectlyWhenTheDirectPathIsBroken() {
        SimulatedNetwork net = new SimulatedNetwork(37);
        List<Node> nodes = cluster(net, 5);
        Node a = nodes.get(0);
        Node b = nodes.get(1);
        // a and b cannot talk to each other, but both reach everyone else: indirect probes keep them alive.
        net.partition((x, y) -> (x == a && y == b) || (x == b && y == a));
        int before = net.transitions().size();

        net.run(Duration.ofSeconds(60));

        assertThat(net.transitions().subList(before, net.transitions().size()))
                .noneMatch(t -> t.state() == MemberState.DEAD);
        assertThat(nodes).allMatch(n -> n.upCount() == 5);
    }

}
