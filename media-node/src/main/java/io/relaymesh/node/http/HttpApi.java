package io.relaymesh.node.http;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.relaymesh.node.config.Secret;
import io.relaymesh.node.metrics.NodeMetrics;
import io.relaymesh.node.sfu.Signaling;
import io.relaymesh.node.token.TokenService;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The node's HTTP server (Micronaut on Netty): tokens, WHIP, WHEP, health, API docs and sample pages.
 * The services it exposes are built by the node and handed in as singletons; Micronaut only maps HTTP.
 */
public final class HttpApi implements AutoCloseable {

    private final ApplicationContext context;
    private final EmbeddedServer server;
    /** Metrics this server made for itself (none were handed in), closed with it. */
    private final NodeMetrics ownMetrics;

    private HttpApi(ApplicationContext context, NodeMetrics ownMetrics) {
        this.context = context;
        this.server = context.getBean(EmbeddedServer.class);
        this.ownMetrics = ownMetrics;
    }

    /** Starts the server on {@code port} (0 picks a free one) with JVM metrics only at {@code /metrics}. */
    public static HttpApi start(int port, NodeStatus status, Secret secret, TokenService tokens, Signaling signaling) {
        NodeMetrics own = NodeMetrics.create(status.nodeId(), java.time.Clock.systemUTC());
        try {
            return launch(port, status, secret, tokens, signaling, own, own, new Object[0]);
        } catch (RuntimeException e) {
            own.close();
            throw e;
        }
    }

    /**
     * Starts the server on {@code port} (0 picks a free one).
     *
     * @param metrics  backs {@code /metrics} and {@code /dashboard}
     * @param services further services controllers use when the node runs them (e.g. the RTMP server)
     */
    public static HttpApi start(int port, NodeStatus status, Secret secret, TokenService tokens, Signaling signaling,
                                NodeMetrics metrics, Object... services) {
        return launch(port, status, secret, tokens, signaling, metrics, null, services);
    }

    private static HttpApi launch(int port, NodeStatus status, Secret secret, TokenService tokens, Signaling signaling,
                                  NodeMetrics metrics, NodeMetrics own, Object[] services) {
        Object[] singletons = new Object[4 + services.length];
        singletons[0] = status;
        singletons[1] = tokens;
        singletons[2] = signaling;
        singletons[3] = metrics;
        System.arraycopy(services, 0, singletons, 4, services.length);
        ApplicationContext context = ApplicationContext.builder()
                .banner(false)
                .deduceEnvironment(false)
                .properties(properties(port))
                .singletons(singletons)
                .build();
        context.registerSingleton(Secret.class, secret, io.micronaut.inject.qualifiers.Qualifiers.byName("cluster"));
        context.start();
        EmbeddedServer server = context.getBean(EmbeddedServer.class);
        server.start();
        return new HttpApi(context, own);
    }

    public int port() {
        return server.getPort();
    }

    private static Map<String, Object> properties(int port) {
        Map<String, Object> p = new HashMap<>();
        p.put("micronaut.application.name", "relaymesh");
        p.put("micronaut.server.port", port);
        p.put("micronaut.server.max-request-size", "1MB");
        p.put("micronaut.server.cors.enabled", true);
        p.put("micronaut.server.cors.localhost-pass-through", true);
        p.put("micronaut.server.cors.configurations.web.allowed-origins-regex", ".*");
        p.put("micronaut.server.cors.configurations.web.exposed-headers",
                "Location,ETag,Link,Accept-Patch,Accept-Post,Content-Type");
        p.put("micronaut.router.static-resources.samples.paths", "classpath:samples");
        p.put("micronaut.router.static-resources.samples.mapping", "/samples/**");
        p.put("micronaut.router.static-resources.dashboard.paths", "classpath:dashboard");
        p.put("micronaut.router.static-resources.dashboard.mapping", "/dashboard/**");
        p.put("micronaut.router.static-resources.openapi.paths", "classpath:META-INF/swagger");
        p.put("micronaut.router.static-resources.openapi.mapping", "/openapi/**");
        p.put("micronaut.router.static-resources.swagger-ui.paths",
                "classpath:META-INF/resources/webjars/swagger-ui-dist/" + swaggerUiVersion());
        p.put("micronaut.router.static-resources.swagger-ui.mapping", "/ui/assets/**");
        return p;
    }

    private static String swaggerUiVersion() {
        try (InputStream in = HttpApi.class.getResourceAsStream(
                "/META-INF/maven/org.webjars.npm/swagger-ui-dist/pom.properties")) {
            if (in == null) {
                return "missing";
            }
            Properties props = new Properties();
            props.load(in);
            return props.getProperty("version", "missing");
        } catch (IOException e) {
            return "missing";
        }
    }

    @Override
    public void close() {
        server.stop();
        context.close();
        if (ownMetrics != null) {
            ownMetrics.close();
        }
    }
}
