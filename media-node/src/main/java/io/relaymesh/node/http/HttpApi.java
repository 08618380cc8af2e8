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

    /** Set on a gateway: its WHIP/WHEP routes forward to media nodes instead of a local SFU's. */
    static final String GATEWAY_PROPERTY = "relaymesh.gateway";

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

    /**
     * Starts a gateway's server on {@code port}: tokens, health, metrics and the cluster view as on every node, but
     * WHIP and WHEP are forwarded to media nodes ({@link GatewayController}) instead of served by a local SFU.
     *
     * @param services the gateway's session router and cluster member, and anything else its controllers use
     */
    public static HttpApi startGateway(int port, NodeStatus status, Secret secret, TokenService tokens,
                                       NodeMetrics metrics, Object... services) {
        return launch(port, status, secret, tokens, null, metrics, null, services);
    }

    private static HttpApi launch(int port, NodeStatus status, Secret secret, TokenService tokens, Signaling signaling,
                                  NodeMetrics metrics, NodeMetrics own, Object[] services) {
        java.util.List<Object> singletons = new java.util.ArrayList<>(java.util.List.of(status, tokens, metrics));
        if (signaling != null) {
            singletons.add(signaling);
        }
        singletons.addAll(java.util.Arrays.asList(services));
        Map<String, Object> properties = properties(port);
        if (signaling == null) {
            properties.put(GATEWAY_PROPERTY, true);
        }
        ApplicationContext context = ApplicationContext.builder()
                .banner(false)
                .deduceEnvironment(false)
                .properties(properties)
                .singletons(singletons.toArray())
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
