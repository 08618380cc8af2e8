package io.relaymesh.node.http;

import io.micronaut.context.BeanProvider;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;
import io.relaymesh.node.cluster.ClusterNode;
import io.relaymesh.node.cluster.membership.Member;
import io.relaymesh.node.cluster.wire.NodeLoad;
import io.relaymesh.node.config.Role;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.gateway.SessionRouter;
import io.relaymesh.node.metrics.ScrapeAccess;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Named;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code GET /api/cluster}: the cluster as this node sees it (members, zones, roles, load, round-trip times).
 * Protected like {@code /metrics}: the cluster secret as a bearer credential, or no credential from the node's own
 * machine. A standalone node is in no cluster and answers 404.
 */
@Controller
@Tag(name = "Node")
public final class ClusterController {

    private final BeanProvider<ClusterNode> cluster;
    private final BeanProvider<SessionRouter> router;
    private final ScrapeAccess access;

    ClusterController(BeanProvider<ClusterNode> cluster, BeanProvider<SessionRouter> router,
                      @Named("cluster") Secret secret) {
        this.cluster = cluster;
        this.router = router;
        this.access = new ScrapeAccess(secret);
    }

    /** Body of {@code /api/cluster}. */
    @Serdeable
    public record ClusterView(String self, String address, List<String> zones, List<NodeView> nodes,
                              Map<String, String> rooms) {
    }

    /**
     * One member. {@code rttMs} is the smoothed probe round trip from this node, -1 when not measured;
     * {@code zoneRttsMs} what the member publishes of its own RTT to each other zone (the relay's zone entries are
     * chosen by it).
     */
    @Serdeable
    public record NodeView(String id, String state, String zone, List<String> roles, String cluster, String http,
                           String webrtc, String version, LoadView load, double rttMs, Map<String, Double> zoneRttsMs,
                           boolean self) {
    }

    /** A member's gossiped load. */
    @Serdeable
    public record LoadView(double cpu, double memory, long sessions, long capacity, long inboundKbps,
                           long outboundKbps) {
    }

    @Get(uri = "/api/cluster", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Cluster members, zones, roles, load and RTT as this node sees them: Authorization: "
            + "Bearer <cluster secret>, or no credential from the node's own machine")
    public MutableHttpResponse<?> cluster(HttpRequest<?> request) {
        MutableHttpResponse<String> refused = MetricsController.refusal(access, request);
        if (refused != null) {
            return refused;
        }
        Optional<ClusterNode> node = cluster.find(null);
        if (node.isEmpty()) {
            return Problems.of(HttpStatus.NOT_FOUND, "this node is not a cluster member (standalone)");
        }
        List<Member> members = node.get().members();
        List<NodeView> nodes = members.stream().map(ClusterController::view).toList();
        List<String> zones = List.copyOf(new TreeSet<>(members.stream().map(m -> m.metadata().zone()).toList()));
        Map<String, String> rooms = router.find(null).map(r -> r.rooms().snapshot()).orElse(Map.of());
        return HttpResponse.ok(new ClusterView(node.get().id(), node.get().address(), zones, nodes, rooms));
    }

    private static NodeView view(Member m) {
        NodeLoad l = m.metadata().load();
        return new NodeView(m.id(), m.state().name(), m.metadata().zone(),
                m.metadata().roles().stream().map(Role::command).sorted().toList(),
                text(m.metadata().clusterAddress()),
                m.metadata().httpAddress().map(ClusterController::text).orElse(null),
                m.metadata().webrtcAddress().map(ClusterController::text).orElse(null),
                m.metadata().version(),
                new LoadView(l.cpu(), l.memory(), l.sessions(), l.sessionCapacity(), l.inboundKbps(), l.outboundKbps()),
                m.rtt().map(d -> Math.round(d.toNanos() / 1000.0) / 1000.0).orElse(-1.0), zoneRttsMs(m), m.local());
    }

    private static Map<String, Double> zoneRttsMs(Member m) {
        Map<String, Double> ms = new TreeMap<>();
        m.metadata().zoneRtts().micros().forEach((zone, micros) -> ms.put(zone, micros / 1000.0));
        return ms;
    }

    private static String text(InetSocketAddress a) {
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
