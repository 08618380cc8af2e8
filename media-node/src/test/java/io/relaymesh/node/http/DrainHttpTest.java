package io.relaymesh.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.relaymesh.node.sfu.Signaling;
import io.relaymesh.node.token.Protocol;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /drain}: from the node's own machine it stops admission and waits for live sessions. */
class DrainHttpTest {

    private TestNode node;

    @BeforeEach
    void start() {
        node = new TestNode();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private HttpResponse<String> offer(String path) throws Exception {
        return node.send(node.request(path)
                .header("Content-Type", "application/sdp")
                .header("Authorization", "Bearer " + node.token(Protocol.WHIP, "room-1"))
                .POST(HttpRequest.BodyPublishers.ofString("v=0\r\n")).build());
    }

    @Test
    void drainWithNoSessionsReturnsAtOnceAndRefusesNewSessions() throws Exception {
        HttpResponse<String> drained = node.get("/drain?seconds=5");
        assertThat(drained.statusCode()).isEqualTo(200);
        assertThat(drained.body()).contains("\"state\":\"DRAINING\"").contains("\"sessionsLeft\":0");
        assertThat(node.get("/health").statusCode()).isEqualTo(503);

        HttpResponse<String> refused = offer("/whip/endpoint");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue(AdmissionFilter.RETRY_AFTER_SECONDS);
        assertThat(refused.body()).contains("draining");
        assertThat(node.signaling.sessionCount()).isZero();
    }

    @Test
    void drainWaitsForLiveSessionsUntilItsBudgetIsSpent() throws Exception {
        assertThat(offer("/whip/endpoint").statusCode()).isEqualTo(201);
        HttpResponse<String> drained = node.get("/drain?seconds=1");
        assertThat(drained.statusCode()).isEqualTo(200);
        assertThat(drained.body()).contains("\"sessionsLeft\":1");
    }

    @Test
    void drainRejectsABudgetOutOfRange() throws Exception {
        assertThat(node.get("/drain?seconds=-1").statusCode()).isEqualTo(400);
        assertThat(node.get("/drain?seconds=3601").statusCode()).isEqualTo(400);
        assertThat(node.status.state()).isEqualTo(NodeStatus.State.READY);
    }

    @Test
    void sessionsAreStillAdmittedWhileReady() throws Exception {
        assertThat(offer("/whip/endpoint").statusCode()).isEqualTo(201);
        assertThat(node.signaling.sessionCount()).isEqualTo(1);
        assertThat(node.signaling.find("missing")).isEqualTo(java.util.Optional.<Signaling.SessionView>empty());
    }
}
