package io.relaymesh.node.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.relaymesh.node.cluster.ClusterNode;
import io.relaymesh.node.cluster.ClusterSettings;
import io.relaymesh.node.cluster.membership.SwimConfig;
import io.relaymesh.node.config.Role;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.dtls.DtlsCertificate;
import io.relaymesh.node.rtp.RtpHeaderWriter;
import io.relaymesh.node.sfu.Cascade;
import io.relaymesh.node.sfu.Ingest;
import io.relaymesh.node.sfu.MediaKind;
import io.relaymesh.node.sfu.Sfu;
import io.relaymesh.node.sfu.SfuListener;
import io.relaymesh.node.sfu.SinkViewer;
import io.relaymesh.node.srtp.SrtpProfile;
import io.relaymesh.node.transport.WebRtcTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two (and three) real media nodes on loopback (WebRTC transport, SFU, cluster node, relay each): an ingest
 * publishes on A, viewers watch on B, and the relay carries the stream between them.
 */
class RelayNodeTest {

    private static final Secret SECRET = Secret.of("relay-test-cluster-secret-0123456789abcdef");
    private static final int H264_PT = 96;
    private static final int VIEWER_PT = 102;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<Node> nodes = new ArrayList<>();

    /** One media node: everything MediaNode will wire, on loopback. */
    private final class Node implements AutoCloseable {
        final WebRtcTransport transport;
        final Sfu sfu;
        final ClusterNode cluster;
        final RelayNode relay;
        final List<Ingest> ingests = new ArrayList<>();

        Node(int index, InetSocketAddress... seeds) throws Exception {
            SecureRandom random = new SecureRandom();
            InetAddress lo = InetAddress.getLoopbackAddress();
            transport = WebRtcTransport.bind(List.of(lo), 0, System::nanoTime,
                    new WebRtcTransport.DtlsSettings(DtlsCertificate.generate(Clock.systemUTC(), random),
                            List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80), random));
            sfu = new Sfu(transport, Clock.systemUTC(), "node-" + index, SfuListener.NONE);
            cluster = ClusterNode.start(new ClusterSettings("lo", index, Set.of(Role.MEDIA),
                    new InetSocketAddress(lo, 0), Optional.empty(), List.of(seeds), SECRET, Optional.empty(),
                    Optional.empty(), "test", SwimConfig.DEFAULTS));
            relay = RelayNode.start(cluster, new Cascade(sfu), SECRET,
                    new RelaySettings(new InetSocketAddress(lo, 0), Optional.empty(), Duration.ofMillis(300)));
            nodes.add(this);
        }

        RelayStats stats() {
            return relay.stats().join();
        }

