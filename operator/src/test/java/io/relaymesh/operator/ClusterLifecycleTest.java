package io.relaymesh.operator;

import static io.relaymesh.operator.testing.Fixtures.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.relaymesh.operator.crd.v1alpha1.MediaCluster;
import io.relaymesh.operator.crd.v1alpha1.MediaZone;
import io.relaymesh.operator.crd.v1alpha1.spec.LocalObjectRef;
import io.relaymesh.operator.crd.v1alpha1.spec.SecretKeyRef;
import io.relaymesh.operator.crd.v1alpha1.status.NodeStatus;
import io.relaymesh.operator.dependent.MediaNodeStatefulSets;
import io.relaymesh.operator.testing.Fixtures;
import io.relaymesh.operator.testing.MediaNodeCli;
import io.relaymesh.operator.testing.OperatorOnMockServer;
import io.relaymesh.operator.tls.CertificateCheck;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Changes over a cluster's life: edits, scaling, deletion, objects removed by hand, missing references, bad specs. */
class ClusterLifecycleTest {

    private static OperatorOnMockServer env;
    private static KubernetesClient client;

    @BeforeAll
    static void startOperator() {
        env = OperatorOnMockServer.start();
        client = env.client();
    }

    @AfterAll
    static void stopOperator() {
        env.close();
    }

    private static MediaCluster cluster(String ns, String name) {
        MediaCluster mc = new MediaCluster();
        mc.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
        return mc;
    }

    private static MediaZone zone(String ns, String name, String clusterRef, String zoneId, int webrtc) {
        MediaZone mz = new MediaZone();
        mz.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
        mz.getSpec().setClusterRef(clusterRef);
        mz.getSpec().setZoneId(zoneId);
        mz.getSpec().getWebrtc().setReplicas(webrtc);
        return mz;
    }

    private static StatefulSet awaitStatefulSet(String ns, String name) {
        await().atMost(TIMEOUT).until(() -> client.apps().statefulSets().inNamespace(ns).withName(name).get() != null);
        return client.apps().statefulSets().inNamespace(ns).withName(name).get();
    }

    @Test
    void editingTheClusterRollsItsNodesAndTheZones() {
        String ns = env.newNamespace("edit");
        env.create(cluster(ns, "mc"));
        env.create(zone(ns, "z", "mc", "eu", 1));
        StatefulSet before = awaitStatefulSet(ns, "z-webrtc");
        awaitStatefulSet(ns, "mc-gateway");

        Fixtures.edit(client, MediaCluster.class, ns, "mc", mc -> {
            mc.getSpec().getImage().setTag("0.2.0");
            mc.getSpec().getGateway().setReplicas(3);
            return mc;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            StatefulSet gateway = client.apps().statefulSets().inNamespace(ns).withName("mc-gateway").get();
            assertThat(gateway.getSpec().getReplicas()).isEqualTo(3);
            assertThat(gateway.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage())
                    .endsWith(":0.2.0");
            StatefulSet media = client.apps().statefulSets().inNamespace(ns).withName("z-webrtc").get();
            assertThat(media.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()).endsWith(":0.2.0");
        });
        StatefulSet after = client.apps().statefulSets().inNamespace(ns).withName("z-webrtc").get();
        assertThat(after.getSpec().getTemplate().getMetadata().getAnnotations().get(MediaNodeStatefulSets.SPEC_HASH_ANNOTATION))
                .as("a changed pod template rolls the pods")
                .isNotEqualTo(before.getSpec().getTemplate().getMetadata().getAnnotations().get(MediaNodeStatefulSets.SPEC_HASH_ANNOTATION));
        MediaCluster mc = Fixtures.awaitCluster(client, ns, "mc", "Progressing", "True", "WaitingForPods");
        await().atMost(TIMEOUT).until(() -> {
            MediaCluster c = client.resources(MediaCluster.class).inNamespace(ns).withName("mc").get();
            return c.getStatus().getObservedGeneration().equals(c.getMetadata().getGeneration());
        });
        assertThat(mc.getMetadata().getGeneration()).isGreaterThan(1L);
    }

