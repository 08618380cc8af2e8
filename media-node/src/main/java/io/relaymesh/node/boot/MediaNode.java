package io.relaymesh.node.boot;

import io.relaymesh.node.cluster.ClusterNode;
import io.relaymesh.node.cluster.wire.NodeLoad;
import io.relaymesh.node.config.NodeSettings;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.events.ClusterEvents;
import io.relaymesh.node.events.EventEmitter;
import io.relaymesh.node.http.NodeStatus;
import io.relaymesh.node.transport.PacketKind;
import io.relaymesh.node.transport.TransportCounters;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code relaymesh media}: a media node of a cluster. The WebRTC part of a standalone node (transport, SFU,
 * signalling, HTTP API, metrics; no RTMP ingest) plus a cluster member that advertises the media role, its HTTP
 * and WebRTC addresses, and its load every {@link #LOAD_INTERVAL}, so gateways can place sessions on it, and the
 * media relay (UDP on the cluster port + 1), so its viewers see rooms published on other nodes.
 */
public final class MediaNode implements AutoCloseable {

    /** How often the node gossips its load; gateways see a change within about this plus a gossip round. */
    static final Duration LOAD_INTERVAL = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(MediaNode.class);

    private final StandaloneNode node;
    private final ClusterNode cluster;
    private final RelayWiring relay;
    private final ScheduledExecutorService loadTimer;

    private MediaNode(StandaloneNode node, ClusterNode cluster, RelayWiring relay, ScheduledExecutorService loadTimer) {
        this.node = node;
        this.cluster = cluster;
        this.relay = relay;
        this.loadTimer = loadTimer;
    }

    /** Joins the cluster, starts the WebRTC parts, and starts reporting load. */
    public static MediaNode start(NodeSettings settings, Secret secret, long sessionCapacity) throws InterruptedException {
        ClusterNode cluster = ClusterMembership.join(settings, secret, settings.httpPort(),
                Optional.of(settings.webrtcPort()));
        // RelayWiring binds the port after the one it is given (its default, cluster port + 1), so handing it the
        // port below --relay-port binds exactly --relay-port (validated to be 2..65535 apart from the cluster port).
        RelayWiring relay = new RelayWiring(cluster, secret, settings.relayPort() - 1,
                ClusterMembership.advertisedIp(settings));
        StandaloneNode node;
        try {
            node = StandaloneNode.start(settings, secret, false, List.of(cluster), relay);
        } catch (RuntimeException | InterruptedException e) {
            cluster.close();
            throw e;
        }
        node.events().ifPresent(events -> reportMembership(cluster, settings, events));
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "relaymesh-load");
            t.setDaemon(true);
            return t;
        });
        LoadSampler sampler = new LoadSampler(node, sessionCapacity);
        timer.scheduleWithFixedDelay(() -> {
            try {
                cluster.updateLocalLoad(sampler.sample());
            } catch (RuntimeException e) {
                LOG.warn("load report failed", e);
            }
        }, 0, LOAD_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return new MediaNode(node, cluster, relay, timer);
    }

    /**
     * Cluster events of this node: its own {@code node.joined} once it has joined, and {@code node.left} for the
     * members it is the reporter of ({@link ClusterEvents}). Shared with the gateway.
     */
    static void reportMembership(ClusterNode cluster, NodeSettings settings, EventEmitter events) {
        ClusterEvents membership = new ClusterEvents(events, cluster.id(), cluster::members);
        cluster.addListener(membership);
        cluster.joined().thenRun(() -> membership.joined(settings.zone(), hostPort(cluster)));
    }

    private static String hostPort(ClusterNode cluster) {
        String address = cluster.address();
        return address.substring(address.lastIndexOf('@') + 1);
    }

    /** The CLI entry: starts, prints how to reach and join it, and waits for a stop signal. */
    static int run(NodeSettings settings) throws InterruptedException {
        long begin = System.nanoTime();
        MediaNode media;
        try {
            media = start(settings, ClusterMembership.requireSecret(settings), settings.sessionCapacity());
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("relaymesh media: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            media.close();
            stopped.countDown();
        }, "relaymesh-shutdown"));
        PrintStream out = System.out;
        int port = media.node.httpPort();
        out.println("relaymesh media " + StandaloneNode.softwareVersion() + " node " + settings.nodeId()
                + " zone " + settings.zone() + " started in "
                + Duration.ofNanos(System.nanoTime() - begin).toMillis() + " ms");
        ClusterMembership.printJoinHint(out, settings, media.cluster);
        out.println("  health     http://localhost:" + port + "/health");
        out.println("  cluster    http://localhost:" + port + "/api/cluster (bearer secret from other machines)");
        out.println("  WHIP       http://localhost:" + port + "/whip/endpoint");
        out.println("  WHEP       http://localhost:" + port + "/whep/endpoint");
        out.println("  WebRTC     UDP " + media.node.webrtcPort());
        out.println("  relay      UDP " + settings.relayPort() + ", " + settings.sessionCapacity()
                + " sessions offered to gateways");
        out.flush();
        stopped.await();
        return 0;
    }

    public ClusterNode cluster() {
        return cluster;
    }

    public int httpPort() {
        return node.httpPort();
    }

    /**
     * Stops relaying (the relay talks through the cluster member), leaves the cluster (gateways stop placing
     * sessions here at once), then drains and stops the node.
     */
    @Override
    public void close() {
        loadTimer.shutdownNow();
        relay.close();
        cluster.close();
        node.close();
    }

    /** Reads the node's load: process CPU, heap, live sessions against capacity, media bandwidth. */
    static final class LoadSampler {

        private final StandaloneNode node;
        private final long capacity;
        private final com.sun.management.OperatingSystemMXBean os;
        private long lastNanos = System.nanoTime();
        private long lastIn;
        private long lastOut;

        LoadSampler(StandaloneNode node, long capacity) {
            this.node = node;
            this.capacity = capacity;
            this.os = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean b
                    ? b : null;
            TransportCounters c = node.transport().counters();
            this.lastIn = bytes(c, true);
            this.lastOut = bytes(c, false);
        }

        NodeLoad sample() {
            // The process's share of the machine: on a dedicated host or container it is the node's load, and
            // it is not skewed by unrelated processes on a shared one.
            double cpu = os == null ? 0 : Math.max(0, os.getProcessCpuLoad());
            Runtime rt = Runtime.getRuntime();
            double memory = (rt.totalMemory() - rt.freeMemory()) / (double) rt.maxMemory();
            long now = System.nanoTime();
            TransportCounters c = node.transport().counters();
            long in = bytes(c, true);
            long out = bytes(c, false);
            double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
            long inKbps = (long) ((in - lastIn) * 8 / 1000.0 / seconds);
            long outKbps = (long) ((out - lastOut) * 8 / 1000.0 / seconds);
            lastNanos = now;
            lastIn = in;
            lastOut = out;
            // A node that is not READY (draining, stopping) offers no capacity, so gateways skip it.
            long offered = node.status().state() == NodeStatus.State.READY ? capacity : 0;
            return new NodeLoad(permille(cpu), permille(memory), Math.min(node.sessionCount(), 0xFFFF_FFFFL),
                    offered, clamp(inKbps), clamp(outKbps));
        }

        private static long bytes(TransportCounters c, boolean in) {
            long sum = 0;
            for (PacketKind k : PacketKind.values()) {
                sum += in ? c.bytesIn(k) : c.bytesOut(k);
            }
            return sum;
        }

        private static int permille(double fraction) {
            return (int) Math.max(0, Math.min(1000, Math.round(fraction * 1000)));
        }

        private static long clamp(long kbps) {
            return Math.max(0, Math.min(0xFFFF_FFFFL, kbps));
        }
    }
}
