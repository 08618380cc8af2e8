package io.relaymesh.operator.config;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The operator's HTTP endpoints for the kubelet and Prometheus: {@code /healthz} (alive: the operator started),
 * {@code /readyz} (all informers healthy) and {@code /metrics} (Prometheus text format).
 */
public final class ProbeServer implements AutoCloseable {

    private final HttpServer server;

    private ProbeServer(HttpServer server) {
        this.server = server;
    }

    public static ProbeServer start(int port, Supplier<RuntimeInfo> runtime, PrometheusMeterRegistry registry)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/healthz", ex -> respond(ex, runtime.get().isStarted() ? 200 : 503,
                runtime.get().isStarted() ? "ok" : "starting", "text/plain"));
        server.createContext("/readyz", ex -> {
            RuntimeInfo info = runtime.get();
            boolean ready = info.isStarted() && info.allEventSourcesAreHealthy();
            respond(ex, ready ? 200 : 503, ready ? "ok" : "unhealthy: " + info.unhealthyEventSources().keySet(),
                    "text/plain");
        });
        server.createContext("/metrics", ex -> respond(ex, 200, registry.scrape(),
                "text/plain; version=0.0.4; charset=utf-8"));
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "probe-server");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return new ProbeServer(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, int status, String body, String contentType) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
