package io.relaymesh.node.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.relaymesh.node.rtp.RtpHeaderWriter;
import io.relaymesh.node.sfu.Ingest;
import io.relaymesh.node.sfu.SinkViewer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Relay trees with real nodes on loopback: a publisher's node P in zone {@code west}, and two nodes B and C in
 * zone {@code east} whose viewers watch the room. The track crosses into {@code east} once, to the zone's entry,
 * which serves the other east node.
 */
class RelayTreeTest {

    private static final int H264_PT = 96;
    private static final int VIEWER_PT = 102;
    private static final String ROOM = "stage";
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** The bound for re-parenting after a kill, and for a track to end when its publisher dies. */
    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);

    private final List<LoopbackMediaNode> nodes = new ArrayList<>();
    private LoopbackMediaNode p;
    private LoopbackMediaNode b;
    private LoopbackMediaNode c;
    private Ingest ingest;
    private int seq;

    @BeforeEach
    void cluster() throws Exception {
        p = add(new LoopbackMediaNode("west", 0));
        b = add(new LoopbackMediaNode("east", 1, p.cluster.clusterAddress()));
        c = add(new LoopbackMediaNode("east", 2, p.cluster.clusterAddress()));
        LoopbackMediaNode.joined(p, b, c);
        ingest = p.publishH264(ROOM, H264_PT);
    }

    @AfterEach
    void stop() {
        for (LoopbackMediaNode n : nodes.reversed()) {
            n.close();
        }
    }

    private LoopbackMediaNode add(LoopbackMediaNode node) {
        nodes.add(node);
        return node;
    }

    /** A one-packet H264 frame: IDR (NAL 5) or not (NAL 1). */
    private ByteBuf frame(boolean keyframe) {
        seq++;
        ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(128);
        RtpHeaderWriter.writeHeader(buf, H264_PT, true, seq & 0xFFFF, seq * 3000, 0x1234);
        buf.writeByte(keyframe ? 0x65 : 0x41).writeZero(100);
        return buf;
    }

    /** The east node every node computes as the entry for the room's track, once {@code leaf} has its route. */
    private LoopbackMediaNode entry(LoopbackMediaNode leaf) {
        await("a route on " + leaf.id()).atMost(WAIT).until(() -> leaf.route() != null);
        String chosen = RelayTree.entry(leaf.route().track(), List.of(b.id(), c.id()));
        return chosen.equals(b.id()) ? b : c;
    }

    private static boolean formed(LoopbackMediaNode publisher, LoopbackMediaNode entry, LoopbackMediaNode leaf) {
        RelayRoute atP = publisher.route();
        RelayRoute atEntry = entry.route();
        RelayRoute atLeaf = leaf.route();
        return atP != null && atEntry != null && atLeaf != null
                && atP.children().equals(List.of(entry.id())) && atP.parent() == null
                && publisher.id().equals(atEntry.parent()) && atEntry.children().equals(List.of(leaf.id()))
                && entry.id().equals(atLeaf.parent()) && atLeaf.children().isEmpty();
    }

    /** Sends keyframes until {@code recorder} has more than {@code count} packets. */
    private void flowsAgain(SeqRecorder recorder, int count, Duration within) {
        await("packets reach the viewer").atMost(within).pollInterval(Duration.ofMillis(20)).until(() -> {
            ingest.send(0, frame(true));
            return recorder.seqs.size() > count;
        });
    }

    /** Waits until what the test sent so far has arrived: the counts stop moving and agree across the link. */
    private static void quiet(LoopbackMediaNode publisher, LoopbackMediaNode entry, SeqRecorder... recorders) {
        AtomicLong last = new AtomicLong(-1);
        await("packets in flight arrived").atMost(WAIT).pollDelay(Duration.ofMillis(200))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    long sent = publisher.stats().link(entry.id()).packetsOut();
                    long seen = sent;
                    for (SeqRecorder r : recorders) {
                        seen = seen * 31 + r.seqs.size();
                    }
                    return sent == entry.stats().link(publisher.id()).packetsIn() && last.getAndSet(seen) == seen;
                });
    }

    @Test
    void theTrackCrossesIntoTheFarZoneOnceAndFansOutAtTheEntry() throws Exception {
        b.relay.watch(ROOM);
        c.relay.watch(ROOM);
        SeqRecorder onB = new SeqRecorder(VIEWER_PT);
        SeqRecorder onC = new SeqRecorder(VIEWER_PT);
        b.viewer(ROOM, VIEWER_PT, 0x100, onB::accept);
        c.viewer(ROOM, VIEWER_PT, 0x200, onC::accept);
        LoopbackMediaNode entry = entry(b);
        LoopbackMediaNode leaf = entry == b ? c : b;
        assertThat(entry(c)).as("every node computes the same entry").isSameAs(entry);
        await("the tree P -> entry -> leaf").atMost(WAIT).until(() -> formed(p, entry, leaf));

        flowsAgain(onB, 0, WAIT);
        flowsAgain(onC, 0, WAIT);
        quiet(p, entry, onB, onC);
        long toEntry = p.stats().link(entry.id()).packetsOut();
        long toLeaf = p.stats().link(leaf.id()).packetsOut();
        int before = onB.seqs.size();
        int beforeC = onC.seqs.size();
        int frames = 200;
        for (int i = 0; i < frames; i++) {
            ingest.send(0, frame(false));
        }
        await("both east viewers got every frame").atMost(WAIT)
                .until(() -> onB.seqs.size() == before + frames && onC.seqs.size() == beforeC + frames);
        assertThat(p.stats().link(entry.id()).packetsOut() - toEntry).as("one copy across the zone link")
                .isEqualTo(frames);
        assertThat(p.stats().link(leaf.id()).packetsOut() - toLeaf).as("nothing from P straight to the leaf")
                .isZero();
        assertThat(p.stats().subscriptionsOut()).isEqualTo(1);
        assertThat(entry.stats().subscriptionsOut()).isEqualTo(1);
        assertThat(p.relay.counters().peers().get(entry.id()).packetsSent()).as("what /metrics reads")
                .isEqualTo(p.stats().link(entry.id()).packetsOut());
        assertThat(entry.relay.counters().subscriptionsIn()).isEqualTo(1);
        assertThat(entry.relay.counters().subscriptionsOut()).isEqualTo(1);
        onB.assertContinuous();
        onC.assertContinuous();
    }

    @Test
    void anEntryWithoutViewersServesTheOtherNodeOfItsZone() throws Exception {
        // Both east nodes watch until the entry is known, then only the leaf keeps a viewer.
        AutoCloseable watchB = b.relay.watch(ROOM);
        AutoCloseable watchC = c.relay.watch(ROOM);
        LoopbackMediaNode entry = entry(b);
        LoopbackMediaNode leaf = entry == b ? c : b;
        (entry == b ? watchB : watchC).close();
        SeqRecorder onLeaf = new SeqRecorder(VIEWER_PT);
        leaf.viewer(ROOM, VIEWER_PT, 0x100, onLeaf::accept);

        await("the tree P -> entry -> leaf").atMost(WAIT).until(() -> formed(p, entry, leaf));
        flowsAgain(onLeaf, 0, WAIT);
        assertThat(entry.relay.routes().join().getFirst().packetsIn()).isPositive();
        assertThat(entry.route().packetsOut()).isPositive();
    }

    @Test
    void whenTheEntryDiesTheOtherNodeReparentsAndPacketsFlowAgainWithinFiveSeconds() throws Exception {
        b.relay.watch(ROOM);
        c.relay.watch(ROOM);
        LoopbackMediaNode entry = entry(b);
        LoopbackMediaNode leaf = entry == b ? c : b;
        SeqRecorder onLeaf = new SeqRecorder(VIEWER_PT);
        SinkViewer viewer = leaf.viewer(ROOM, VIEWER_PT, 0x100, onLeaf::accept);
        await("the tree P -> entry -> leaf").atMost(WAIT).until(() -> formed(p, entry, leaf));
        flowsAgain(onLeaf, 0, WAIT);
        String trackBefore = leaf.route().track();

        entry.crash();
        long killed = System.nanoTime();
        flowsAgain(onLeaf, onLeaf.seqs.size(), FIVE_SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - killed);
        System.out.printf("packets flow again at %s %d ms after its entry %s was killed%n", leaf.id(),
                took.toMillis(), entry.id());

        assertThat(took).isLessThan(FIVE_SECONDS);
        RelayRoute now = leaf.route();
        assertThat(now.parent()).as("re-parented to the publisher's node").isEqualTo(p.id());
        assertThat(now.track()).isEqualTo(trackBefore);
        assertThat(viewer.playing().get()).as("the viewer kept its track: no end, no switch").isTrue();
        onLeaf.assertContinuous();
    }

    @Test
    void whenThePublishersNodeDiesTheTrackEndsInTheFarZoneWithinFiveSeconds() throws Exception {
        b.relay.watch(ROOM);
        c.relay.watch(ROOM);
        SinkViewer onB = b.viewer(ROOM, VIEWER_PT, 0x100, new SeqRecorder(VIEWER_PT)::accept);
        SinkViewer onC = c.viewer(ROOM, VIEWER_PT, 0x200, new SeqRecorder(VIEWER_PT)::accept);
        LoopbackMediaNode entry = entry(b);
        await("the tree P -> entry -> leaf").atMost(WAIT).until(() -> formed(p, entry, entry == b ? c : b));

        p.crash();
        await("both east viewers lose the track").atMost(FIVE_SECONDS)
                .until(() -> !onB.playing().get() && !onC.playing().get());
        await().atMost(WAIT).until(() -> b.route() == null && c.route() == null);
    }
}
