package io.relaymesh.operator.dependent;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The webrtc nodes of a zone. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class WebrtcStatefulSetDependent extends ZoneRoleStatefulSetDependent {

    public WebrtcStatefulSetDependent() {
        super(NodeRole.WEBRTC);
    }
}
