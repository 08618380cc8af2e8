package io.relaymesh.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.relaymesh.node.cluster.membership.Member;
import io.relaymesh.node.cluster.wire.MemberState;
import io.relaymesh.node.gateway.SessionRouter.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The router against fake media nodes (JDK HTTP servers on loopback) that record what reaches them. */
class SessionRouterTest {

    private static final SignalRequest OFFER = new SignalRequest(Optional.of("application/sdp"),
            Optional.of("Bearer client-token"), Optional.empty(), "v=0\r\n");

    /** A fake media node's HTTP API: answers POST with {@code status}, records every request. */
    private static final class FakeNode implements AutoCloseable {
        final HttpServer server;
        final List<String> requests = new CopyOnWriteArrayList<>();
        final int status;

        FakeNode(int status) throws IOException {
            this.status = status;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", this::handle);
            server.start();
        }

        private void handle(HttpExchange ex) throws IOException {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " auth=" + ex.getRequestHeaders()
                    .getFirst("Authorization") + " type=" + ex.getRequestHeaders().getFirst("Content-Type")
                    + " body=" + body.strip());
            byte[] out;
            if (ex.getRequestMethod().equals("POST")) {
                out = (status == 201 ? "v=0 answer" : "draining").getBytes(StandardCharsets.UTF_8);
                if (status == 201) {
                    ex.getResponseHeaders().add("Location", ex.getRequestURI().getPath() + "/s3ss10n");
                    ex.getResponseHeaders().add("ETag", "\"e1\"");
                    ex.getResponseHeaders().add("Content-Type", "application/sdp");
                    ex.getResponseHeaders().add("X-Internal", "not for clients");
                }
                ex.sendResponseHeaders(status, out.length);
            } else {
                out = new byte[0];
                ex.sendResponseHeaders(ex.getRequestMethod().equals("PATCH") ? 204 : 200, -1);
            }
            ex.getResponseBody().write(out);
            ex.close();
        }

