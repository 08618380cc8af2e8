package io.relaymesh.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Health, node info, API docs and sample pages, as a load balancer, an operator and a person see them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeEndpointsHttpTest {

    TestNode node;

    @BeforeAll
    void startNode() {
        node = new TestNode();
    }

    @AfterAll
    void stopNode() {
        node.close();
    }

    @AfterEach
    void backToReady() {
        node.status.set(NodeStatus.State.READY);
    }

    @Test
    void healthIs200WhenReady() throws Exception {
        HttpResponse<String> response = node.get("/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"READY\"").contains("\"node\":\"zone-a-1\"");
    }

    @ParameterizedTest
    @EnumSource(value = NodeStatus.State.class, names = "READY", mode = EnumSource.Mode.EXCLUDE)
    void healthIs503WhenNotAcceptingSessions(NodeStatus.State state) throws Exception {
        node.status.set(state);

        HttpResponse<String> response = node.get("/health");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("\"status\":\"" + state.name() + "\"");
    }

    @Test
    void healthFollowsTheNodeThroughItsLifecycle() throws Exception {
        node.status.set(NodeStatus.State.STARTING);
        assertThat(node.get("/health").statusCode()).isEqualTo(503);
        node.status.set(NodeStatus.State.READY);
        assertThat(node.get("/health").statusCode()).isEqualTo(200);
        node.status.set(NodeStatus.State.DRAINING);
        assertThat(node.get("/health").statusCode()).isEqualTo(503);
    }

    @Test
    void nodeInfoGivesIdentityVersionStateAndUptime() throws Exception {
        node.status.set(NodeStatus.State.DRAINING);

        HttpResponse<String> response = node.get("/api/node");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body())
                .contains("\"node\":\"zone-a-1\"")
                .contains("\"version\":\"9.9.9-test\"")
                .contains("\"state\":\"DRAINING\"")
                .contains("\"startedAt\":\"2025-03-01T12:00:00Z\"");
        Matcher uptime = Pattern.compile("\"uptimeSeconds\":(\\d+)").matcher(response.body());
        assertThat(uptime.find()).isTrue();
        assertThat(Long.parseLong(uptime.group(1))).isPositive();
    }

    @Test
    void swaggerUiPagePointsAtTheOpenApiDocument() throws Exception {
        HttpResponse<String> response = node.get("/ui");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(response.body()).contains("/openapi/relaymesh.yml").contains("SwaggerUIBundle");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ui/assets/swagger-ui-bundle.js", "/ui/assets/swagger-ui.css"})
    void swaggerUiAssetsAreServedFromTheJar(String path) throws Exception {
        HttpResponse<String> response = node.get(path);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).hasSizeGreaterThan(1000);
    }

    @Test
    void openApiDocumentDescribesTheHttpApi() throws Exception {
        HttpResponse<String> response = node.get("/openapi/relaymesh.yml");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .startsWith("openapi:")
                .contains("/whip/endpoint:")
                .contains("/whip/endpoint/{sessionId}:")
                .contains("/whep/endpoint:")
                .contains("/whep/endpoint/{sessionId}:")
                .contains("/token/{protocol}:")
                .contains("/health:")
                .contains("bearer");
    }

    @Test
    void rootRedirectsToTheSamples() throws Exception {
        HttpResponse<String> response = node.get("/");

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).hasValue("/samples/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/samples/", "/samples/whip/", "/samples/whep/", "/samples/whip", "/samples/whep"})
    void samplePagesAreServedAsHtml(String path) throws Exception {
        HttpResponse<String> response = node.get(path);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(response.body()).containsIgnoringCase("<!doctype html>");
    }

    @Test
    void samplePlayerAndBroadcasterAreDifferentPages() throws Exception {
        String whip = node.get("/samples/whip/").body();
        String whep = node.get("/samples/whep/").body();

        assertThat(whip).isNotEqualTo(whep);
        assertThat(whip).contains("/samples/relaymesh.js");
        assertThat(whep).contains("/samples/relaymesh.js");
    }

    @Test
    void sampleScriptIsServedAsJavaScript() throws Exception {
        HttpResponse<String> response = node.get("/samples/relaymesh.js");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).contains("javascript"));
        assertThat(response.body()).contains("/whip/endpoint").contains("/whep/endpoint");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/samples/", "/samples/whip/", "/samples/whep/"})
    void everyLocalLinkOnASamplePageResolves(String page) throws Exception {
        List<String> links = Pattern.compile("(?:href|src)=\"(/[^\"]*)\"").matcher(node.get(page).body())
                .results().map(m -> m.group(1)).toList();
        assertThat(links).isNotEmpty();

        for (String link : links) {
            assertThat(node.get(link).statusCode()).as("%s links to %s", page, link).isIn(200, 303);
        }
    }

    @Test
    void unknownSampleFileIs404() throws Exception {
        assertThat(node.get("/samples/no-such-file.js").statusCode()).isEqualTo(404);
    }
}
