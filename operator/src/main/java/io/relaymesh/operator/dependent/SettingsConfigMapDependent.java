package io.relaymesh.operator.dependent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.relaymesh.operator.crd.v1alpha1.MediaCluster;

/** The settings every node of the cluster shares (seed address, NATS, events), read by pods into their environment. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class SettingsConfigMapDependent extends ClusterDependent<ConfigMap> {

    public SettingsConfigMapDependent() {
        super(ConfigMap.class);
    }

    @Override
    protected String objectName(MediaCluster cluster) {
        return cluster.getMetadata().getName() + "-settings";
    }

    @Override
    protected String component() {
        return "settings";
    }

    @Override
    protected ConfigMap desired(MediaCluster cluster, Context<MediaCluster> context) {
        ClusterInputs inputs = ClusterInputs.from(context);
        return new ConfigMapBuilder()
                .withMetadata(metadata(cluster))
                .withData(inputs.wiring().settings(cluster.getSpec()))
                .build();
    }
}
