package io.relaymesh.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.relaymesh.operator.config.OperatorSettings;
import io.relaymesh.operator.config.RelaymeshOperator;
import io.relaymesh.operator.crd.v1alpha1.MediaCluster;
import io.relaymesh.operator.testing.Fixtures;
import io.relaymesh.operator.testing.MediaNodeCli;
import io.relaymesh.operator.testing.OperatorOnMockServer;
import io.relaymesh.operator.testing.RepoFiles;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against the cluster of the current kubeconfig (run with {@code ./mvnw -pl operator -am -Pk8s-it verify}):
 * installs the CRDs, runs the operator locally with server-side apply (what the mock cannot do), applies the
 * minimal example in a fresh namespace, and checks the real API server accepts every object (schema
 * validation, defaults, the scale subresource) and the operator reports status. Deletes the namespace after.
 */
class RealClusterIT {

    private static KubernetesClient client;
    private static Operator operator;
    private static String ns;

    @BeforeAll
    static void start() {
        client = new KubernetesClientBuilder().build();
        for (var crd : OperatorOnMockServer.generatedCrds()) {
            client.resource(crd).createOr(NonDeletingOperation::update);
        }
        ns = "relaymesh-it-" + Long.toString(System.nanoTime(), 36);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        operator = RelaymeshOperator.create(client, new OperatorSettings(Set.of(ns), false,
                        OperatorSettings.DEFAULT_LEASE, null, "it", 0, true, Duration.ofSeconds(5)),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC(), new SecureRandom());
        operator.start();
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.stop();
        }
        if (client != null) {
            client.namespaces().withName(ns).delete();
            client.close();
        }
    }

    @Test
    void minimalExampleIsAcceptedByARealApiServer() {
        List<HasMetadata> items = Fixtures.load(RepoFiles.kubernetesExamples().resolve("minimal-cluster.yaml"));
        items.forEach(i -> i.getMetadata().setNamespace(ns));
        items.forEach(i -> client.resource(i).create());
        await().atMost(Duration.ofMinutes(2)).until(() ->
                client.apps().statefulSets().inNamespace(ns).withName("relaymesh-gateway").get() != null
                        && client.apps().statefulSets().inNamespace(ns).withName("zone-a-webrtc").get() != null);
        for (StatefulSet sts : client.apps().statefulSets().inNamespace(ns).list().getItems()) {
            MediaNodeCli.assertAccepted(sts, client);
        }
        MediaCluster mc = Fixtures.awaitCluster(client, ns, "relaymesh", "Degraded", "False", null);
        assertThat(mc.getStatus().getObservedGeneration()).isEqualTo(mc.getMetadata().getGeneration());
        // The scale subresource, as kubectl scale uses it.
        client.resources(io.relaymesh.operator.crd.v1alpha1.MediaZone.class).inNamespace(ns).withName("zone-a").scale(2);
        await().atMost(Duration.ofMinutes(1)).until(() ->
                client.apps().statefulSets().inNamespace(ns).withName("zone-a-webrtc").get().getSpec().getReplicas() == 2);
    }
}
