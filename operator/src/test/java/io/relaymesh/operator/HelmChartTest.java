package io.relaymesh.operator;

import static io.relaymesh.operator.testing.Fixtures.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.relaymesh.operator.crd.v1alpha1.MediaCluster;
import io.relaymesh.operator.crd.v1alpha1.MediaZone;
import io.relaymesh.operator.testing.Fixtures;
import io.relaymesh.operator.testing.MediaNodeCli;
import io.relaymesh.operator.testing.OperatorOnMockServer;
import io.relaymesh.operator.testing.RepoFiles;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The chart, through Helm itself (helm-java runs it offline): it lints strictly, renders with default and
 * non-default values into manifests the Fabric8 model reads, and those manifests, applied to the mock API
 * server, are reconciled by the operator into media nodes whose command lines the node accepts.
 */
class HelmChartTest {

    /** A Kubernetes version the chart supports (it needs 1.28+ for the pod-index label). */
    private static final String KUBE_VERSION = "1.30.0";

    private static OperatorOnMockServer env;

    @BeforeAll
    static void startOperator() {
        env = OperatorOnMockServer.start();
    }

    @AfterAll
    static void stopOperator() {
        env.close();
    }

    @Test
    void chartPassesStrictLint() {
        LintResult result = new Helm(RepoFiles.chart()).lint().strict().call();
        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
    }