    @Test
    void removingARoleDeletesItsWorkloadAndEditingAZoneUpdatesIt() {
        String ns = env.newNamespace("roles");
        env.create(cluster(ns, "mc"));
        MediaZone z = zone(ns, "z", "mc", "eu", 1);
        z.getSpec().getRtmp().setReplicas(1);
        env.create(z);
        awaitStatefulSet(ns, "z-rtmp");

        Fixtures.edit(client, MediaZone.class, ns, "z", mz -> {
            mz.getSpec().getRtmp().setReplicas(0);
            mz.getSpec().getWebrtc().setWebrtcPort(11000);
            mz.getSpec().getPlacement().getNodeSelector().put("pool", "media");
            return mz;
        });
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(client.apps().statefulSets().inNamespace(ns).withName("z-rtmp").get()).isNull();
            StatefulSet media = client.apps().statefulSets().inNamespace(ns).withName("z-webrtc").get();
            assertThat(media.getSpec().getTemplate().getSpec().getContainers().getFirst().getArgs())
                    .contains("--webrtc-port=11000");
            assertThat(media.getSpec().getTemplate().getSpec().getNodeSelector()).containsEntry("pool", "media");
        });
        MediaNodeCli.assertAccepted(client.apps().statefulSets().inNamespace(ns).withName("z-webrtc").get(), client);
    }

    @Test
    void scalingAZoneScalesItsWebrtcNodesWithStableDistinctNodeIds() {
        String ns = env.newNamespace("scale");
        env.create(cluster(ns, "mc"));
        env.create(zone(ns, "z", "mc", "eu", 1));
        awaitStatefulSet(ns, "z-webrtc");

        // What kubectl scale mediazone/z --replicas=3 writes through the scale subresource (.spec.webrtc.replicas).
        Fixtures.edit(client, MediaZone.class, ns, "z", mz -> {
                    mz.getSpec().getWebrtc().setReplicas(3);
                    return mz;
                });
        await().atMost(TIMEOUT).until(() ->
                client.apps().statefulSets().inNamespace(ns).withName("z-webrtc").get().getSpec().getReplicas() == 3);
        StatefulSet sts = client.apps().statefulSets().inNamespace(ns).withName("z-webrtc").get();
        List<MediaNodeCli.Parsed> pods = MediaNodeCli.assertAccepted(sts, client);
        assertThat(pods).extracting(p -> p.settings().nodeId()).containsExactly("eu-0", "eu-2");

        // Pods as the StatefulSet controller would create them: the status lists each node with its id.
        for (int i = 0; i < 3; i++) {
            client.resource(new PodBuilder()
                    .withNewMetadata().withName("z-webrtc-" + i).withNamespace(ns)
                        .withLabels(sts.getSpec().getTemplate().getMetadata().getLabels())
                        .addToLabels("apps.kubernetes.io/pod-index", String.valueOf(i))
                    .endMetadata()
                    .withSpec(sts.getSpec().getTemplate().getSpec())
                    .withNewStatus().withHostIP("10.0.0." + (i + 1))
                        .addNewCondition().withType("Ready").withStatus("True").endCondition()
                    .endStatus()
                    .build()).create();
        }
        Fixtures.markReady(client, sts);
        MediaZone ready = Fixtures.awaitZone(client, ns, "z", "Ready", "True", "ZoneReady");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(
                client.resources(MediaZone.class).inNamespace(ns).withName("z").get().getStatus().getNodes()).hasSize(3));
        ready = client.resources(MediaZone.class).inNamespace(ns).withName("z").get();
        assertThat(ready.getStatus().getReplicas()).isEqualTo(3);
        assertThat(ready.getStatus().getReadyReplicas()).isEqualTo(3);
        assertThat(ready.getStatus().getSelector()).contains("relaymesh.io/workload=z-webrtc");
        assertThat(ready.getStatus().getNodes()).extracting(NodeStatus::getNodeId).containsExactly("eu-0", "eu-1", "eu-2");
        assertThat(ready.getStatus().getNodes()).extracting(NodeStatus::getHostIP)
                .containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3");

        // Scaling down to zero removes the role's workload.
        Fixtures.edit(client, MediaZone.class, ns, "z", mz -> {
            mz.getSpec().getWebrtc().setReplicas(0);
            return mz;
        });
        await().atMost(TIMEOUT).until(() -> client.apps().statefulSets().inNamespace(ns).withName("z-webrtc").get() == null);
    }

    @Test
    void rtmpAndSipNodeIdsNeverCollideWithWebrtcOnes() {
        String ns = env.newNamespace("ids");
        env.create(cluster(ns, "mc"));
        MediaZone z = zone(ns, "z", "mc", "eu", 2);
        z.getSpec().getRtmp().setReplicas(2);
        z.getSpec().getSip().setReplicas(2);
        env.create(z);
        Set<String> ids = new java.util.HashSet<>();
        List<String> all = new ArrayList<>();
        for (String role : List.of("webrtc", "rtmp", "sip")) {
            for (MediaNodeCli.Parsed p : MediaNodeCli.assertAccepted(awaitStatefulSet(ns, "z-" + role), client)) {
                all.add(p.settings().nodeId());
                ids.add(p.settings().nodeId());
            }
        }
        assertThat(ids).hasSize(all.size()).contains("eu-0", "eu-1", "eu-20000", "eu-20001", "eu-40000", "eu-40001");
    }

    @Test
    void aDependentDeletedByHandIsRecreated() {
        String ns = env.newNamespace("recreate");
        env.create(cluster(ns, "mc"));
        env.create(zone(ns, "z", "mc", "eu", 1));
        awaitStatefulSet(ns, "mc-gateway");
        awaitStatefulSet(ns, "z-webrtc");
        String secretBefore = client.secrets().inNamespace(ns).withName("mc-secret").get().getData().get("secret");

        client.services().inNamespace(ns).withName("mc-seeds").delete();
        client.apps().statefulSets().inNamespace(ns).withName("z-webrtc").delete();
        client.configMaps().inNamespace(ns).withName("mc-settings").delete();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(client.services().inNamespace(ns).withName("mc-seeds").get()).isNotNull();
            assertThat(client.apps().statefulSets().inNamespace(ns).withName("z-webrtc").get()).isNotNull();
            assertThat(client.configMaps().inNamespace(ns).withName("mc-settings").get()).isNotNull();
        });
        assertThat(client.secrets().inNamespace(ns).withName("mc-secret").get().getData().get("secret"))
                .as("the generated secret is kept across reconciliations").isEqualTo(secretBefore);
    }

    @Test
    void deletingTheClusterLeavesNothingBehindOnceOwnersAreCollected() {
        String ns = env.newNamespace("delete");
        MediaCluster mc = cluster(ns, "mc");
        mc.getSpec().getGateway().setHost("media.example.com");
        mc.getSpec().getConnector().setEnabled(true);
        env.create(mc);
        await().atMost(TIMEOUT).until(() -> client.network().v1().ingresses().inNamespace(ns).withName("mc").get() != null
                && client.apps().statefulSets().inNamespace(ns).withName("mc-connector").get() != null
                && client.apps().deployments().inNamespace(ns).withName("mc-nats").get() != null);
        String uid = client.resources(MediaCluster.class).inNamespace(ns).withName("mc").get().getMetadata().getUid();
        List<HasMetadata> owned = ownedObjects(ns);
        assertThat(owned).extracting(o -> o.getKind() + "/" + o.getMetadata().getName()).containsExactlyInAnyOrder(
                "Secret/mc-secret", "Secret/mc-tls", "ConfigMap/mc-settings", "ServiceAccount/mc-node",
                "Deployment/mc-nats", "Service/mc-nats", "StatefulSet/mc-gateway", "Service/mc-gateway",
                "Service/mc-seeds", "Ingress/mc", "StatefulSet/mc-connector");
        assertThat(owned).allSatisfy(o -> assertThat(o.getMetadata().getOwnerReferences())
                .extracting(OwnerReference::getUid).containsExactly(uid));

        client.resources(MediaCluster.class).inNamespace(ns).withName("mc").delete();
        await().atMost(TIMEOUT).until(() -> client.resources(MediaCluster.class).inNamespace(ns).withName("mc").get() == null);
        // The mock API server has no garbage collector: do its job for objects whose owner is gone.
        for (HasMetadata o : ownedObjects(ns)) {
            client.resource(o).delete();
        }
        await().atMost(TIMEOUT).until(() -> ownedObjects(ns).isEmpty());
        env.create(cluster(ns, "other"));
        awaitStatefulSet(ns, "other-gateway");
        assertThat(ownedObjects(ns)).noneMatch(o -> o.getMetadata().getName().startsWith("mc-"));
    }

    private static List<HasMetadata> ownedObjects(String ns) {
        List<HasMetadata> all = new ArrayList<>();
        all.addAll(client.secrets().inNamespace(ns).list().getItems());
        all.addAll(client.configMaps().inNamespace(ns).list().getItems());
        all.addAll(client.serviceAccounts().inNamespace(ns).list().getItems());
        all.addAll(client.services().inNamespace(ns).list().getItems());
        all.addAll(client.apps().deployments().inNamespace(ns).list().getItems());
        all.addAll(client.apps().statefulSets().inNamespace(ns).list().getItems());
        all.addAll(client.network().v1().ingresses().inNamespace(ns).list().getItems());
        return all.stream().filter(o -> !o.getMetadata().getOwnerReferences().isEmpty()).collect(Collectors.toList());
    }

    @Test
    void aZoneWithoutItsClusterSaysSoAndStartsOnceTheClusterExists() {
        String ns = env.newNamespace("nocluster");
        env.create(zone(ns, "z", "missing", "eu", 1));
        MediaZone waiting = Fixtures.awaitZone(client, ns, "z", "Degraded", "True", "ClusterNotFound");
        assertThat(Fixtures.condition(waiting.getStatus(), "Degraded").orElseThrow().getMessage()).contains("missing");
        assertThat(Fixtures.condition(waiting.getStatus(), "Ready").orElseThrow().getStatus()).isEqualTo("False");
        assertThat(client.apps().statefulSets().inNamespace(ns).list().getItems()).isEmpty();

        env.create(cluster(ns, "missing"));
        awaitStatefulSet(ns, "z-webrtc");
        Fixtures.awaitZone(client, ns, "z", "Degraded", "False", null);
    }

    @Test
    void aMissingUserSecretIsReportedUntilItExists() {
        String ns = env.newNamespace("nosecret");
        MediaCluster mc = cluster(ns, "mc");
        mc.getSpec().setSecretRef(new SecretKeyRef("user-secret", "secret"));
        env.create(mc);
        env.create(zone(ns, "z", "mc", "eu", 1));
        MediaCluster degraded = Fixtures.awaitCluster(client, ns, "mc", "Degraded", "True", "SecretNotFound");
        assertThat(Fixtures.condition(degraded.getStatus(), "Degraded").orElseThrow().getMessage()).contains("user-secret");
        Fixtures.awaitZone(client, ns, "z", "Degraded", "True", "SecretNotFound");
        assertThat(client.apps().statefulSets().inNamespace(ns).list().getItems())
                .as("specs are validated before anything is created").isEmpty();

        // A secret too short for the nodes is refused with its own reason.
        client.resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName("user-secret")
                .withNamespace(ns).endMetadata().addToStringData("secret", "short").build()).create();
        Fixtures.awaitCluster(client, ns, "mc", "Degraded", "True", "SecretInvalid");

        client.secrets().inNamespace(ns).withName("user-secret").delete();
        await().atMost(TIMEOUT).until(() -> client.secrets().inNamespace(ns).withName("user-secret").get() == null);
        client.resource(Fixtures.clusterSecret(ns, "user-secret", "secret")).create();
        Fixtures.awaitCluster(client, ns, "mc", "Degraded", "False", null);
        StatefulSet gateway = awaitStatefulSet(ns, "mc-gateway");
        assertThat(gateway.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv())
                .anySatisfy(e -> assertThat(e.getValueFrom() == null ? null : e.getValueFrom().getSecretKeyRef())
                        .isNotNull().satisfies(ref -> assertThat(ref.getName()).isEqualTo("user-secret")));
        awaitStatefulSet(ns, "z-webrtc");
        assertThat(client.secrets().inNamespace(ns).withName("mc-secret").get()).isNull();
    }

    @Test
    void aMissingOrWrongTlsSecretIsReported() {
        String ns = env.newNamespace("notls");
        MediaCluster mc = cluster(ns, "mc");
        mc.getSpec().getTls().setSecretRef(new LocalObjectRef("my-tls"));
        env.create(mc);
        Fixtures.awaitCluster(client, ns, "mc", "Degraded", "True", "TlsSecretNotFound");
        client.resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName("my-tls")
                .withNamespace(ns).endMetadata().addToStringData("tls.crt", "x").build()).create();
        Fixtures.awaitCluster(client, ns, "mc", "Degraded", "True", "TlsSecretInvalid");
    }

    @Test
    void invalidPortsAreReportedAndNothingIsCreated() {
        String ns = env.newNamespace("ports");
        env.create(cluster(ns, "mc"));
        MediaZone z = zone(ns, "z", "mc", "eu", 1);
        z.getSpec().getRtmp().setReplicas(1);
        z.getSpec().getRtmp().setHttpPort(3000);
        env.create(z);
        MediaZone bad = Fixtures.awaitZone(client, ns, "z", "Degraded", "True", "InvalidPorts");
        assertThat(Fixtures.condition(bad.getStatus(), "Degraded").orElseThrow().getMessage())
                .contains("rtmp.httpPort", "webrtc.httpPort", "3000/TCP");
        assertThat(client.apps().statefulSets().inNamespace(ns).withName("z-webrtc").get()).isNull();

        // Fixing the spec (a new generation) rolls the zone out.
        Fixtures.edit(client, MediaZone.class, ns, "z", mz -> {
            mz.getSpec().getRtmp().setHttpPort(3001);
            return mz;
        });
        awaitStatefulSet(ns, "z-rtmp");
        Fixtures.awaitZone(client, ns, "z", "Degraded", "False", null);
    }

    @Test
    void anInvalidClusterSpecIsReportedWithItsReason() {
        String ns = env.newNamespace("badspec");
        MediaCluster mc = cluster(ns, "mc");
        mc.getSpec().getGateway().setHttpPort(70000);
        env.create(mc);
        MediaCluster bad = Fixtures.awaitCluster(client, ns, "mc", "Degraded", "True", "InvalidPorts");
        assertThat(Fixtures.condition(bad.getStatus(), "Degraded").orElseThrow().getMessage())
                .contains("gateway.httpPort", "70000");
        MediaCluster other = cluster(ns, "mc2");
        other.getSpec().getNats().setExternalUrl("http://not-nats");
        env.create(other);
        Fixtures.awaitCluster(client, ns, "mc2", "Degraded", "True", "InvalidSpec");
        assertThat(client.apps().statefulSets().inNamespace(ns).list().getItems()).isEmpty();
    }

    @Test
    void aDrainLongerThanANodeAcceptsIsRefusedAndNothingIsCreated() {
        String ns = env.newNamespace("drain");
        MediaCluster mc = cluster(ns, "mc");
        mc.getSpec().getGateway().setDrainSeconds(3601);
        env.create(mc);
        MediaCluster bad = Fixtures.awaitCluster(client, ns, "mc", "Degraded", "True", "InvalidSpec");
        assertThat(Fixtures.condition(bad.getStatus(), "Degraded").orElseThrow().getMessage())
                .contains("gateway.drainSeconds", "3600", "3601");
        MediaCluster ok = cluster(ns, "mc2");
        env.create(ok);
        MediaZone z = zone(ns, "z", "mc2", "eu", 1);
        z.getSpec().setDrainSeconds(7200);
        env.create(z);
        MediaZone badZone = Fixtures.awaitZone(client, ns, "z", "Degraded", "True", "InvalidSpec");
        assertThat(Fixtures.condition(badZone.getStatus(), "Degraded").orElseThrow().getMessage())
                .contains("drainSeconds", "3600", "7200");
        assertThat(client.apps().statefulSets().inNamespace(ns).withName("z-webrtc").get()).isNull();
        assertThat(client.apps().statefulSets().inNamespace(ns).withName("mc-gateway").get()).isNull();

        // The longest accepted budget rolls out with the node told to wait exactly that long.
        Fixtures.edit(client, MediaZone.class, ns, "z", mz -> {
            mz.getSpec().setDrainSeconds(3600);
            return mz;
        });
        StatefulSet sts = awaitStatefulSet(ns, "z-webrtc");
        var pod = sts.getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers().getFirst().getLifecycle().getPreStop().getHttpGet().getPath())
                .isEqualTo("/drain?seconds=3600");
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(3630L);
    }

    @Test
    void aDuplicateZoneIdIsRefusedForTheNewerZone() {
        String ns = env.newNamespace("dup");
        env.create(cluster(ns, "mc"));
        env.create(zone(ns, "first", "mc", "eu", 1));
        awaitStatefulSet(ns, "first-webrtc");
        env.create(zone(ns, "second", "mc", "eu", 1));
        MediaZone dup = Fixtures.awaitZone(client, ns, "second", "Degraded", "True", "DuplicateZoneId");
        assertThat(Fixtures.condition(dup.getStatus(), "Degraded").orElseThrow().getMessage()).contains("first");
        assertThat(client.apps().statefulSets().inNamespace(ns).withName("second-webrtc").get()).isNull();
        // The gateway's zone is taken too.
        env.create(zone(ns, "third", "mc", "gateway", 1));
        Fixtures.awaitZone(client, ns, "third", "Degraded", "True", "DuplicateZoneId");
        // The same id in another cluster is fine.
        env.create(cluster(ns, "mc-b"));
        env.create(zone(ns, "fourth", "mc-b", "eu", 1));
        awaitStatefulSet(ns, "fourth-webrtc");
    }

    @Test
    void theSelfSignedCertificateIsRenewedBeforeItExpires() {
        String ns = env.newNamespace("tls");
        MediaCluster mc = cluster(ns, "mc");
        mc.getSpec().getGateway().setHost("media.example.com");
        env.create(mc);
        await().atMost(TIMEOUT).until(() -> client.secrets().inNamespace(ns).withName("mc-tls").get() != null);
        Secret first = client.secrets().inNamespace(ns).withName("mc-tls").get();
        String pem = decode(first.getData().get("tls.crt"));
        assertThat(CertificateCheck.dnsNames(CertificateCheck.parse(pem).orElseThrow()))
                .containsExactly("media.example.com", "mc-gateway." + ns + ".svc", "mc-gateway." + ns + ".svc.cluster.local");

        // 59 days into a 90-day certificate: still more than 30 days left, kept.
        env.clock().advance(Duration.ofDays(59));
        touch(ns);
        Fixtures.awaitCluster(client, ns, "mc", "Progressing", "True", null);
        assertThat(client.secrets().inNamespace(ns).withName("mc-tls").get().getData().get("tls.crt"))
                .isEqualTo(first.getData().get("tls.crt"));

        // 61 days in: inside the renewal window, a new certificate is issued.
        env.clock().advance(Duration.ofDays(2));
        touch(ns);
        await().atMost(TIMEOUT).until(() -> !client.secrets().inNamespace(ns).withName("mc-tls").get().getData()
                .get("tls.crt").equals(first.getData().get("tls.crt")));
        String renewed = decode(client.secrets().inNamespace(ns).withName("mc-tls").get().getData().get("tls.crt"));
        assertThat(CertificateCheck.parse(renewed).orElseThrow().getNotAfter())
                .isAfter(CertificateCheck.parse(pem).orElseThrow().getNotAfter());
    }

    /** Any change of the spec triggers a reconciliation (the periodic one is hours away). */
    private static void touch(String ns) {
        Fixtures.edit(client, MediaCluster.class, ns, "mc", mc -> {
            mc.getSpec().getGateway().setDrainSeconds(mc.getSpec().getGateway().getDrainSeconds() + 1);
            return mc;
        });
        await().atMost(TIMEOUT).until(() -> {
            MediaCluster c = client.resources(MediaCluster.class).inNamespace(ns).withName("mc").get();
            return c.getStatus() != null && c.getStatus().getObservedGeneration().equals(c.getMetadata().getGeneration());
        });
    }

    private static String decode(String b64) {
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.US_ASCII);
    }
}
