package io.relaymesh.node.gateway;

import io.relaymesh.node.cluster.membership.Member;
import io.relaymesh.node.cluster.membership.MembershipListener;
import io.relaymesh.node.cluster.wire.MemberState;
import io.relaymesh.node.config.Role;
import io.relaymesh.node.protocol.ProtocolException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's signalling: places each new WHIP/WHEP session on a media node ({@link NodeSelector}), forwards
 * the offer there ({@link SessionProxy}) and returns the node's answer with a session URL that names the node,
 * so the session's PATCH and DELETE are routed to it without any per-session state in the gateway.
 */
public final class SessionRouter implements MembershipListener {

    /** The two signalling endpoints, with the base path they have on gateways and media nodes alike. */
    public enum Endpoint {
        WHIP("/whip/endpoint"),
        WHEP("/whep/endpoint");

        private final String path;

        Endpoint(String path) {
            this.path = path;
        }

        public String path() {
            return path;
        }
    }

    /** Seconds a refused client should wait: about the time new load reaches the gateway (2 s) twice over. */
    public static final String RETRY_AFTER_SECONDS = "5";
    /** Response header naming the media node that took the session (for operators and tests). */
    public static final String NODE_HEADER = "Relaymesh-Node";
    /** Nodes tried for one offer before giving up (a node may have started draining since its last gossip). */
    static final int MAX_ATTEMPTS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(SessionRouter.class);

    private final Supplier<List<Member>> members;
    private final String ownZone;
    private final NodeSelector selector;
    private final SessionProxy proxy;
    private final RoomDirectory rooms;
    private final RoomLocator locator;
    private final RouteListener routes;
    private final LongSupplier nanoTime;

    /** A router that knows only the rooms it placed publishers of. */
    public SessionRouter(Supplier<List<Member>> members, String ownZone, NodeSelector selector, SessionProxy proxy,
                         RoomDirectory rooms) {
        this(members, ownZone, selector, proxy, rooms, RoomLocator.NONE);
    }

    /**
     * @param members the cluster's members as this gateway sees them ({@code ClusterNode::members})
     * @param ownZone the zone sessions go to when the request names none
     * @param locator asks the media nodes for a room's host when {@code rooms} does not know it
     */
    public SessionRouter(Supplier<List<Member>> members, String ownZone, NodeSelector selector, SessionProxy proxy,
                         RoomDirectory rooms, RoomLocator locator) {
        this(members, ownZone, selector, proxy, rooms, locator, RouteListener.NONE, System::nanoTime);
    }

    /**
     * @param routes   hears every placement decision (the gateway's {@code session.routed} events)
     * @param nanoTime the clock routing time is measured with
     */
    public SessionRouter(Supplier<List<Member>> members, String ownZone, NodeSelector selector, SessionProxy proxy,
                         RoomDirectory rooms, RoomLocator locator, RouteListener routes, LongSupplier nanoTime) {
        this.routes = routes;
        this.nanoTime = nanoTime;
        this.members = members;
        this.ownZone = ownZone;
        this.selector = selector;
        this.proxy = proxy;
        this.rooms = rooms;
        this.locator = locator;
    }

    public String ownZone() {
        return ownZone;
    }

    public RoomDirectory rooms() {
        return rooms;
    }

    /**
     * Where a new session of {@code room} would go now. A room this gateway has not placed a publisher of is
     * looked up on the live media nodes first (it may have been published through another gateway, or before
     * this one started).
     */
    public CompletableFuture<Placement> place(String room, Optional<String> zone) {
        Optional<String> known = rooms.hostOf(room);
        CompletableFuture<Optional<String>> host = known.isPresent() ? CompletableFuture.completedFuture(known)
                : locator.locate(room, members.get().stream()
                        .filter(m -> m.state() == MemberState.ALIVE && m.metadata().roles().contains(Role.MEDIA))
                        .toList());
        return host.thenApply(h -> {
            if (known.isEmpty()) {
                h.ifPresent(id -> rooms.discovered(room, id));
            }
            return selector.select(members.get(), zone.orElse(ownZone), h);
        });
    }

