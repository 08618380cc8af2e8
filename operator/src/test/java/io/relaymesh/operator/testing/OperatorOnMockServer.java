package io.relaymesh.operator.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.relaymesh.operator.config.OperatorSettings;
import io.relaymesh.operator.config.RelaymeshOperator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The real operator (both reconcilers, JOSDK) against the Fabric8 mock API server in CRUD mode, with the
 * generated CRDs installed. The mock has no server-side apply, so the operator runs with client-side
 * matching and merge patches; it runs no controllers, so tests write workload status themselves.
 */
public final class OperatorOnMockServer implements AutoCloseable {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private final KubernetesMockServer server;
    private final NamespacedKubernetesClient client;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Operator operator;

    private OperatorOnMockServer() {
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(),
                new HashMap<>(), new KubernetesMixedDispatcher(new HashMap<>()), false);
        server.init();
        client = server.createClient();
        installCrds(client);
        OperatorSettings settings = new OperatorSettings(Set.of(), false, OperatorSettings.DEFAULT_LEASE, null,
                "test", 0, false, java.time.Duration.ofMillis(300));
        operator = RelaymeshOperator.create(client, settings, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                clock, new SecureRandom());
        operator.start();
    }

    public static OperatorOnMockServer start() {
        return new OperatorOnMockServer();
    }

    /** Installs the CRDs generated from the model, as a user would before starting the operator. */
    public static void installCrds(NamespacedKubernetesClient client) {
        for (CustomResourceDefinition crd : generatedCrds()) {
            client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        }
    }

    public static List<CustomResourceDefinition> generatedCrds() {
        try (Stream<Path> files = Files.list(RepoFiles.generatedCrds())) {
            return files.filter(p -> p.toString().endsWith("-v1.yml")).sorted().map(p -> {
                try (InputStream in = Files.newInputStream(p)) {
                    return Serialization.unmarshal(in, CustomResourceDefinition.class);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public NamespacedKubernetesClient client() {
        return client;
    }

    public MutableClock clock() {
        return clock;
    }

    public Operator operator() {
        return operator;
    }

    /** A fresh namespace per test keeps tests of one class apart. */
    public String newNamespace(String prefix) {
        String name = prefix + "-" + NAMESPACES.incrementAndGet();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        return name;
    }

    public <T extends HasMetadata> T create(T resource) {
        return client.resource(resource).create();
    }

    @Override
    public void close() {
        operator.stop();
        client.close();
        server.destroy();
    }
}
