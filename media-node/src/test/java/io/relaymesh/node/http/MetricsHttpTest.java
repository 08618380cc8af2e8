package io.relaymesh.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.relaymesh.node.metrics.NodeMetrics;
import io.relaymesh.node.metrics.PrometheusText;
import java.net.http.HttpResponse;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code /metrics} and the dashboard over HTTP: who may read them, what they return, and the page's files.
 * The test client is on the node's machine, so it needs no credential; one that presents a wrong one is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsHttpTest {

    private NodeMetrics metrics;
    private TestNode node;

    @BeforeAll
    void start() {
        metrics = NodeMetrics.create("zone-a-1", Clock.systemUTC());
        node = new TestNode(metrics);
    }

    @AfterAll
    void stop() {
        node.close();
        metrics.close();
    }

    @Test
    void metricsFromTheNodesMachineNeedNoCredentialAndParseAsPrometheusText() throws Exception {
        HttpResponse<String> response = node.get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("text/plain").contains("version=0.0.4"));
        assertThat(PrometheusText.parse(response.body())).containsKeys("jvm_memory_used_bytes", "process_cpu_usage");
    }

    @Test
    void metricsWithTheClusterSecretAsBearerAreServed() throws Exception {
        HttpResponse<String> response = node.send(node.request("/metrics")
                .header("Authorization", "Bearer " + TestNode.SECRET.reveal()).GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("jvm_memory_used_bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/metrics", "/dashboard/api/samples"})
    void aWrongCredentialIsRefusedEvenFromTheNodesMachine(String path) throws Exception {
        for (String authorization : new String[] {"Bearer " + TestNode.WRONG_SECRET.reveal(), "Basic dXNlcjpwYXNz"}) {
            HttpResponse<String> response = node.send(node.request(path)
                    .header("Authorization", authorization).GET().build());

            assertThat(response.statusCode()).as(authorization).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
            assertThat(response.body()).contains("wrong cluster secret").doesNotContain("jvm_");
        }
    }

    @Test
    void dashboardSamplesAreJsonWithTheNodeAndTheIntervalAndOnlyThoseAfterASequenceNumber() throws Exception {
        metrics.history().sample();
        metrics.history().sample();
        metrics.history().sample();

        HttpResponse<String> all = node.get("/dashboard/api/samples");
        HttpResponse<String> later = node.get("/dashboard/api/samples?after=1");

        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(all.body()).contains("\"node\":\"zone-a-1\"").contains("\"intervalMillis\":1000")
                .contains("\"seq\":1").contains("\"seq\":2").contains("\"heapUsedBytes\":")
                .contains("\"bitsInPerSecond\":")
                .as("nothing was forwarded: the latency quantiles are left out, not NaN")
                .doesNotContain("latencyP99Micros").doesNotContain("NaN");
        assertThat(later.body()).doesNotContain("\"seq\":1,").contains("\"seq\":2");
    }

    @Test
    void aNegativeSequenceNumberIsABadRequest() throws Exception {
        HttpResponse<String> response = node.get("/dashboard/api/samples?after=-1");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("after must be 0 or more");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dashboard/", "/dashboard"})
    void theDashboardPageIsServedAtItsFolderWithoutCredentials(String path) throws Exception {
        HttpResponse<String> response = node.send(node.request(path)
                .header("Authorization", "Bearer " + TestNode.WRONG_SECRET.reveal()).GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(response.body()).contains("<canvas id=\"bitrate\"").contains("/dashboard/chart.js");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dashboard/chart.js", "/dashboard/dashboard.js", "/dashboard/style.css"})
    void thePagesFilesAreServedFromTheNodeSoItWorksOffline(String path) throws Exception {
        HttpResponse<String> response = node.get(path);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isNotBlank();
    }
}
