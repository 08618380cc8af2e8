package io.relaymesh.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.relaymesh.node.cluster.membership.Member;
import io.relaymesh.node.cluster.wire.MemberState;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.protocol.ProtocolException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpRoomLocatorTest {

    private static final Secret SECRET = Secret.of("room-locator-test-secret-0123456789abcdef");

    private final List<HttpServer> servers = new ArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final HttpRoomLocator locator = new HttpRoomLocator(HttpClient.newHttpClient(), SECRET);

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    /** A media node whose {@code /api/rooms/{room}} answers {@code status} and {@code body}. */
    private Member node(int index, int status, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/rooms/", ex -> {
            authorizations.add(ex.getRequestURI().getPath() + " " + ex.getRequestHeaders().getFirst("Authorization"));
            byte[] out = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
        servers.add(server);
        return Members.media("eu", index, MemberState.ALIVE, 0, 0, 100, Duration.ofMillis(1),
                server.getAddress().getPort());
    }

    @Test
    void findsTheNodeWithAPublisherAskingWithTheClusterSecret() throws Exception {
        List<Member> nodes = List.of(node(1, 200, "{\"room\":\"r\",\"publishers\":0,\"viewers\":4}"),
                node(2, 200, "{\"room\":\"r\",\"publishers\":1,\"viewers\":0}"),
                node(3, 401, "wrong cluster secret"));
        assertThat(locator.locate("r", nodes).get(5, TimeUnit.SECONDS)).contains("eu-2");
        assertThat(authorizations).contains("/api/rooms/r Bearer " + SECRET.reveal());
    }

    @Test
    void nobodyHostingUnreachableOrMalformedAnswersMeanUnknown() throws Exception {
        Member gone = node(2, 200, "{}");
        servers.getLast().stop(0);
        List<Member> nodes = List.of(node(1, 200, "{\"room\":\"r\",\"publishers\":0,\"viewers\":0}"), gone,
                node(3, 200, "not json"));
        assertThat(locator.locate("r", nodes).get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(locator.locate("r", List.of()).get(1, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void readsThePublisherCount() throws ProtocolException {
        assertThat(HttpRoomLocator.publishers("{\"room\":\"a\",\"publishers\":12,\"viewers\":3}")).isEqualTo(12);
        assertThat(HttpRoomLocator.publishers("{\"publishers\": 0}")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"publishers\":", "{\"publishers\":-1}", "{\"publishers\":\"1\"}",
            "{\"publishers\":12345678901}", "{\"publishers\":1"})
    void rejectsAnswersWithoutACount(String json) {
        assertThatThrownBy(() -> HttpRoomLocator.publishers(json)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("publisher count");
    }

    @Test
    void rejectsTruncatedAnswers() {
        String full = "{\"room\":\"a\",\"publishers\":7}";
        for (int n = 0; n < full.length() - 1; n++) {
            String truncated = full.substring(0, n);
            assertThatThrownBy(() -> HttpRoomLocator.publishers(truncated)).as(truncated)
                    .isInstanceOf(ProtocolException.class);
        }
    }
}
