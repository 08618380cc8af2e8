package io.relaymesh.operator.crd.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.relaymesh.operator.crd.v1alpha1.spec.MediaClusterSpec;
import io.relaymesh.operator.crd.v1alpha1.status.MediaClusterStatus;

/**
 * A relaymesh cluster: the cluster secret, TLS, NATS, the gateway and its seed Service. Media nodes join it
 * through {@link MediaZone}s that name it in {@code spec.clusterRef}.
 */
@Group(MediaCluster.GROUP)
@Version(MediaCluster.VERSION)
@ShortNames("mcl")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Gateway", jsonPath = ".status.gatewayUrl", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
        type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class MediaCluster extends CustomResource<MediaClusterSpec, MediaClusterStatus> implements Namespaced {

    public static final String GROUP = "relaymesh.io";
    public static final String VERSION = "v1alpha1";

    @Override
    protected MediaClusterSpec initSpec() {
        return new MediaClusterSpec();
    }
}
