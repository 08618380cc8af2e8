package io.relaymesh.operator.crd.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** Desired state of a {@link io.relaymesh.operator.crd.v1alpha1.MediaZone}. */
public class MediaZoneSpec {

    @JsonPropertyDescription("Name of the MediaCluster (same namespace) this zone belongs to.")
    @Required
    private String clusterRef;

    @JsonPropertyDescription("Zone id, unique in its cluster: the nodes' --zone, part of every node id (zone-index).")
    @Required
    @Pattern(PortsAndNames.ZONE_PATTERN)
    private String zoneId;

    @JsonPropertyDescription("WebRTC SFU nodes (the media command). The scale subresource sets webrtc.replicas.")
    private WebrtcRoleSpec webrtc = new WebrtcRoleSpec();

    @JsonPropertyDescription("RTMP ingest nodes.")
    private RtmpRoleSpec rtmp = new RtmpRoleSpec();

    @JsonPropertyDescription("SIP edge nodes.")
    private SipRoleSpec sip = new SipRoleSpec();

    @JsonPropertyDescription("Node selector, tolerations and affinity of the zone's pods.")
    private PlacementSpec placement = new PlacementSpec();

    @JsonPropertyDescription("CPU and memory of each media-node container of the zone.")
    private ResourceRequirements resources;

    @JsonPropertyDescription("Autoscaling bounds of the WebRTC role.")
    private AutoscalingSpec autoscaling;

    @JsonPropertyDescription("Seconds a node gets to drain its sessions before it is stopped.")
    @Default("300")
    @Min(0)
    @Max(3600)
    private int drainSeconds = 300;

    public String getClusterRef() {
        return clusterRef;
    }

    public void setClusterRef(String clusterRef) {
        this.clusterRef = clusterRef;
    }

    public String getZoneId() {
        return zoneId;
    }

    public void setZoneId(String zoneId) {
        this.zoneId = zoneId;
    }

    public WebrtcRoleSpec getWebrtc() {
        return webrtc;
    }

    public void setWebrtc(WebrtcRoleSpec webrtc) {
        this.webrtc = webrtc == null ? new WebrtcRoleSpec() : webrtc;
    }

    public RtmpRoleSpec getRtmp() {
        return rtmp;
    }

    public void setRtmp(RtmpRoleSpec rtmp) {
        this.rtmp = rtmp == null ? new RtmpRoleSpec() : rtmp;
    }

    public SipRoleSpec getSip() {
        return sip;
    }

    public void setSip(SipRoleSpec sip) {
        this.sip = sip == null ? new SipRoleSpec() : sip;
    }

    public PlacementSpec getPlacement() {
        return placement;
    }

    public void setPlacement(PlacementSpec placement) {
        this.placement = placement == null ? new PlacementSpec() : placement;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }

    public AutoscalingSpec getAutoscaling() {
        return autoscaling;
    }

    public void setAutoscaling(AutoscalingSpec autoscaling) {
        this.autoscaling = autoscaling;
    }

    public int getDrainSeconds() {
        return drainSeconds;
    }

    public void setDrainSeconds(int drainSeconds) {
        this.drainSeconds = drainSeconds;
    }
}
