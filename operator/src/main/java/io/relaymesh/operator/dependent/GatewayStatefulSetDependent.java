package io.relaymesh.operator.dependent;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.relaymesh.operator.crd.v1alpha1.MediaCluster;
import io.relaymesh.operator.crd.v1alpha1.spec.GatewaySpec;
import java.util.List;
import java.util.Map;

/**
 * The gateway nodes: host-network media-node pods running {@code gateway}. A StatefulSet like every node
 * workload, so several gateways get distinct, stable node ids (see docs/KUBERNETES.md).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class GatewayStatefulSetDependent extends ClusterDependent<StatefulSet> {

    public GatewayStatefulSetDependent() {
        super(StatefulSet.class);
    }

    @Override
    protected String objectName(MediaCluster cluster) {
        return ClusterWiring.gatewayName(cluster.getMetadata().getName());
    }

    @Override
    protected String component() {
        return NodeRole.GATEWAY.label();
    }

    public static NodeWorkload workload(MediaCluster cluster, ClusterInputs inputs) {
        GatewaySpec gateway = cluster.getSpec().getGateway();
        return new NodeWorkload(ClusterWiring.gatewayName(cluster.getMetadata().getName()), NodeRole.GATEWAY,
                gateway.getZone(), gateway.getReplicas(), gateway.getHttpPort(), gateway.getClusterPort(), 0,
                inputs.wiring(), cluster.getSpec().getImage(), gateway.getDrainSeconds(), gateway.getResources(),
                Map.of(), List.of(), null, Map.of(), inputs.settingsHash());
    }

    @Override
    protected StatefulSet desired(MediaCluster cluster, Context<MediaCluster> context) {
        return MediaNodeStatefulSets.build(workload(cluster, ClusterInputs.from(context)));
    }
}
