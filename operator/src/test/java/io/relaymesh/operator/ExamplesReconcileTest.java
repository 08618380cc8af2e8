package io.relaymesh.operator;

import static io.relaymesh.operator.testing.Fixtures.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.relaymesh.operator.crd.v1alpha1.MediaCluster;
import io.relaymesh.operator.crd.v1alpha1.MediaZone;
import io.relaymesh.operator.crd.v1alpha1.spec.RoleSpec;
import io.relaymesh.operator.crd.v1alpha1.status.RoleCount;
import io.relaymesh.operator.dependent.ClusterWiring;
import io.relaymesh.operator.dependent.Labels;
import io.relaymesh.operator.dependent.NodeRole;
import io.relaymesh.operator.dependent.ZoneRoleStatefulSetDependent;
import io.relaymesh.operator.testing.Fixtures;
import io.relaymesh.operator.testing.MediaNodeCli;
import io.relaymesh.operator.testing.OperatorOnMockServer;
import io.relaymesh.operator.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Kubernetes example, applied to the mock API server with the real operator running: it creates the
 * objects the cluster needs with the fields that matter on a real cluster, every media-node command line it
 * renders is accepted by the media node's CLI, and the resources turn Ready once the workloads report ready.
 */
class ExamplesReconcileTest {

    private static OperatorOnMockServer env;

    @BeforeAll
    static void startOperator() {
        env = OperatorOnMockServer.start();
    }

