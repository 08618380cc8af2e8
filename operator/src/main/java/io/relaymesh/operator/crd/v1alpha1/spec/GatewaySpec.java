package io.relaymesh.operator.crd.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** The gateway nodes: HTTP entry point (tokens, WHIP/WHEP signalling) and seeds of the cluster overlay. */
public class GatewaySpec {

    @JsonPropertyDescription("Number of gateway nodes; each runs on its own host (host network).")
    @Default("1")
    @Min(1)
    @Max(100)
    private int replicas = 1;

    @JsonPropertyDescription("Zone id of the gateway nodes (a DNS label); no MediaZone of this cluster may use it.")
    @Default("gateway")
    @Pattern(PortsAndNames.ZONE_PATTERN)
    private String zone = "gateway";

    @JsonPropertyDescription("TCP port of the gateway's HTTP API on each host.")
    @Default("8080")
    @Min(1)
    @Max(65535)
    private int httpPort = 8080;

    @JsonPropertyDescription("UDP port of the cluster overlay on each gateway host; the seed address uses it.")
    @Default("4000")
    @Min(1)
    @Max(65535)
    private int clusterPort = 4000;

    @JsonPropertyDescription("Type of the gateway Service: ClusterIP, NodePort or LoadBalancer.")
    @Default("ClusterIP")
    @Pattern("^(ClusterIP|NodePort|LoadBalancer)$")
    private String serviceType = "ClusterIP";

    @JsonPropertyDescription("Port of the gateway Service.")
    @Default("80")
    @Min(1)
    @Max(65535)
    private int servicePort = 80;

    @JsonPropertyDescription("Public host name of the gateway. When set, an Ingress maps /gateway and /auth on it, with TLS.")
    private String host;

    @JsonPropertyDescription("IngressClass of the Ingress; the cluster default when empty.")
    private String ingressClassName;

    @JsonPropertyDescription("Seconds a gateway pod gets to drain before it is stopped.")
    @Default("60")
    @Min(0)
    @Max(3600)
    private int drainSeconds = 60;

    @JsonPropertyDescription("CPU and memory of each gateway container.")
    private ResourceRequirements resources;

    public int getReplicas() {
        return replicas;
    }

    public void setReplicas(int replicas) {
        this.replicas = replicas;
    }

    public String getZone() {
        return zone;
    }

    public void setZone(String zone) {
        this.zone = zone;
    }

    public int getHttpPort() {
        return httpPort;
    }

    public void setHttpPort(int httpPort) {
        this.httpPort = httpPort;
    }

    public int getClusterPort() {
        return clusterPort;
    }

    public void setClusterPort(int clusterPort) {
        this.clusterPort = clusterPort;
    }

    public String getServiceType() {
        return serviceType;
    }

    public void setServiceType(String serviceType) {
        this.serviceType = serviceType;
    }

    public int getServicePort() {
        return servicePort;
    }

    public void setServicePort(int servicePort) {
        this.servicePort = servicePort;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public String getIngressClassName() {
        return ingressClassName;
    }

    public void setIngressClassName(String ingressClassName) {
        this.ingressClassName = ingressClassName;
    }

    public int getDrainSeconds() {
        return drainSeconds;
    }

    public void setDrainSeconds(int drainSeconds) {
        this.drainSeconds = drainSeconds;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }
}
