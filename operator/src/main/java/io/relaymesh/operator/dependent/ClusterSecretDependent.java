package io.relaymesh.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.relaymesh.operator.crd.v1alpha1.MediaCluster;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** The generated cluster secret (when the cluster names none): 32 random bytes, kept once created. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class ClusterSecretDependent extends ClusterDependent<Secret> {

    static final int SECRET_BYTES = 32;

    public ClusterSecretDependent() {
        super(Secret.class);
    }

    @Override
    protected String objectName(MediaCluster cluster) {
        return ClusterWiring.clusterSecretName(cluster.getMetadata().getName());
    }

    @Override
    protected String component() {
        return "cluster-secret";
    }

    @Override
    protected Secret desired(MediaCluster cluster, Context<MediaCluster> context) {
        ClusterInputs inputs = ClusterInputs.from(context);
        String key = ClusterWiring.GENERATED_SECRET_KEY;
        String encoded = getSecondaryResource(cluster, context)
                .map(Secret::getData)
                .map(data -> data.get(key))
                .filter(ClusterSecretDependent::longEnough)
                .orElseGet(() -> Base64.getEncoder().encodeToString(
                        randomValue(inputs).getBytes(StandardCharsets.US_ASCII)));
        return new SecretBuilder()
                .withMetadata(metadata(cluster))
                .withType("Opaque")
                .addToData(key, encoded)
                .build();
    }

    /** 32 random bytes as URL-safe base64 text (43 characters): printable, and 43 bytes as the node counts them. */
    private static String randomValue(ClusterInputs inputs) {
        byte[] bytes = new byte[SECRET_BYTES];
        inputs.random().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static boolean longEnough(String base64) {
        return Optional.ofNullable(base64).map(v -> {
            try {
                return Base64.getDecoder().decode(v).length >= SECRET_BYTES;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }).orElse(false);
    }
}