        int port() {
            return server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private final List<FakeNode> fakes = new ArrayList<>();

    @AfterEach
    void stopFakes() {
        fakes.forEach(FakeNode::close);
    }

    private FakeNode fake(int status) throws IOException {
        FakeNode f = new FakeNode(status);
        fakes.add(f);
        return f;
    }

    private static Member node(int index, int cpu, FakeNode fake) {
        return Members.media("eu", index, MemberState.ALIVE, cpu, 0, 100, Duration.ofMillis(1), fake.port());
    }

    private static SessionRouter router(List<Member> members) {
        return new SessionRouter(() -> members, "eu", new NodeSelector(), SessionProxy.create(), new RoomDirectory());
    }

    @Test
    void forwardsTheOfferWithTheClientsTokenAndNamesTheNodeInTheSessionUrl() throws Exception {
        FakeNode a = fake(201);
        SessionRouter router = router(List.of(Members.gateway("eu", 0), node(1, 100, a)));
        Forwarded f = router.open(Endpoint.WHIP, "room", Optional.empty(), Optional.empty(), OFFER)
                .get(5, TimeUnit.SECONDS);
        assertThat(f.status()).isEqualTo(201);
        assertThat(f.body()).isEqualTo("v=0 answer");
        assertThat(f.headers()).containsEntry("Location", "/whip/endpoint/eu-1.s3ss10n")
                .containsEntry("ETag", "\"e1\"").containsEntry("Content-Type", "application/sdp")
                .containsEntry(SessionRouter.NODE_HEADER, "eu-1").doesNotContainKey("X-Internal");
        assertThat(a.requests).containsExactly(
                "POST /whip/endpoint auth=Bearer client-token type=application/sdp body=v=0");
        assertThat(router.rooms().hostOf("room")).contains("eu-1");
    }

    @Test
    void aViewerLandsOnThePublishersNodeEvenWhenAnotherIsLessLoaded() throws Exception {
        FakeNode busy = fake(201);
        FakeNode idle = fake(201);
        SessionRouter router = router(List.of(node(1, 500, busy), node(2, 0, idle)));
        router.rooms().published("room", "eu-1");
        Forwarded f = router.open(Endpoint.WHEP, "room", Optional.empty(), Optional.empty(), OFFER)
                .get(5, TimeUnit.SECONDS);
        assertThat(f.headers()).containsEntry("Location", "/whep/endpoint/eu-1.s3ss10n");
        assertThat(idle.requests).isEmpty();
    }

    @Test
    void aRoomThisGatewayDidNotPlaceIsLookedUpOnTheNodesAndRemembered() throws Exception {
        FakeNode idle = fake(201);
        FakeNode host = fake(201);
        List<Member> members = List.of(node(1, 0, idle), node(2, 500, host));
        List<String> asked = new CopyOnWriteArrayList<>();
        RoomLocator locator = (room, nodes) -> {
            asked.add(room + " " + nodes.stream().map(Member::id).toList());
            return java.util.concurrent.CompletableFuture.completedFuture(Optional.of("eu-2"));
        };
        SessionRouter router = new SessionRouter(() -> members, "eu", new NodeSelector(), SessionProxy.create(),
                new RoomDirectory(), locator);
        for (int i = 0; i < 2; i++) {
            Forwarded f = router.open(Endpoint.WHEP, "room", Optional.empty(), Optional.empty(), OFFER)
                    .get(5, TimeUnit.SECONDS);
            assertThat(f.headers()).containsEntry(SessionRouter.NODE_HEADER, "eu-2");
        }
        assertThat(asked).as("asked once, then remembered").containsExactly("room [eu-1, eu-2]");
        assertThat(idle.requests).isEmpty();
    }

    @Test
    void aNodeThatRefusesOrIsUnreachableIsSkipped() throws Exception {
        FakeNode draining = fake(503);
        FakeNode gone = fake(201);
        gone.close(); // port closed: connection refused
        FakeNode ok = fake(201);
        SessionRouter router = router(List.of(node(1, 0, draining), node(2, 100, gone), node(3, 200, ok)));
        Forwarded f = router.open(Endpoint.WHIP, "room", Optional.empty(), Optional.empty(), OFFER)
                .get(10, TimeUnit.SECONDS);
        assertThat(f.status()).isEqualTo(201);
        assertThat(f.headers()).containsEntry(SessionRouter.NODE_HEADER, "eu-3");
        assertThat(draining.requests).hasSize(1);
    }

    @Test
    void nothingAvailableIs503WithAReasonAndRetryAfter() throws Exception {
        FakeNode hot = fake(201);
        Forwarded f = router(List.of(node(1, 700, hot)))
                .open(Endpoint.WHIP, "room", Optional.empty(), Optional.empty(), OFFER).get(5, TimeUnit.SECONDS);
        assertThat(f.status()).isEqualTo(503);
        assertThat(f.headers()).containsEntry("Retry-After", SessionRouter.RETRY_AFTER_SECONDS);
        assertThat(f.body()).contains("full");
        assertThat(hot.requests).isEmpty();

        FakeNode refusing = fake(503);
        Forwarded all = router(List.of(node(1, 0, refusing)))
                .open(Endpoint.WHIP, "room", Optional.empty(), Optional.empty(), OFFER).get(5, TimeUnit.SECONDS);
        assertThat(all.status()).isEqualTo(503);
        assertThat(all.body()).contains("eu-1 refused (draining)");
    }

    @Test
    void patchAndDeleteGoToTheNodeNamedInTheSessionId() throws Exception {
        FakeNode a = fake(201);
        FakeNode b = fake(201);
        SessionRouter router = router(List.of(node(1, 0, a), node(2, 0, b)));
        router.rooms().published("room", "eu-2");
        SignalRequest trickle = new SignalRequest(Optional.of("application/trickle-ice-sdpfrag"),
                Optional.of("Bearer t"), Optional.of("*"), "a=candidate");
        assertThat(router.patch(Endpoint.WHIP, "eu-2.abc", trickle).get(5, TimeUnit.SECONDS).status()).isEqualTo(204);
        assertThat(router.delete(Endpoint.WHIP, "eu-2.abc", "room", new SignalRequest(Optional.empty(),
                Optional.of("Bearer t"), Optional.empty(), "")).get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(b.requests).containsExactly(
                "PATCH /whip/endpoint/abc auth=Bearer t type=application/trickle-ice-sdpfrag body=a=candidate",
                "DELETE /whip/endpoint/abc auth=Bearer t type=null body=");
        assertThat(a.requests).isEmpty();
        assertThat(router.rooms().hostOf("room")).isEmpty();
    }

    @Test
    void aSessionOfAnUnknownNodeOrAMalformedIdIs404() throws Exception {
        FakeNode a = fake(201);
        SessionRouter router = router(List.of(node(1, 0, a)));
        assertThat(router.patch(Endpoint.WHEP, "eu-9.abc", OFFER).get(5, TimeUnit.SECONDS).status()).isEqualTo(404);
        assertThat(router.patch(Endpoint.WHEP, "abc", OFFER).get(5, TimeUnit.SECONDS).status()).isEqualTo(404);
        assertThat(a.requests).isEmpty();
    }

    /** A router whose placement decisions are recorded, with a clock that advances 7 ms per reading. */
    private static SessionRouter reporting(List<Member> members, List<Route> routes, RoomLocator locator) {
        java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
        return new SessionRouter(() -> members, "eu", new NodeSelector(), SessionProxy.create(), new RoomDirectory(),
                locator, routes::add, () -> nanos.getAndAdd(7_000_000));
    }

    private static Member zoned(String zone, int index, int cpu, FakeNode fake) {
        return Members.media(zone, index, MemberState.ALIVE, cpu, 0, 100, Duration.ofMillis(1), fake.port());
    }

    @Test
    void eachPlacedSessionIsReportedWithItsNodeSessionAndWhyThatNode() throws Exception {
        FakeNode host = fake(201);
        FakeNode idle = fake(201);
        List<Route> routes = new CopyOnWriteArrayList<>();
        SessionRouter router = reporting(List.of(zoned("eu", 1, 500, host), zoned("eu", 2, 0, idle)), routes,
                RoomLocator.NONE);
        router.open(Endpoint.WHIP, "room", Optional.of("alice"), Optional.empty(), Optional.empty(), OFFER)
                .get(5, TimeUnit.SECONDS);
        router.open(Endpoint.WHEP, "room", Optional.of("bob"), Optional.empty(), Optional.empty(), OFFER)
                .get(5, TimeUnit.SECONDS);
        assertThat(routes).containsExactly(
                new Route(Endpoint.WHIP, "room", Optional.of("alice"), Optional.of("s3ss10n"), Optional.of("eu-2"),
                        Optional.of("eu"), "eu", Optional.of(RouteReason.LEAST_LOADED), 7, Optional.empty()),
                new Route(Endpoint.WHEP, "room", Optional.of("bob"), Optional.of("s3ss10n"), Optional.of("eu-2"),
                        Optional.of("eu"), "eu", Optional.of(RouteReason.PUBLISHER_NODE), 7, Optional.empty()));
    }

    @Test
    void aFullZoneFallsBackAndTheRouteSaysSo() throws Exception {
        FakeNode hot = fake(201);
        FakeNode far = fake(201);
        List<Route> routes = new CopyOnWriteArrayList<>();
        reporting(List.of(zoned("eu", 1, 900, hot), zoned("us", 2, 0, far)), routes, RoomLocator.NONE)
                .open(Endpoint.WHEP, "room", Optional.empty(), Optional.empty(), Optional.empty(), OFFER)
                .get(5, TimeUnit.SECONDS);
        assertThat(routes).singleElement().satisfies(r -> {
            assertThat(r.node()).contains("us-2");
            assertThat(r.nodeZone()).contains("us");
            assertThat(r.requestedZone()).isEqualTo("eu");
            assertThat(r.reason()).contains(RouteReason.FALLBACK_ZONE);
            assertThat(r.peer()).isEmpty();
        });
    }

    @Test
    void aPinnedSessionIsReportedAsPinned() throws Exception {
        FakeNode a = fake(201);
        FakeNode b = fake(201);
        List<Route> routes = new CopyOnWriteArrayList<>();
        reporting(List.of(zoned("eu", 1, 0, a), zoned("eu", 2, 900, b)), routes, RoomLocator.NONE)
                .open(Endpoint.WHEP, "room", Optional.empty(), Optional.empty(), Optional.of("eu-2"), OFFER)
                .get(5, TimeUnit.SECONDS);
        assertThat(routes).singleElement().satisfies(r -> {
            assertThat(r.node()).contains("eu-2");
            assertThat(r.reason()).contains(RouteReason.PINNED);
        });
    }

    @Test
    void anOfferNoNodeTookIsReportedAsAFailureWithTheReason() throws Exception {
        FakeNode refusing = fake(503);
        List<Route> routes = new CopyOnWriteArrayList<>();
        Forwarded f = reporting(List.of(zoned("eu", 1, 0, refusing)), routes, RoomLocator.NONE)
                .open(Endpoint.WHIP, "room", Optional.of("alice"), Optional.of("eu"), Optional.empty(), OFFER)
                .get(5, TimeUnit.SECONDS);
        assertThat(f.status()).isEqualTo(503);
        assertThat(routes).singleElement().satisfies(r -> {
            assertThat(r.failed()).isTrue();
            assertThat(r.node()).isEmpty();
            assertThat(r.sessionId()).isEmpty();
            assertThat(r.failure()).hasValueSatisfying(why -> assertThat(why).contains("eu-1 refused (draining)"));
            assertThat(r.routingMillis()).isEqualTo(7);
        });
    }

    @Test
    void anOfferTheNodeRejectsOnItsMeritsIsNotARoute() throws Exception {
        FakeNode strict = fake(400);
        List<Route> routes = new CopyOnWriteArrayList<>();
        Forwarded f = reporting(List.of(zoned("eu", 1, 0, strict)), routes, RoomLocator.NONE)
                .open(Endpoint.WHIP, "room", Optional.empty(), Optional.empty(), Optional.empty(), OFFER)
                .get(5, TimeUnit.SECONDS);
        assertThat(f.status()).isEqualTo(400);
        assertThat(routes).isEmpty();
    }

    @Test
    void routingTimeIncludesAskingTheNodesForTheRoom() throws Exception {
        FakeNode host = fake(201);
        List<Route> routes = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
        RoomLocator slow = (room, nodes) -> {
            nanos.addAndGet(40_000_000); // the lookup takes 40 ms on the injected clock
            return java.util.concurrent.CompletableFuture.completedFuture(Optional.of("eu-1"));
        };
        List<Member> members = List.of(zoned("eu", 1, 0, host));
        new SessionRouter(() -> members, "eu", new NodeSelector(), SessionProxy.create(), new RoomDirectory(), slow,
                routes::add, nanos::get)
                .open(Endpoint.WHEP, "room", Optional.empty(), Optional.empty(), Optional.empty(), OFFER)
                .get(5, TimeUnit.SECONDS);
        assertThat(routes).singleElement().satisfies(r -> {
            assertThat(r.routingMillis()).isEqualTo(40);
            assertThat(r.reason()).contains(RouteReason.PUBLISHER_NODE);
        });
    }
}
