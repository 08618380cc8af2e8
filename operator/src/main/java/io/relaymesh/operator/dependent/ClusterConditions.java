package io.relaymesh.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.relaymesh.operator.crd.v1alpha1.MediaCluster;

/** Which optional objects a MediaCluster has; an object whose condition stops holding is deleted. */
public final class ClusterConditions {

    private ClusterConditions() {
    }

    /** The operator generates the cluster secret only when the cluster names none. */
    public static final class GeneratedSecret implements Condition<Object, MediaCluster> {
        @Override
        public boolean isMet(DependentResource<Object, MediaCluster> dependent, MediaCluster cluster,
                             Context<MediaCluster> context) {
            return cluster.getSpec().getSecretRef() == null;
        }
    }

    public static final class SelfSignedTls implements Condition<Object, MediaCluster> {
        @Override
        public boolean isMet(DependentResource<Object, MediaCluster> dependent, MediaCluster cluster,
                             Context<MediaCluster> context) {
            return cluster.getSpec().getTls().selfSigned();
        }
    }

    public static final class EmbeddedNats implements Condition<Object, MediaCluster> {
        @Override
        public boolean isMet(DependentResource<Object, MediaCluster> dependent, MediaCluster cluster,
                             Context<MediaCluster> context) {
            return cluster.getSpec().getNats().embedded();
        }
    }

    public static final class ConnectorEnabled implements Condition<Object, MediaCluster> {
        @Override
        public boolean isMet(DependentResource<Object, MediaCluster> dependent, MediaCluster cluster,
                             Context<MediaCluster> context) {
            return cluster.getSpec().getConnector().isEnabled();
        }
    }

    /** The Ingress exists when the gateway has a public host. */
    public static final class PublicHost implements Condition<Object, MediaCluster> {
        @Override
        public boolean isMet(DependentResource<Object, MediaCluster> dependent, MediaCluster cluster,
                             Context<MediaCluster> context) {
            String host = cluster.getSpec().getGateway().getHost();
            return host != null && !host.isBlank();
        }
    }
}
