package io.relaymesh.node.boot;

import io.relaymesh.node.cluster.ClusterNode;
import io.relaymesh.node.config.NodeSettings;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.connector.EventConnector;
import io.relaymesh.node.events.EventEmitter;
import io.relaymesh.node.events.RoutingEvents;
import io.relaymesh.node.gateway.HttpRoomLocator;
import io.relaymesh.node.gateway.RouteListener;
import io.relaymesh.node.gateway.NodeSelector;
import io.relaymesh.node.gateway.RoomDirectory;
import io.relaymesh.node.gateway.SessionProxy;
import io.relaymesh.node.gateway.SessionRouter;
import io.relaymesh.node.http.HttpApi;
import io.relaymesh.node.http.NodeStatus;
import io.relaymesh.node.metrics.NodeMetrics;
import io.relaymesh.node.token.TokenService;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code relaymesh gateway}: the cluster's HTTP entry point. Issues tokens and takes WHIP/WHEP offers, places each
 * session on a media node and forwards its signalling there; serves {@code /health}, {@code /metrics} and
 * {@code /api/cluster}. Carries no media.
 */
public final class GatewayNode implements AutoCloseable {

    private final NodeStatus status;
    private final ClusterNode cluster;
    private final HttpApi http;
    private final Deque<AutoCloseable> parts;

    private GatewayNode(NodeStatus status, ClusterNode cluster, HttpApi http, Deque<AutoCloseable> parts) {
        this.status = status;
        this.cluster = cluster;
        this.http = http;
        this.parts = parts;
    }

    public static GatewayNode start(NodeSettings settings, Secret secret) throws InterruptedException {
        Clock clock = Clock.systemUTC();
        NodeStatus status = new NodeStatus(settings.nodeId(), StandaloneNode.softwareVersion(), clock.instant());
        Deque<AutoCloseable> parts = new ArrayDeque<>();
        try {
            // The connector is closed last (started first) so the last routes and membership changes are queued.
            EventConnector connector = StandaloneNode.startConnector(settings, secret, clock);
            if (connector != null) {
                parts.push(connector);
            }
            EventEmitter events = connector == null ? null : StandaloneNode.emitter(settings, clock, connector);
            ClusterNode cluster = ClusterMembership.join(settings, secret, settings.httpPort(), Optional.empty());
            parts.push(cluster);
            SessionRouter router = new SessionRouter(cluster::members, settings.zone(),
                    new NodeSelector(settings.placementCpuLimit() * 10),
                    SessionProxy.create(), new RoomDirectory(),
                    new HttpRoomLocator(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build(), secret),
                    events == null ? RouteListener.NONE : new RoutingEvents(events), System::nanoTime);
            cluster.addListener(router);
            if (events != null) {
                MediaNode.reportMembership(cluster, settings, events);
            }
            NodeMetrics metrics = NodeMetrics.create(settings.nodeId(), clock);
            parts.push(metrics);
            if (connector != null) {
                metrics.bindEventDelivery("connector", StandaloneNode.connectorStats(connector));
            }
            TokenService tokens = new TokenService(secret, clock);
            HttpApi http;
            try {
                http = HttpApi.startGateway(settings.httpPort(), status, secret, tokens, metrics, router, cluster);
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot start HTTP on port " + settings.httpPort() + ": "
                        + e.getMessage(), e);
            }
            parts.push(http);
            metrics.startSampling();
            status.set(NodeStatus.State.READY);
            return new GatewayNode(status, cluster, http, parts);
        } catch (RuntimeException | InterruptedException e) {
            StandaloneNode.closeAll(parts);
            throw e;
        }
    }

    static int run(NodeSettings settings) throws InterruptedException {
        long begin = System.nanoTime();
        GatewayNode gateway;
        try {
            gateway = start(settings, ClusterMembership.requireSecret(settings));
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("relaymesh gateway: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "relaymesh-shutdown"));
        PrintStream out = System.out;
        int port = gateway.http.port();
        out.println("relaymesh gateway " + gateway.status.version() + " node " + settings.nodeId() + " zone "
                + settings.zone() + " started in " + Duration.ofNanos(System.nanoTime() - begin).toMillis() + " ms");
        ClusterMembership.printJoinHint(out, settings, gateway.cluster);
        out.println("  samples    http://localhost:" + port + "/samples/");
        out.println("  health     http://localhost:" + port + "/health");
        out.println("  cluster    http://localhost:" + port + "/api/cluster (bearer secret from other machines)");
        out.println("  WHIP       http://localhost:" + port + "/whip/endpoint  (?zone= or header Relaymesh-Zone)");
        out.println("  WHEP       http://localhost:" + port + "/whep/endpoint");
        out.flush();
        stopped.await();
        return 0;
    }

    public int httpPort() {
        return http.port();
    }

    public ClusterNode cluster() {
        return cluster;
    }

    @Override
    public void close() {
        if (status.state() == NodeStatus.State.STOPPED) {
            return;
        }
        status.set(NodeStatus.State.DRAINING);
        StandaloneNode.closeAll(parts);
        status.set(NodeStatus.State.STOPPED);
    }
}