    /** As {@link #open(Endpoint, String, Optional, Optional, Optional, SignalRequest)} for a token naming no peer. */
    public CompletableFuture<Forwarded> open(Endpoint endpoint, String room, Optional<String> zone,
                                             Optional<String> pinnedNode, SignalRequest request) {
        return open(endpoint, room, Optional.empty(), zone, pinnedNode, request);
    }

    /**
     * Opens a session: forwards the offer to the best node, then the next on failure or 503.
     *
     * @param peer       the peer the client's token names (reported with the route)
     * @param pinnedNode a node the caller insists on (a test hook the controller only honours with the cluster
     *                   secret); it must still be a live media node
     */
    public CompletableFuture<Forwarded> open(Endpoint endpoint, String room, Optional<String> peer,
                                             Optional<String> zone, Optional<String> pinnedNode,
                                             SignalRequest request) {
        long begin = nanoTime.getAsLong();
        String requestedZone = zone.orElse(ownZone);
        CompletableFuture<Placement> placement;
        if (pinnedNode.isPresent()) {
            List<Member> pinned = members.get().stream()
                    .filter(m -> m.id().equals(pinnedNode.get()) && m.isUp()
                            && m.metadata().httpAddress().isPresent())
                    .toList();
            placement = CompletableFuture.completedFuture(pinned.isEmpty()
                    ? Placement.refused("node " + pinnedNode.get() + " is not an up member", requestedZone)
                    : Placement.pinned(pinned, requestedZone));
        } else {
            placement = place(room, zone);
        }
        return placement.thenCompose(p -> {
            Attempt attempt = new Attempt(endpoint, room, peer, p, (nanoTime.getAsLong() - begin) / 1_000_000);
            if (p.refused()) {
                return CompletableFuture.completedFuture(attempt.unavailable(p.reason()));
            }
            List<Member> tries = p.candidates().subList(0, Math.min(MAX_ATTEMPTS, p.candidates().size()));
            return attempt(attempt, tries, 0, request, "");
        });
    }

    /** One offer being placed: what is reported when it ends. */
    private final class Attempt {
        final Endpoint endpoint;
        final String room;
        final Optional<String> peer;
        final Placement placement;
        final long routingMillis;

        Attempt(Endpoint endpoint, String room, Optional<String> peer, Placement placement, long routingMillis) {
            this.endpoint = endpoint;
            this.room = room;
            this.peer = peer;
            this.placement = placement;
            this.routingMillis = routingMillis;
        }

        Forwarded unavailable(String why) {
            report(new Route(endpoint, room, peer, Optional.empty(), Optional.empty(), Optional.empty(),
                    placement.zone(), Optional.empty(), routingMillis, Optional.of(why)));
            return SessionRouter.unavailable(why);
        }

        void placed(Member node, String sessionId) {
            report(new Route(endpoint, room, peer, Optional.of(sessionId), Optional.of(node.id()),
                    Optional.of(node.metadata().zone()), placement.zone(), Optional.of(placement.reasonFor(node)),
                    routingMillis, Optional.empty()));
        }
    }

    private void report(Route route) {
        try {
            routes.routed(route);
        } catch (RuntimeException e) {
            LOG.warn("route listener failed for a session of room {}", route.room(), e);
        }
    }

    private CompletableFuture<Forwarded> attempt(Attempt attempt, List<Member> tries, int index,
                                                 SignalRequest request, String failures) {
        if (index == tries.size()) {
            return CompletableFuture.completedFuture(attempt.unavailable("no media node took the session:" + failures));
        }
        Endpoint endpoint = attempt.endpoint;
        Member node = tries.get(index);
        InetSocketAddress http = node.metadata().httpAddress().orElseThrow();
        return proxy.forward(http, "POST", endpoint.path(), request)
                .handle((response, failure) -> {
                    if (failure != null) {
                        LOG.info("media node {} unreachable for a new {} session: {}", node.id(), endpoint, failure.toString());
                        return attempt(attempt, tries, index + 1, request,
                                failures + " " + node.id() + " unreachable;");
                    }
                    if (response.status() == 503) {
                        return attempt(attempt, tries, index + 1, request,
                                failures + " " + node.id() + " refused (" + response.body().strip() + ");");
                    }
                    return CompletableFuture.completedFuture(placed(attempt, node, response));
                })
                .thenCompose(f -> f);
    }