        @Override
        public void close() {
            for (Ingest ingest : ingests) {
                ingest.close("test over"); // frees the packets its track keeps for retransmission
            }
            transport.eventLoop().submit(() -> { }).syncUninterruptibly(); // after the ingests' close tasks
            relay.close();
            cluster.close();
            sfu.close();
            transport.close();
        }
    }

    @AfterEach
    void stop() {
        for (Node n : nodes.reversed()) {
            n.close();
        }
    }

    /** A one-packet H264 frame: IDR (NAL 5) or not (NAL 1). */
    private static ByteBuf frame(int seq, boolean keyframe) {
        ByteBuf b = ByteBufAllocator.DEFAULT.directBuffer(64);
        RtpHeaderWriter.writeHeader(b, H264_PT, true, seq, seq * 3000, 0x1234);
        b.writeByte(keyframe ? 0x65 : 0x41).writeZero(100);
        return b;
    }

    private static Ingest publish(Node node, String room) throws Exception {
        Ingest ingest = Ingest.open(node.sfu, "rtmp-1", "rtmp", room, "obs",
                List.of(new Ingest.Track(MediaKind.VIDEO, "H264", 90_000, H264_PT))).get();
        node.ingests.add(ingest);
        return ingest;
    }

    /** Waits until {@code publisher} sends to {@code subscriber}: packets sent from now on reach it. */
    private static void linked(Node publisher, Node subscriber) {
        await("the subscription reached " + publisher.cluster.id()).atMost(WAIT)
                .until(() -> publisher.stats().subscriptionsOut() == 1);
    }

    private static void joined(Node... all) {
        await("cluster formed").atMost(WAIT).until(() -> {
            for (Node n : all) {
                if (n.cluster.members().stream().filter(m -> m.isUp()).count() != all.length) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Attaches a viewer on {@code node} once the relayed track is published there. */
    private static SinkViewer viewerOn(Node node, String room, int ssrc, SeqRecorder recorder) {
        AtomicReference<SinkViewer> viewer = new AtomicReference<>();
        await("the relayed track is published on " + node.cluster.id()).atMost(WAIT).ignoreExceptions()
                .until(() -> {
                    viewer.set(SinkViewer.attach(node.sfu, room, MediaKind.VIDEO, "H264", VIEWER_PT, ssrc,
                            recorder::accept).join());
                    return true;
                });
        return viewer.get();
    }

    @Test
    void fiveViewersOnBReceiveContinuousPacketsWithOneCopyOnTheLink() throws Exception {
        Node a = new Node(0);
        Node b = new Node(1, a.cluster.clusterAddress());
        joined(a, b);
        Ingest ingest = publish(a, "stage");
        AutoCloseable watching = b.relay.watch("stage");

        List<SeqRecorder> recorders = new ArrayList<>();
        List<SinkViewer> viewers = new ArrayList<>();
        SeqRecorder probe = new SeqRecorder(VIEWER_PT);
        SinkViewer first = viewerOn(b, "stage", 0x100, probe);
        viewers.add(first);
        for (int i = 0; i < 4; i++) {
            SeqRecorder r = new SeqRecorder(VIEWER_PT);
            recorders.add(r);
            viewers.add(SinkViewer.attach(b.sfu, "stage", MediaKind.VIDEO, "H264", VIEWER_PT, 0x200 + i, r::accept)
                    .join());
        }
        recorders.add(probe);
        assertThat(b.stats().subscriptionsIn()).isEqualTo(1);

        linked(a, b);
        long before = a.stats().link("lo-1").packetsOut();
        int frames = 200;
        ingest.send(0, frame(1, true));
        for (int seq = 2; seq <= frames; seq++) {
            ingest.send(0, frame(seq, false));
        }
        await("every viewer received every frame").atMost(WAIT)
                .until(() -> recorders.stream().allMatch(r -> r.seqs.size() == frames));
        for (SeqRecorder r : recorders) {
            List<Integer> seqs = r.seqs;
            for (int i = 1; i < seqs.size(); i++) {
                assertThat(seqs.get(i)).as("continuous sequence numbers").isEqualTo((seqs.get(i - 1) + 1) & 0xFFFF);
            }
        }
        RelayStats fromA = a.stats();
        RelayStats onB = b.stats();
        assertThat(fromA.subscriptionsOut()).isEqualTo(1);
        assertThat(fromA.link("lo-1").packetsOut() - before).as("one copy per packet on the link, not five")
                .isEqualTo(frames);
        assertThat(onB.link("lo-0").packetsIn()).isEqualTo(fromA.link("lo-1").packetsOut());
        assertThat(onB.link("lo-0").bytesIn()).isEqualTo(fromA.link("lo-1").bytesOut());
        assertThat(onB.dropped()).isZero();

        for (SinkViewer v : viewers) {
            v.close().join();
        }
        watching.close();
        await("the last viewer left: B unsubscribes after the linger").atMost(WAIT)
                .until(() -> b.stats().subscriptionsIn() == 0 && a.stats().subscriptionsOut() == 0);
    }

    @Test
    void aViewersKeyframeRequestOnBReachesTheIngestOnA() throws Exception {
        Node a = new Node(0);
        Node b = new Node(1, a.cluster.clusterAddress());
        joined(a, b);
        Ingest ingest = publish(a, "stage");
        b.relay.watch("stage");
        SeqRecorder first = new SeqRecorder(VIEWER_PT);
        viewerOn(b, "stage", 0x100, first);
        linked(a, b);
        ingest.send(0, frame(1, true));
        await().atMost(WAIT).until(() -> first.seqs.size() == 1);
        ingest.keyframeWanted(); // clears what the subscription itself asked for

        await("a new viewer on B waits for a keyframe, which A's ingest is asked for").atMost(WAIT)
                .pollDelay(Duration.ofMillis(200))
                .until(() -> {
                    SinkViewer.attach(b.sfu, "stage", MediaKind.VIDEO, "H264", VIEWER_PT, 0x300,
                            new SeqRecorder(VIEWER_PT)::accept).join();
                    return ingest.keyframeWanted();
                });
        assertThat(b.stats().link("lo-0").keyframeRequestsOut()).isPositive();
        assertThat(a.stats().link("lo-1").keyframeRequestsIn()).isPositive();
    }

    @Test
    void whenThePublishersNodeGoesAwayTheRelayedTrackEndsOnBWithinFiveSeconds() throws Exception {
        Node a = new Node(0);
        Node b = new Node(1, a.cluster.clusterAddress());
        joined(a, b);
        publish(a, "stage");
        b.relay.watch("stage");
        SinkViewer viewer = viewerOn(b, "stage", 0x100, new SeqRecorder(VIEWER_PT));
        assertThat(viewer.playing().get()).isTrue();

        a.cluster.closeWithoutLeaving(); // a crash, as far as the cluster can tell
        await("B's viewer loses the track").atMost(Duration.ofSeconds(5))
                .until(() -> !viewer.playing().get());
        assertThat(b.stats().subscriptionsIn()).isZero();
    }

    @Test
    void anUnpublishedTrackEndsOnB() throws Exception {
        Node a = new Node(0);
        Node b = new Node(1, a.cluster.clusterAddress());
        joined(a, b);
        Ingest ingest = publish(a, "stage");
        b.relay.watch("stage");
        SinkViewer viewer = viewerOn(b, "stage", 0x100, new SeqRecorder(VIEWER_PT));

        ingest.close("unpublished");
        await("B's viewer loses the track").atMost(Duration.ofSeconds(5))
                .until(() -> !viewer.playing().get());
        await().atMost(WAIT).until(() -> a.stats().subscriptionsOut() == 0);
    }
}
