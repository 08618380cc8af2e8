package io.relaymesh.operator.dependent;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.relaymesh.operator.crd.v1alpha1.MediaCluster;

/**
 * Headless Service whose DNS name resolves to the gateway nodes' host addresses: the seed every node joins
 * through ({@code --seeds <name>.<ns>.svc:<clusterPort>}). Not-ready gateways are listed too, so the first
 * gateways can find each other while they start.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class SeedServiceDependent extends ClusterDependent<Service> {

    public SeedServiceDependent() {
        super(Service.class);
    }

    @Override
    protected String objectName(MediaCluster cluster) {
        return cluster.getMetadata().getName() + "-seeds";
    }

    @Override
    protected String component() {
        return "seeds";
    }

    @Override
    protected Service desired(MediaCluster cluster, Context<MediaCluster> context) {
        return new ServiceBuilder()
                .withMetadata(metadata(cluster))
                .withNewSpec()
                    .withClusterIP("None")
                    .withPublishNotReadyAddresses(true)
                    .withSelector(GatewayServiceDependent.gatewayPods(cluster))
                    .addNewPort().withName("cluster").withPort(cluster.getSpec().getGateway().getClusterPort())
                        .withProtocol("UDP").endPort()
                .endSpec()
                .build();
    }
}
