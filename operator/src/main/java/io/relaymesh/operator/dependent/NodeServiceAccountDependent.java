package io.relaymesh.operator.dependent;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.relaymesh.operator.crd.v1alpha1.MediaCluster;

/** The identity node pods run as. Nodes do not call the Kubernetes API, so no token is mounted and no role bound. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class NodeServiceAccountDependent extends ClusterDependent<ServiceAccount> {

    public NodeServiceAccountDependent() {
        super(ServiceAccount.class);
    }

    @Override
    protected String objectName(MediaCluster cluster) {
        return cluster.getMetadata().getName() + "-node";
    }

    @Override
    protected String component() {
        return "node";
    }

    @Override
    protected ServiceAccount desired(MediaCluster cluster, Context<MediaCluster> context) {
        return new ServiceAccountBuilder()
                .withMetadata(metadata(cluster))
                .withAutomountServiceAccountToken(false)
                .build();
    }
}