    @Test
    void defaultValuesInstallTheOperatorAndAOneClickCluster() {
        String ns = env.newNamespace("chart");
        List<HasMetadata> manifests = render(ns, t -> t);
        assertThat(manifests).extracting(HasMetadata::getKind).containsExactlyInAnyOrder(
                "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Deployment", "MediaCluster", "MediaZone");

        // helm install applies the chart's crds/ first (CrdYamlUpToDateTest keeps them equal to the model's).
        assertThat(chartCrds()).extracting(c -> c.getMetadata().getName())
                .containsExactlyInAnyOrder("mediaclusters.relaymesh.io", "mediazones.relaymesh.io");

        Deployment operator = of(manifests, Deployment.class).getFirst();
        var container = operator.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(container.getEnv()).extracting(EnvVar::getName)
                .contains("POD_NAME", "POD_NAMESPACE", "WATCH_NAMESPACES", "RELAYMESH_OPERATOR_LEADER_ELECTION");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(operator.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo(of(manifests, ClusterRoleBinding.class).getFirst().getSubjects().getFirst().getName());

        MediaCluster cluster = of(manifests, MediaCluster.class).getFirst();
        assertThat(cluster.getSpec().getSecretRef()).as("no fixed secret: the operator generates one").isNull();
        assertThat(cluster.getSpec().getTls().selfSigned()).isTrue();
        assertThat(cluster.getSpec().getNats().embedded()).isTrue();

        applyAndReconcile(ns, manifests);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            own secret, TLS and external NATS | cluster.secretName=my-secret;cluster.tls.secretName=my-tls;cluster.nats.externalUrl=nats://nats.example:4222;cluster.gateway.host=media.example.com;cluster.gateway.ingressClassName=nginx
            every role, connector, placement  | cluster.zone.webrtc.replicas=3;cluster.zone.rtmp.replicas=2;cluster.zone.sip.replicas=1;cluster.connector.enabled=true;cluster.gateway.replicas=2;cluster.gateway.serviceType=LoadBalancer;cluster.zone.nodeSelector.pool=media;cluster.zone.id=eu-west
            custom ports and image            | cluster.gateway.httpPort=9080;cluster.gateway.clusterPort=5000;cluster.zone.webrtc.webrtcPort=20000;cluster.image.tag=0.2.0;cluster.name=media;operator.replicas=2
            """)
    void nonDefaultValuesRenderAndReconcile(String description, String sets) {
        String ns = env.newNamespace("chart");
        List<HasMetadata> manifests = render(ns, t -> {
            for (String pair : sets.split(";")) {
                String[] kv = pair.split("=", 2);
                t.set(kv[0], kv[1]);
            }
            return t;
        });
        MediaCluster cluster = of(manifests, MediaCluster.class).getFirst();
        MediaZone zone = of(manifests, MediaZone.class).getFirst();
        Map<String, String> values = new java.util.HashMap<>();
        for (String pair : sets.split(";")) {
            String[] kv = pair.split("=", 2);
            values.put(kv[0], kv[1]);
        }
        if (values.containsKey("cluster.secretName")) {
            assertThat(cluster.getSpec().getSecretRef().getName()).isEqualTo(values.get("cluster.secretName"));
        }
        if (values.containsKey("cluster.nats.externalUrl")) {
            assertThat(cluster.getSpec().getNats().getExternalUrl()).isEqualTo(values.get("cluster.nats.externalUrl"));
        }
        if (values.containsKey("cluster.zone.webrtc.replicas")) {
            assertThat(zone.getSpec().getWebrtc().getReplicas())
                    .isEqualTo(Integer.parseInt(values.get("cluster.zone.webrtc.replicas")));
        }
        if (values.containsKey("cluster.zone.nodeSelector.pool")) {
            assertThat(zone.getSpec().getPlacement().getNodeSelector()).containsEntry("pool", "media");
        }
        applyAndReconcile(ns, manifests);
    }

    @Test
    void clusterCreateFalseInstallsOnlyTheOperator() {
        List<HasMetadata> manifests = render("relaymesh", t -> t.set("cluster.create", "false"));
        assertThat(manifests).extracting(HasMetadata::getKind).doesNotContain("MediaCluster", "MediaZone")
                .contains("Deployment", "ClusterRole");
    }

    @Test
    void valuesOutsideTheSchemaAreRejectedByHelm() {
        TemplateCommand template = new Helm(RepoFiles.chart()).template().withName("relaymesh").withKubeVersion(KUBE_VERSION)
                .withNamespace("relaymesh").set("cluster.zone.id", "Not_A_Label");
        org.assertj.core.api.Assertions.assertThatThrownBy(template::call)
                .hasMessageContaining("zone");
    }

    /** The ClusterRole grants what the operator's informers and dependents use, and no wildcard. */
    @Test
    void clusterRoleCoversWhatTheOperatorTouchesAndNoMore() {
        ClusterRole role = of(render("relaymesh", t -> t), ClusterRole.class).getFirst();
        assertThat(role.getRules()).noneSatisfy(r -> assertThat(r.getVerbs()).contains("*"));
        assertThat(role.getRules()).noneSatisfy(r -> assertThat(r.getResources()).contains("*"));
        List<String> write = List.of("get", "list", "watch", "create", "update", "patch", "delete");
        assertGranted(role, "relaymesh.io", "mediaclusters", List.of("get", "list", "watch"));
        assertGranted(role, "relaymesh.io", "mediazones", List.of("get", "list", "watch"));
        assertGranted(role, "relaymesh.io", "mediaclusters/status", List.of("patch", "update"));
        assertGranted(role, "relaymesh.io", "mediazones/status", List.of("patch", "update"));
        for (String core : List.of("secrets", "configmaps", "services", "serviceaccounts")) {
            assertGranted(role, "", core, write);
        }
        assertGranted(role, "", "pods", List.of("get", "list", "watch"));
        assertGranted(role, "apps", "statefulsets", write);
        assertGranted(role, "apps", "deployments", write);
        assertGranted(role, "networking.k8s.io", "ingresses", write);
        assertGranted(role, "coordination.k8s.io", "leases", List.of("get", "create", "update"));
        assertThat(role.getRules()).noneSatisfy(r -> assertThat(r.getResources()).contains("pods").isNotNull()
                .satisfies(x -> assertThat(r.getVerbs()).contains("delete")));
    }

    private static void assertGranted(ClusterRole role, String group, String resource, List<String> verbs) {
        List<PolicyRule> rules = role.getRules().stream()
                .filter(r -> r.getApiGroups().contains(group) && r.getResources().contains(resource)).toList();
        assertThat(rules).as("a rule for %s/%s", group, resource).isNotEmpty();
        assertThat(rules.stream().flatMap(r -> r.getVerbs().stream()).toList())
                .as("verbs on %s/%s", group, resource).containsAll(verbs);
    }

    /** Applies what Helm rendered, as helm install would, and checks the operator rolls the cluster out. */
    private static void applyAndReconcile(String ns, List<HasMetadata> manifests) {
        KubernetesClient client = env.client();
        for (CustomResourceDefinition crd : chartCrds()) {
            client.resource(crd).createOr(NonDeletingOperation::update);
        }
        Fixtures.createReferencedSecrets(client, ns, manifests);
        for (HasMetadata m : manifests) {
            client.resource(m).createOr(NonDeletingOperation::update);
        }
        MediaCluster cluster = of(manifests, MediaCluster.class).getFirst();
        MediaZone zone = of(manifests, MediaZone.class).getFirst();
        int workloads = 1 + (cluster.getSpec().getConnector().isEnabled() ? 1 : 0)
                + (zone.getSpec().getWebrtc().getReplicas() > 0 ? 1 : 0)
                + (zone.getSpec().getRtmp().getReplicas() > 0 ? 1 : 0)
                + (zone.getSpec().getSip().getReplicas() > 0 ? 1 : 0);
        await().atMost(TIMEOUT).until(() -> client.apps().statefulSets().inNamespace(ns).list().getItems().size() == workloads);
        for (StatefulSet sts : client.apps().statefulSets().inNamespace(ns).list().getItems()) {
            MediaNodeCli.assertAccepted(sts, client);
        }
        Fixtures.markAllWorkloadsReady(client, ns);
        Fixtures.awaitZone(client, ns, zone.getMetadata().getName(), "Ready", "True", "ZoneReady");
        Fixtures.awaitCluster(client, ns, cluster.getMetadata().getName(), "Ready", "True", "ClusterReady");
    }

    private static List<HasMetadata> render(String ns, UnaryOperator<TemplateCommand> customize) {
        String yaml = customize.apply(new Helm(RepoFiles.chart()).template().withName("relaymesh").withKubeVersion(KUBE_VERSION).withNamespace(ns)).call();
        return Fixtures.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<CustomResourceDefinition> chartCrds() {
        try (var files = java.nio.file.Files.list(RepoFiles.chart().resolve("crds"))) {
            return files.sorted().flatMap(f -> Fixtures.load(f).stream()).map(CustomResourceDefinition.class::cast).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static <T> List<T> of(List<HasMetadata> manifests, Class<T> type) {
        return manifests.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
