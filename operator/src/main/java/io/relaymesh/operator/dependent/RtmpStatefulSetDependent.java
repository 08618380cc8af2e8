package io.relaymesh.operator.dependent;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The rtmp nodes of a zone. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class RtmpStatefulSetDependent extends ZoneRoleStatefulSetDependent {

    public RtmpStatefulSetDependent() {
        super(NodeRole.RTMP);
    }
}
