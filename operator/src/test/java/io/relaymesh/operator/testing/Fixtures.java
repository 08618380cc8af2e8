package io.relaymesh.operator.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.relaymesh.operator.crd.v1alpha1.MediaCluster;
import io.relaymesh.operator.crd.v1alpha1.MediaZone;
import io.relaymesh.operator.crd.v1alpha1.status.ConditionedStatus;
import io.relaymesh.operator.tls.SelfSignedIssuer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** Building blocks of the operator tests: loading manifests, the Secrets users create, playing the kubelet. */
public final class Fixtures {

    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Fixtures() {
    }

    /**
     * Edits a resource's spec as {@code kubectl apply} would: a merge patch without a resource version, so it
     * neither conflicts with nor overwrites the status the operator writes concurrently.
     */
    public static <T extends HasMetadata> void edit(KubernetesClient client, Class<T> type, String ns, String name,
                                                    java.util.function.UnaryOperator<T> change) {
        T edited = change.apply(client.resources(type).inNamespace(ns).withName(name).get());
        edited.getMetadata().setResourceVersion(null);
        edited.getMetadata().setManagedFields(null);
        if (edited instanceof io.fabric8.kubernetes.client.CustomResource<?, ?> cr) {
            cr.setStatus(null);
        }
        client.resources(type).inNamespace(ns).withName(name)
                .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), edited);
    }

    /** The documents of a manifest file, typed when they are relaymesh resources. */
    public static List<HasMetadata> load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<HasMetadata> load(InputStream in) {
        List<HasMetadata> out = new ArrayList<>();
        Object parsed = Serialization.unmarshal(in);
        List<?> docs = parsed instanceof List<?> list ? list : List.of(parsed);
        for (Object doc : docs) {
            if (doc == null) {
                continue;
            }
            HasMetadata resource = (HasMetadata) doc;
            out.add(typed(resource));
        }
        return out;
    }

    public static HasMetadata typed(HasMetadata resource) {
        String json = Serialization.asJson(resource);
        return switch (resource.getKind()) {
            case "MediaCluster" -> Serialization.unmarshal(json, MediaCluster.class);
            case "MediaZone" -> Serialization.unmarshal(json, MediaZone.class);
            default -> resource;
        };
    }

    /** A generic Secret with a random value long enough for the nodes, as the docs tell users to create. */
    public static Secret clusterSecret(String namespace, String name, String key) {
        byte[] bytes = new byte[48];
        new SecureRandom().nextBytes(bytes);
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .addToStringData(key, Base64.getEncoder().encodeToString(bytes)).build();
    }

    /** A user's kubernetes.io/tls Secret. */
    public static Secret tlsSecret(String namespace, String name, String host) {
        var pair = new SelfSignedIssuer(Clock.systemUTC(), new SecureRandom()).issue(List.of(host), Duration.ofDays(30));
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withType("kubernetes.io/tls")
                .addToData("tls.crt", b64(pair.certificatePem()))
                .addToData("tls.key", b64(pair.privateKeyPem()))
                .build();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Creates the Secrets the relaymesh resources of a manifest refer to, when the manifest does not hold them. */
    public static void createReferencedSecrets(KubernetesClient client, String namespace, List<HasMetadata> items) {
        for (HasMetadata item : items) {
            if (item instanceof MediaCluster cluster) {
                var ref = cluster.getSpec().getSecretRef();
                if (ref != null && absent(items, ref.getName())) {
                    client.resource(clusterSecret(namespace, ref.getName(), ref.getKey())).create();
                }
                var tls = cluster.getSpec().getTls().getSecretRef();
                if (tls != null && absent(items, tls.getName())) {
                    String host = Optional.ofNullable(cluster.getSpec().getGateway().getHost()).orElse("relaymesh.test");
                    client.resource(tlsSecret(namespace, tls.getName(), host)).create();
                }
            }
        }
    }

    private static boolean absent(List<HasMetadata> items, String secretName) {
        return items.stream().noneMatch(i -> i instanceof Secret && secretName.equals(i.getMetadata().getName()));
    }

    /** Plays the StatefulSet and Deployment controllers: every workload of the namespace reports all replicas ready. */
    public static void markAllWorkloadsReady(KubernetesClient client, String namespace) {
        for (StatefulSet sts : client.apps().statefulSets().inNamespace(namespace).list().getItems()) {
            markReady(client, sts);
        }
        for (var deployment : client.apps().deployments().inNamespace(namespace).list().getItems()) {
            int replicas = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
            client.apps().deployments().inNamespace(namespace).withName(deployment.getMetadata().getName())
                    .editStatus(d -> {
                        d.setStatus(new DeploymentStatusBuilder().withReplicas(replicas).withReadyReplicas(replicas)
                                .withAvailableReplicas(replicas).withObservedGeneration(d.getMetadata().getGeneration())
                                .build());
                        return d;
                    });
        }
    }

    public static void markReady(KubernetesClient client, StatefulSet sts) {
        client.apps().statefulSets().inNamespace(sts.getMetadata().getNamespace()).withName(sts.getMetadata().getName())
                .editStatus(s -> {
                    int replicas = s.getSpec().getReplicas();
                    s.setStatus(new StatefulSetStatusBuilder().withReplicas(replicas).withReadyReplicas(replicas)
                            .withCurrentReplicas(replicas).withUpdatedReplicas(replicas)
                            .withObservedGeneration(s.getMetadata().getGeneration()).build());
                    return s;
                });
    }

    public static Optional<Condition> condition(ConditionedStatus status, String type) {
        return status == null ? Optional.empty() : status.condition(type);
    }

    public static boolean hasCondition(ConditionedStatus status, String type, String value, String reason) {
        return condition(status, type)
                .filter(c -> value.equals(c.getStatus()))
                .filter(c -> reason == null || reason.equals(c.getReason()))
                .isPresent();
    }

    public static MediaCluster awaitCluster(KubernetesClient client, String ns, String name, String type, String value,
                                            String reason) {
        await().atMost(TIMEOUT).until(() -> {
            MediaCluster mc = client.resources(MediaCluster.class).inNamespace(ns).withName(name).get();
            return mc != null && hasCondition(mc.getStatus(), type, value, reason);
        });
        return client.resources(MediaCluster.class).inNamespace(ns).withName(name).get();
    }

    public static MediaZone awaitZone(KubernetesClient client, String ns, String name, String type, String value,
                                      String reason) {
        await().atMost(TIMEOUT).until(() -> {
            MediaZone mz = client.resources(MediaZone.class).inNamespace(ns).withName(name).get();
            return mz != null && hasCondition(mz.getStatus(), type, value, reason);
        });
        return client.resources(MediaZone.class).inNamespace(ns).withName(name).get();
    }
}
