package io.relaymesh.operator.crd.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.relaymesh.operator.crd.v1alpha1.spec.MediaZoneSpec;
import io.relaymesh.operator.crd.v1alpha1.status.MediaZoneStatus;

/**
 * One zone of a {@link MediaCluster}: host-network media-node pods per role (webrtc, rtmp, sip). The scale
 * subresource scales the WebRTC role ({@code spec.webrtc.replicas}), the unit that carries media load.
 */
@Group(MediaCluster.GROUP)
@Version(MediaCluster.VERSION)
@ShortNames("mzn")
@AdditionalPrinterColumn(name = "Cluster", jsonPath = ".spec.clusterRef", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Zone", jsonPath = ".spec.zoneId", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "WebRTC", jsonPath = ".status.replicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
        type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class MediaZone extends CustomResource<MediaZoneSpec, MediaZoneStatus> implements Namespaced {

    @Override
    protected MediaZoneSpec initSpec() {
        return new MediaZoneSpec();
    }
}
