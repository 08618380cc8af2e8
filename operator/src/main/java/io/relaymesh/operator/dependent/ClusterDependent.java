package io.relaymesh.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.relaymesh.operator.crd.v1alpha1.MediaCluster;

/**
 * A Kubernetes object owned by a MediaCluster (owner reference: deleting the cluster deletes it). Its name is
 * known without computing the whole object, which keeps lookups cheap.
 */
public abstract class ClusterDependent<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, MediaCluster> {

    protected ClusterDependent(Class<R> type) {
        super(type);
    }

    /** Name of the object for this cluster. */
    protected abstract String objectName(MediaCluster cluster);

    /** The component label value of the object. */
    protected abstract String component();

    @Override
    protected ResourceID targetSecondaryResourceID(MediaCluster primary, Context<MediaCluster> context) {
        return new ResourceID(objectName(primary), primary.getMetadata().getNamespace());
    }

    protected ObjectMeta metadata(MediaCluster cluster) {
        return new ObjectMetaBuilder()
                .withName(objectName(cluster))
                .withNamespace(cluster.getMetadata().getNamespace())
                .withLabels(Labels.forCluster(cluster.getMetadata().getName(), component()))
                .build();
    }
}
