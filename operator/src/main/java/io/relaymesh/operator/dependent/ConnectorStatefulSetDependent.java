package io.relaymesh.operator.dependent;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.relaymesh.operator.crd.v1alpha1.MediaCluster;
import io.relaymesh.operator.crd.v1alpha1.spec.ConnectorSpec;
import java.util.List;
import java.util.Map;

/** The event connector node (one), in the gateway zone, when {@code spec.connector.enabled}. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class ConnectorStatefulSetDependent extends ClusterDependent<StatefulSet> {

    /** Drain budget of the connector: enough to flush its queue to NATS. */
    static final int DRAIN_SECONDS = 30;

    public ConnectorStatefulSetDependent() {
        super(StatefulSet.class);
    }

    @Override
    protected String objectName(MediaCluster cluster) {
        return ClusterWiring.connectorName(cluster.getMetadata().getName());
    }

    @Override
    protected String component() {
        return NodeRole.CONNECTOR.label();
    }

    public static NodeWorkload workload(MediaCluster cluster, ClusterInputs inputs) {
        ConnectorSpec connector = cluster.getSpec().getConnector();
        return new NodeWorkload(ClusterWiring.connectorName(cluster.getMetadata().getName()), NodeRole.CONNECTOR,
                cluster.getSpec().getGateway().getZone(), 1, connector.getHttpPort(), connector.getClusterPort(), 0,
                inputs.wiring(), cluster.getSpec().getImage(), DRAIN_SECONDS, null, Map.of(), List.of(), null,
                Map.of(), inputs.settingsHash());
    }

    @Override
    protected StatefulSet desired(MediaCluster cluster, Context<MediaCluster> context) {
        return MediaNodeStatefulSets.build(workload(cluster, ClusterInputs.from(context)));
    }
}
