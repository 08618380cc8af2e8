package io.relaymesh.node.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.serde.annotation.SerdeImport;
import io.micronaut.serde.annotation.Serdeable;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.metrics.NodeMetrics;
import io.relaymesh.node.metrics.NodeSample;
import io.relaymesh.node.metrics.ScrapeAccess;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The node's live dashboard: the page at {@code /dashboard/} (public: it holds no data, and asks for the
 * cluster secret like the sample pages) and its data at {@code /dashboard/api/samples}, guarded like
 * {@code /metrics}. The page's script and styles are static resources under {@code /dashboard/}.
 */
@Controller("/dashboard")
@Tag(name = "Node")
@SerdeImport(NodeSample.class)
public final class DashboardController {

    private final NodeMetrics metrics;
    private final ScrapeAccess access;

    DashboardController(NodeMetrics metrics, @Named("cluster") Secret secret) {
        this.metrics = metrics;
        this.access = new ScrapeAccess(secret);
    }

    /** Body of {@code /dashboard/api/samples}. */
    @Serdeable
    public record Samples(String node, long intervalMillis, List<NodeSample> samples) {
    }

    @Get(uri = "/", produces = MediaType.TEXT_HTML)
    @Hidden
    public HttpResponse<?> page() throws IOException {
        try (InputStream in = DashboardController.class.getResourceAsStream("/dashboard/index.html")) {
            if (in == null) {
                return HttpResponse.notFound();
            }
            return HttpResponse.ok(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .contentType(MediaType.TEXT_HTML_TYPE);
        }
    }

    @Get(uri = "/api/samples", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "The node sampled once a second (last five minutes): sessions, tracks, bitrate, packet "
            + "rate, CPU, memory, in-node latency; only samples with seq > after. Same access rule as /metrics")
    public MutableHttpResponse<?> samples(HttpRequest<?> request, @Nullable @QueryValue Long after) {
        MutableHttpResponse<String> refused = MetricsController.refusal(access, request);
        if (refused != null) {
            return refused;
        }
        long from = after == null ? 0 : after;
        if (from < 0) {
            return Problems.of(HttpStatus.BAD_REQUEST, "after must be 0 or more");
        }
        return HttpResponse.ok(new Samples(metrics.nodeId(), NodeMetrics.SAMPLE_INTERVAL.toMillis(),
                metrics.history().after(from)));
    }
}
