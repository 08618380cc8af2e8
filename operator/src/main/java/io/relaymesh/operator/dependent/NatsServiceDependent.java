package io.relaymesh.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.relaymesh.operator.crd.v1alpha1.MediaCluster;
import io.relaymesh.operator.dependent.ClusterWiring.NatsPorts;

/** The in-cluster address of the embedded NATS server. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class NatsServiceDependent extends ClusterDependent<Service> {

    public NatsServiceDependent() {
        super(Service.class);
    }

    @Override
    protected String objectName(MediaCluster cluster) {
        return ClusterWiring.natsName(cluster.getMetadata().getName());
    }

    @Override
    protected String component() {
        return "nats";
    }

    @Override
    protected Service desired(MediaCluster cluster, Context<MediaCluster> context) {
        return new ServiceBuilder()
                .withMetadata(metadata(cluster))
                .withNewSpec()
                    .withType("ClusterIP")
                    .withSelector(NatsDeploymentDependent.selector(cluster))
                    .addNewPort().withName("client").withPort(NatsPorts.CLIENT)
                        .withTargetPort(new IntOrString("client")).withProtocol("TCP").endPort()
                .endSpec()
                .build();
    }
}