    @AfterAll
    static void stopOperator() {
        env.close();
    }

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(RepoFiles.kubernetesExamples())) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @Test
    void theRepositoryHasTheThreeDocumentedExamples() throws IOException {
        assertThat(examples().map(p -> p.getFileName().toString()))
                .contains("minimal-cluster.yaml", "secure-cluster.yaml", "three-zone-cluster.yaml");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exampleRollsOutAndBecomesReady(Path example) {
        KubernetesClient client = env.client();
        String ns = env.newNamespace("example");
        List<HasMetadata> items = Fixtures.load(example);
        items.forEach(i -> i.getMetadata().setNamespace(ns));
        Fixtures.createReferencedSecrets(client, ns, items);
        items.forEach(i -> client.resource(i).create());

        List<MediaCluster> clusters = items.stream().filter(MediaCluster.class::isInstance).map(MediaCluster.class::cast).toList();
        List<MediaZone> zones = items.stream().filter(MediaZone.class::isInstance).map(MediaZone.class::cast).toList();
        assertThat(clusters).isNotEmpty();

        for (MediaCluster cluster : clusters) {
            MediaCluster stored = client.resources(MediaCluster.class).inNamespace(ns)
                    .withName(cluster.getMetadata().getName()).get();
            awaitClusterObjects(client, stored);
            assertClusterObjects(client, stored);
        }
        for (MediaZone zone : zones) {
            MediaZone stored = client.resources(MediaZone.class).inNamespace(ns).withName(zone.getMetadata().getName()).get();
            MediaCluster cluster = client.resources(MediaCluster.class).inNamespace(ns)
                    .withName(zone.getSpec().getClusterRef()).get();
            assertZoneObjects(client, stored, cluster);
        }

        // Every media-node container the operator rendered is a command line the node accepts.
        List<StatefulSet> workloads = client.apps().statefulSets().inNamespace(ns).list().getItems();
        assertThat(workloads).isNotEmpty();
        for (StatefulSet sts : workloads) {
            MediaNodeCli.assertAccepted(sts, client);
        }

        // Nothing is Ready before the workloads are.
        for (MediaCluster cluster : clusters) {
            Fixtures.awaitCluster(client, ns, cluster.getMetadata().getName(), "Ready", "False", "WaitingForPods");
        }
        Fixtures.markAllWorkloadsReady(client, ns);
        for (MediaZone zone : zones) {
            MediaZone ready = Fixtures.awaitZone(client, ns, zone.getMetadata().getName(), "Ready", "True", "ZoneReady");
            assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(ready.getMetadata().getGeneration());
            assertThat(ready.getStatus().getReadyReplicas()).isEqualTo(zone.getSpec().getWebrtc().getReplicas());
            assertThat(Fixtures.condition(ready.getStatus(), "Degraded")).hasValueSatisfying(
                    c -> assertThat(c.getStatus()).isEqualTo("False"));
        }
        for (MediaCluster cluster : clusters) {
            String name = cluster.getMetadata().getName();
            MediaCluster ready = Fixtures.awaitCluster(client, ns, name, "Ready", "True", "ClusterReady");
            ClusterWiring wiring = ClusterWiring.of(ready);
            assertThat(ready.getStatus().getGatewayUrl()).isEqualTo(wiring.gatewayUrl());
            assertThat(ready.getStatus().getSeeds()).containsExactly(name + "-seeds." + ns + ".svc:4000");
            assertThat(ready.getStatus().getTlsNotAfter()).isNotBlank();
            int webrtc = zones.stream().filter(z -> name.equals(z.getSpec().getClusterRef()))
                    .mapToInt(z -> z.getSpec().getWebrtc().getReplicas()).sum();
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(
                    client.resources(MediaCluster.class).inNamespace(ns).withName(name).get().getStatus().getRoles())
                    .contains(new RoleCount("webrtc", webrtc, webrtc),
                            new RoleCount("gateway", cluster.getSpec().getGateway().getReplicas(),
                                    cluster.getSpec().getGateway().getReplicas())));
        }
    }

    private static void awaitClusterObjects(KubernetesClient client, MediaCluster cluster) {
        String ns = cluster.getMetadata().getNamespace();
        String name = cluster.getMetadata().getName();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(client.apps().statefulSets().inNamespace(ns).withName(name + "-gateway").get()).isNotNull();
            assertThat(client.services().inNamespace(ns).withName(name + "-gateway").get()).isNotNull();
            assertThat(client.services().inNamespace(ns).withName(name + "-seeds").get()).isNotNull();
            assertThat(client.configMaps().inNamespace(ns).withName(name + "-settings").get()).isNotNull();
            assertThat(client.serviceAccounts().inNamespace(ns).withName(name + "-node").get()).isNotNull();
            if (cluster.getSpec().getSecretRef() == null) {
                assertThat(client.secrets().inNamespace(ns).withName(name + "-secret").get()).isNotNull();
            }
            if (cluster.getSpec().getTls().selfSigned()) {
                assertThat(client.secrets().inNamespace(ns).withName(name + "-tls").get()).isNotNull();
            }
            if (cluster.getSpec().getNats().embedded()) {
                assertThat(client.apps().deployments().inNamespace(ns).withName(name + "-nats").get()).isNotNull();
                assertThat(client.services().inNamespace(ns).withName(name + "-nats").get()).isNotNull();
            }
            if (cluster.getSpec().getGateway().getHost() != null) {
                assertThat(client.network().v1().ingresses().inNamespace(ns).withName(name).get()).isNotNull();
            }
            if (cluster.getSpec().getConnector().isEnabled()) {
                assertThat(client.apps().statefulSets().inNamespace(ns).withName(name + "-connector").get()).isNotNull();
            }
        });
    }

    private static void assertClusterObjects(KubernetesClient client, MediaCluster cluster) {
        String ns = cluster.getMetadata().getNamespace();
        String name = cluster.getMetadata().getName();
        // What the operator created carries an owner reference to the cluster and nothing else of the user's does.
        assertThat(client.apps().statefulSets().inNamespace(ns).withLabel(Labels.CLUSTER, name).list().getItems())
                .allSatisfy(s -> assertOwnedBy(s, cluster.getMetadata().getUid(), s.getMetadata().getName().startsWith(name + "-gateway")
                        || s.getMetadata().getName().equals(name + "-connector")));
        for (var s : client.services().inNamespace(ns).withLabel(Labels.CLUSTER, name).list().getItems()) {
            assertOwnedBy(s, cluster.getMetadata().getUid(), true);
        }
        for (var c : client.configMaps().inNamespace(ns).withLabel(Labels.CLUSTER, name).list().getItems()) {
            assertOwnedBy(c, cluster.getMetadata().getUid(), true);
        }
        for (var a : client.serviceAccounts().inNamespace(ns).withLabel(Labels.CLUSTER, name).list().getItems()) {
            assertOwnedBy(a, cluster.getMetadata().getUid(), true);
        }
        for (var d : client.apps().deployments().inNamespace(ns).withLabel(Labels.CLUSTER, name).list().getItems()) {
            assertOwnedBy(d, cluster.getMetadata().getUid(), true);
        }

        if (cluster.getSpec().getSecretRef() == null) {
            Secret generated = client.secrets().inNamespace(ns).withName(name + "-secret").get();
            assertOwnedBy(generated, cluster.getMetadata().getUid(), true);
            assertThat(java.util.Base64.getDecoder().decode(generated.getData().get("secret")).length)
                    .as("the generated secret is at least 32 bytes").isGreaterThanOrEqualTo(32);
        } else {
            assertThat(client.secrets().inNamespace(ns).withName(name + "-secret").get())
                    .as("no secret is generated when the cluster names one").isNull();
        }
        if (cluster.getSpec().getTls().selfSigned()) {
            Secret tls = client.secrets().inNamespace(ns).withName(name + "-tls").get();
            assertThat(tls.getType()).isEqualTo("kubernetes.io/tls");
            assertThat(tls.getData()).containsKeys("tls.crt", "tls.key");
            assertOwnedBy(tls, cluster.getMetadata().getUid(), true);
        }

        StatefulSet gateway = client.apps().statefulSets().inNamespace(ns).withName(name + "-gateway").get();
        assertThat(gateway.getSpec().getReplicas()).isEqualTo(cluster.getSpec().getGateway().getReplicas());
        assertHostNetworkNode(gateway, NodeRole.GATEWAY, cluster, cluster.getSpec().getGateway().getDrainSeconds());

        Service seeds = client.services().inNamespace(ns).withName(name + "-seeds").get();
        assertThat(seeds.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(seeds.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(seeds.getSpec().getSelector()).isEqualTo(gateway.getSpec().getSelector().getMatchLabels());

        Service gatewayService = client.services().inNamespace(ns).withName(name + "-gateway").get();
        assertThat(gatewayService.getSpec().getType()).isEqualTo(cluster.getSpec().getGateway().getServiceType());
        assertThat(gatewayService.getSpec().getPorts().getFirst().getTargetPort().getIntVal())
                .isEqualTo(cluster.getSpec().getGateway().getHttpPort());

        String host = cluster.getSpec().getGateway().getHost();
        Ingress ingress = client.network().v1().ingresses().inNamespace(ns).withName(name).get();
        if (host == null) {
            assertThat(ingress).isNull();
        } else {
            assertOwnedBy(ingress, cluster.getMetadata().getUid(), true);
            assertThat(ingress.getSpec().getTls().getFirst().getHosts()).containsExactly(host);
            assertThat(ingress.getSpec().getTls().getFirst().getSecretName()).isEqualTo(ClusterWiring.of(cluster).tlsSecretName());
            var paths = ingress.getSpec().getRules().getFirst().getHttp().getPaths();
            assertThat(paths).extracting(p -> p.getPath()).containsExactly("/gateway", "/auth");
            assertThat(paths).allSatisfy(p -> assertThat(p.getBackend().getService().getName()).isEqualTo(name + "-gateway"));
        }
    }

    private static void assertZoneObjects(KubernetesClient client, MediaZone zone, MediaCluster cluster) {
        String ns = zone.getMetadata().getNamespace();
        for (NodeRole role : List.of(NodeRole.WEBRTC, NodeRole.RTMP, NodeRole.SIP)) {
            RoleSpec spec = ZoneRoleStatefulSetDependent.roleSpec(zone.getSpec(), role);
            String name = ZoneRoleStatefulSetDependent.workloadName(zone, role);
            if (spec.getReplicas() == 0) {
                assertThat(client.apps().statefulSets().inNamespace(ns).withName(name).get()).isNull();
                continue;
            }
            await().atMost(TIMEOUT).until(() -> client.apps().statefulSets().inNamespace(ns).withName(name).get() != null);
            StatefulSet sts = client.apps().statefulSets().inNamespace(ns).withName(name).get();
            assertOwnedBy(sts, zone.getMetadata().getUid(), true);
            assertThat(sts.getSpec().getReplicas()).isEqualTo(spec.getReplicas());
            assertThat(sts.getSpec().getOrdinals().getStart()).isEqualTo(role.firstIndex());
            assertHostNetworkNode(sts, role, cluster, zone.getSpec().getDrainSeconds());
            PodSpec pod = sts.getSpec().getTemplate().getSpec();
            assertThat(pod.getNodeSelector() == null ? java.util.Map.of() : pod.getNodeSelector())
                    .isEqualTo(zone.getSpec().getPlacement().getNodeSelector());
            Container c = pod.getContainers().getFirst();
            assertThat(c.getArgs()).contains("--zone=" + zone.getSpec().getZoneId());
            assertThat(c.getPorts()).anySatisfy(p -> assertThat(p.getHostPort()).isEqualTo(spec.mediaPort()));
        }
    }

    /** The fields every media-node pod needs on a real cluster. */
    private static void assertHostNetworkNode(StatefulSet sts, NodeRole role, MediaCluster cluster, int drainSeconds) {
        PodSpec pod = sts.getSpec().getTemplate().getSpec();
        assertThat(pod.getHostNetwork()).isTrue();
        assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
        List<PodAffinityTerm> anti = pod.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        assertThat(anti).anySatisfy(term -> {
            assertThat(term.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(term.getLabelSelector().getMatchLabels()).containsEntry(Labels.ROLE, role.label());
        });
        // The anti-affinity selector matches the pods' own labels (the seed system's typo did not).
        assertThat(sts.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(anti.getLast().getLabelSelector().getMatchLabels());
        Container c = pod.getContainers().getFirst();
        assertThat(c.getCommand()).containsExactly("java", "-jar", "/app/media-node.jar");
        assertThat(c.getArgs().getFirst()).isEqualTo(role.command());
        assertThat(c.getArgs()).noneMatch(a -> a.startsWith("--secret"));
        EnvVar secret = c.getEnv().stream().filter(e -> e.getName().equals("RELAYMESH_SECRET")).findFirst().orElseThrow();
        assertThat(secret.getValue()).isNull();
        assertThat(secret.getValueFrom().getSecretKeyRef().getName()).isEqualTo(ClusterWiring.of(cluster).secret().getName());
        EnvVar ip = c.getEnv().stream().filter(e -> e.getName().equals("RELAYMESH_ADVERTISE_IP")).findFirst().orElseThrow();
        assertThat(ip.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.hostIP");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
        // The node waits the pod's whole drain budget (its own default is 25 s), and the grace period leaves the
        // JVM 30 s after it to stop.
        assertThat(c.getLifecycle().getPreStop().getHttpGet().getPath()).isEqualTo("/drain?seconds=" + drainSeconds);
        assertThat(c.getLifecycle().getPreStop().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(drainSeconds + 30L);
        assertThat(c.getImage()).isEqualTo(cluster.getSpec().getImage().reference());
    }

    private static void assertOwnedBy(HasMetadata object, String ownerUid, boolean expected) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        if (expected) {
            assertThat(refs).as("owner references of %s", object.getMetadata().getName())
                    .anySatisfy(r -> assertThat(r.getUid()).isEqualTo(ownerUid));
        }
    }
}