    /** The node's answer with its session URL rewritten to name the node. */
    private Forwarded placed(Attempt attempt, Member node, Forwarded response) {
        Endpoint endpoint = attempt.endpoint;
        String room = attempt.room;
        String nodeId = node.id();
        Map<String, String> headers = new HashMap<>(response.headers());
        headers.put(NODE_HEADER, nodeId);
        String location = headers.get("Location");
        if (response.status() == 201 && location != null) {
            String sessionId = location.substring(location.lastIndexOf('/') + 1);
            try {
                headers.put("Location", endpoint.path() + "/" + new SessionRef(nodeId, sessionId));
            } catch (IllegalArgumentException e) {
                LOG.warn("media node {} answered with an unexpected session URL {}", nodeId, location);
                return Forwarded.problem(502, "media node " + nodeId + " answered with a malformed session URL");
            }
            if (endpoint == Endpoint.WHIP) {
                rooms.published(room, nodeId);
            }
            attempt.placed(node, sessionId);
        }
        return new Forwarded(response.status(), headers, response.body());
    }

    /** Forwards a PATCH (trickle, ICE restart) to the node that owns the session. */
    public CompletableFuture<Forwarded> patch(Endpoint endpoint, String sessionRef, SignalRequest request) {
        return toOwner(endpoint, sessionRef, "PATCH", request, ref -> { });
    }

    /** Forwards a DELETE to the node that owns the session; a publisher's room is forgotten once it is gone. */
    public CompletableFuture<Forwarded> delete(Endpoint endpoint, String sessionRef, String room, SignalRequest request) {
        return toOwner(endpoint, sessionRef, "DELETE", request, ref -> {
            if (endpoint == Endpoint.WHIP) {
                rooms.unpublished(room, ref.nodeId());
            }
        });
    }

    /**
     * Forwards {@code method} on a sub-resource of a session ({@code suffix}: "" for the session itself, or e.g.
     * "/preferences") to the node that owns it.
     */
    public CompletableFuture<Forwarded> forward(Endpoint endpoint, String sessionRef, String method, String suffix,
                                                SignalRequest request) {
        return toOwner(endpoint, sessionRef, method, suffix, request, ref -> { });
    }

    private CompletableFuture<Forwarded> toOwner(Endpoint endpoint, String sessionRef, String method,
                                                 SignalRequest request, java.util.function.Consumer<SessionRef> onOk) {
        return toOwner(endpoint, sessionRef, method, "", request, onOk);
    }

    private CompletableFuture<Forwarded> toOwner(Endpoint endpoint, String sessionRef, String method, String suffix,
                                                 SignalRequest request, java.util.function.Consumer<SessionRef> onOk) {
        SessionRef ref;
        try {
            ref = SessionRef.parse(sessionRef);
        } catch (ProtocolException e) {
            return CompletableFuture.completedFuture(Forwarded.problem(404, "no such session: " + e.getMessage()));
        }
        Optional<InetSocketAddress> http = members.get().stream()
                .filter(m -> m.id().equals(ref.nodeId()) && m.isUp())
                .findFirst()
                .flatMap(m -> m.metadata().httpAddress());
        if (http.isEmpty()) {
            return CompletableFuture.completedFuture(Forwarded.problem(404,
                    "no such session: its node " + ref.nodeId() + " is not in the cluster"));
        }
        return proxy.forward(http.get(), method, endpoint.path() + "/" + ref.sessionId() + suffix, request)
                .handle((response, failure) -> {
                    if (failure != null) {
                        return Forwarded.problem(502, "media node " + ref.nodeId() + " unreachable: " + failure.getMessage());
                    }
                    if (response.status() < 300) {
                        onOk.accept(ref);
                    }
                    return response;
                });
    }

    private static Forwarded unavailable(String reason) {
        Forwarded p = Forwarded.problem(503, reason);
        Map<String, String> headers = new HashMap<>(p.headers());
        headers.put("Retry-After", RETRY_AFTER_SECONDS);
        return new Forwarded(503, headers, p.body());
    }

    @Override
    public void memberDown(Member member) {
        rooms.nodeDown(member.id());
    }
}
