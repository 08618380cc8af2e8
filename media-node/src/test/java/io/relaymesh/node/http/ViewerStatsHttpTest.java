package io.relaymesh.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.relaymesh.node.sfu.Signaling.LayerPreferences;
import io.relaymesh.node.token.Protocol;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET /whep/endpoint/{id}} (what a viewer receives) and {@code PUT /whep/endpoint/{id}/preferences} (its layer
 * caps) over real HTTP: the exact JSON of the contract, who may call them, and every refusal with its reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ViewerStatsHttpTest {

    private static final String OFFER = "v=0\r\no=- 42 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n";

    private TestNode node;
    private String viewer;
    private String publisher;

    @BeforeAll
    void start() throws Exception {
        node = new TestNode();
        viewer = open("/whep/endpoint", Protocol.WHEP);
        publisher = open("/whip/endpoint", Protocol.WHIP);
    }

    @AfterAll
    void stop() {
        node.close();
    }

    private String open(String path, Protocol protocol) throws Exception {
        HttpResponse<String> r = node.send(node.request(path).header("Content-Type", "application/sdp")
                .header("Authorization", "Bearer " + node.token(protocol, "studio"))
                .POST(BodyPublishers.ofString(OFFER)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String location = r.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private HttpResponse<String> get(String path, String bearer) throws Exception {
        HttpRequest.Builder b = node.request(path).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return node.send(b.build());
    }

    private HttpResponse<String> put(String sessionId, String bearer, String body) throws Exception {
        return node.send(node.request("/whep/endpoint/" + sessionId + "/preferences")
                .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                .PUT(BodyPublishers.ofString(body)).build());
    }

    @Test
    void statsAreTheContractsJsonWithNullsWrittenOut() throws Exception {
        HttpResponse<String> r = get("/whep/endpoint/" + viewer, node.token(Protocol.WHEP, "studio"));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
        assertThat(r.body()).isEqualTo("{\"session\":\"" + viewer + "\",\"estimateBps\":1234567,\"rttMs\":null,"
                + "\"lossFraction\":0.250,\"tracks\":["
                + "{\"track\":\"pub:1\",\"kind\":\"video\",\"layers\":3,\"spatial\":1,\"temporal\":2,"
                + "\"targetSpatial\":2,\"targetTemporal\":2,\"rid\":\"h\\\"q\",\"width\":640,\"height\":360,"
                + "\"bitrateBps\":456789,\"switches\":4},"
                + "{\"track\":\"0\",\"kind\":\"audio\",\"layers\":0,\"spatial\":-1,\"temporal\":-1,"
                + "\"targetSpatial\":-1,\"targetTemporal\":-1,\"rid\":null,\"width\":null,\"height\":null,"
                + "\"bitrateBps\":0,\"switches\":0}],"
                + "\"bandwidth\":{\"delayBasedBps\":1300000,\"lossBasedBps\":1500000,\"acknowledgedBps\":900000,"
                + "\"sendRateBps\":950000,\"feedbackLoss\":0.125,\"usage\":\"overusing\",\"probes\":7,"
                + "\"pacingRateBps\":3250000,\"pacerQueuedBytes\":2400,\"pacerLongestWaitMs\":12.500}}");
    }

    @Test
    void theClusterSecretAlsoReadsStats() throws Exception {
        assertThat(get("/whep/endpoint/" + viewer, TestNode.SECRET.reveal()).statusCode()).isEqualTo(200);
    }

    @Test
    void statsNeedAToken() throws Exception {
        assertThat(get("/whep/endpoint/" + viewer, null).statusCode()).isEqualTo(401);
        assertThat(get("/whep/endpoint/" + viewer, TestNode.WRONG_SECRET.reveal()).statusCode()).isEqualTo(401);
        assertThat(get("/whep/endpoint/" + viewer, node.token(Protocol.WHEP, "other-room")).statusCode())
                .isEqualTo(403);
    }

    @Test
    void statsOfAnUnknownOrPublishingSessionAre404() throws Exception {
        HttpResponse<String> unknown = get("/whep/endpoint/nope", node.token(Protocol.WHEP, "studio"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("no such");
        assertThat(get("/whip/endpoint/" + publisher, node.token(Protocol.WHIP, "studio")).statusCode())
                .isEqualTo(404);
        assertThat(get("/whep/endpoint/" + publisher, TestNode.SECRET.reveal()).statusCode()).isEqualTo(404);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"maxSpatial\":1,\"maxTemporal\":0}|1|0",
            "{ \"maxTemporal\" : 2 }|2147483647|2",
            "{\"maxSpatial\":0,\"maxTemporal\":null}|0|2147483647",
            "{}|2147483647|2147483647"})
    void preferencesAreAppliedWith204(String body, int maxSpatial, int maxTemporal) throws Exception {
        HttpResponse<String> r = put(viewer, node.token(Protocol.WHEP, "studio"), body);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        assertThat(node.signaling.preferences()).containsEntry(viewer, new LayerPreferences(maxSpatial, maxTemporal));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"maxSpatial\":1", "[1]", "{\"maxSpatial\":-1}", "{\"maxSpatial\":1.5}",
            "{\"maxSpatial\":\"1\"}", "{\"maxSpatial\":1,\"maxSpatial\":2}", "{\"quality\":1}",
            "{\"maxSpatial\":1} x", "{\"maxSpatial\":12345678901}", "{\"maxSpatial\" 1}", "{\"max"})
    void malformedPreferencesAre400WithAReason(String body) throws Exception {
        HttpResponse<String> r = put(viewer, node.token(Protocol.WHEP, "studio"), body);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("preferences:");
    }

    @Test
    void preferencesOfAnUnknownSessionAre404AndNeedAToken() throws Exception {
        assertThat(put("nope", node.token(Protocol.WHEP, "studio"), "{}").statusCode()).isEqualTo(404);
        assertThat(put(viewer, node.token(Protocol.WHIP, "studio"), "{}").statusCode()).isEqualTo(403);
        assertThat(put(viewer, TestNode.SECRET.reveal(), "{\"maxSpatial\":2}").statusCode()).isEqualTo(204);
    }

    @Test
    void theOpenApiDocumentDescribesBothRoutes() throws Exception {
        HttpResponse<String> r = node.get("/openapi/relaymesh.yml");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("/whep/endpoint/{sessionId}/preferences:").contains("lossFraction")
                .contains("maxTemporal");
    }
}
