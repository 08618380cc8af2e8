package io.relaymesh.node.relay;

import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.relaymesh.node.cluster.ClusterNode;
import io.relaymesh.node.cluster.ClusterSettings;
import io.relaymesh.node.cluster.membership.SwimConfig;
import io.relaymesh.node.config.Role;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.dtls.DtlsCertificate;
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
import java.util.function.Consumer;

/**
 * One media node on loopback with what MediaNode wires for the relay (WebRTC transport, SFU, cluster node,
 * relay), for benchmarks and tests that run several nodes in one JVM. The same wiring as {@code RelayNodeTest}.
 */
final class LoopbackMediaNode implements AutoCloseable {

    static final Secret SECRET = Secret.of("relay-test-cluster-secret-0123456789abcdef");
    static final Duration WAIT = Duration.ofSeconds(10);

    final WebRtcTransport transport;
    final Sfu sfu;
    final ClusterNode cluster;
    final RelayNode relay;
    private final List<Ingest> ingests = new ArrayList<>();

    /** Starts node {@code lo-index}, joining the cluster through {@code seeds} (none for the first node). */
    LoopbackMediaNode(int index, InetSocketAddress... seeds) throws Exception {
        this("lo", index, seeds);
    }

    /** Starts node {@code zone-index} in {@code zone}, joining the cluster through {@code seeds}. */
    LoopbackMediaNode(String zone, int index, InetSocketAddress... seeds) throws Exception {
        SecureRandom random = new SecureRandom();
        InetAddress lo = InetAddress.getLoopbackAddress();
        transport = WebRtcTransport.bind(List.of(lo), 0, System::nanoTime,
                new WebRtcTransport.DtlsSettings(DtlsCertificate.generate(Clock.systemUTC(), random),
                        List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80), random));
        sfu = new Sfu(transport, Clock.systemUTC(), "node-" + index, SfuListener.NONE);
        cluster = ClusterNode.start(new ClusterSettings(zone, index, Set.of(Role.MEDIA),
                new InetSocketAddress(lo, 0), Optional.empty(), List.of(seeds), SECRET, Optional.empty(),
                Optional.empty(), "test", SwimConfig.DEFAULTS));
        relay = RelayNode.start(cluster, new Cascade(sfu), SECRET,
                new RelaySettings(new InetSocketAddress(lo, 0), Optional.empty(), Duration.ofMillis(300)));
    }

    String id() {
        return cluster.id();
    }

    /** A crash as far as the others can tell: no more membership messages, no more relay traffic. */
    void crash() {
        cluster.closeWithoutLeaving();
        relay.close();
    }

    /** This node's route of the only track relayed through it, or null. */
    RelayRoute route() {
        List<RelayRoute> routes = relay.routes().join();
        return routes.size() == 1 ? routes.getFirst() : null;
    }

    RelayStats stats() {
        return relay.stats().join();
    }

    /** Opens an ingest (as RTMP would) with one H264 video track of payload type {@code pt} in {@code room}. */
    Ingest publishH264(String room, int pt) throws Exception {
        Ingest ingest = Ingest.open(sfu, "rtmp-1", "rtmp", room, "obs",
                List.of(new Ingest.Track(MediaKind.VIDEO, "H264", 90_000, pt))).get();
        ingests.add(ingest);
        return ingest;
    }

    /** Attaches an H264 viewer once the (relayed) track is published here; {@code packets} releases each one. */
    SinkViewer viewer(String room, int pt, int ssrc, Consumer<ByteBuf> packets) {
        AtomicReference<SinkViewer> viewer = new AtomicReference<>();
        await("a video track is published in " + room + " on " + cluster.id()).atMost(WAIT).ignoreExceptions()
                .until(() -> {
                    viewer.set(SinkViewer.attach(sfu, room, MediaKind.VIDEO, "H264", pt, ssrc, packets).join());
                    return true;
                });
        return viewer.get();
    }

    /** Waits until every node sees all of them up. */
    static void joined(LoopbackMediaNode... all) {
        await("cluster formed").atMost(WAIT).until(() -> {
            for (LoopbackMediaNode n : all) {
                if (n.cluster.members().stream().filter(m -> m.isUp()).count() != all.length) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Waits until this node sends {@code count} subscriptions: packets published from now on reach them. */
    void awaitSubscriptionsOut(int count) {
        await("subscriptions reached " + cluster.id()).atMost(WAIT).until(() -> stats().subscriptionsOut() == count);
    }

    @Override
    public void close() {
        for (Ingest ingest : ingests) {
            ingest.close("closed"); // frees the packets its track keeps for retransmission
        }
        transport.eventLoop().submit(() -> { }).syncUninterruptibly(); // after the ingests' close tasks
        relay.close();
        cluster.close();
        sfu.close();
        transport.close();
    }
}
