package io.relaymesh.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.relaymesh.operator.crd.v1alpha1.MediaCluster;
import io.relaymesh.operator.crd.v1alpha1.spec.GatewaySpec;
import java.util.Map;

/** The gateway's HTTP Service (ClusterIP, NodePort or LoadBalancer), the Ingress backend. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class GatewayServiceDependent extends ClusterDependent<Service> {

    public GatewayServiceDependent() {
        super(Service.class);
    }

    @Override
    protected String objectName(MediaCluster cluster) {
        return ClusterWiring.gatewayName(cluster.getMetadata().getName());
    }

    @Override
    protected String component() {
        return NodeRole.GATEWAY.label();
    }

    /** Selects the gateway pods. */
    public static Map<String, String> gatewayPods(MediaCluster cluster) {
        return Map.of(Labels.INSTANCE, cluster.getMetadata().getName(),
                Labels.WORKLOAD, ClusterWiring.gatewayName(cluster.getMetadata().getName()));
    }

    @Override
    protected Service desired(MediaCluster cluster, Context<MediaCluster> context) {
        GatewaySpec gateway = cluster.getSpec().getGateway();
        return new ServiceBuilder()
                .withMetadata(metadata(cluster))
                .withNewSpec()
                    .withType(gateway.getServiceType())
                    .withSelector(gatewayPods(cluster))
                    .addNewPort().withName("http").withPort(gateway.getServicePort())
                        .withTargetPort(new IntOrString(gateway.getHttpPort())).withProtocol("TCP").endPort()
                .endSpec()
                .build();
    }
}
