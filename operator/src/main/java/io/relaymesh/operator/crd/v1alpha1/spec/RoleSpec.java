package io.relaymesh.operator.crd.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Replicas and ports of one role of a zone. Every pod of a role uses the same host ports (host network), so
 * two pods of a role never share a host, and the ports of different roles must differ.
 */
public abstract class RoleSpec {

    /** Node indexes of a role start at its base; a role may not have more replicas than this. */
    public static final int MAX_REPLICAS = 1000;

    @JsonPropertyDescription("TCP port of the node's HTTP API (health, metrics, signalling) on its host.")
    @Min(1)
    @Max(65535)
    private int httpPort;

    @JsonPropertyDescription("UDP port of the cluster overlay on the node's host.")
    @Min(1)
    @Max(65535)
    private int clusterPort;

    protected RoleSpec(int httpPort, int clusterPort) {
        this.httpPort = httpPort;
        this.clusterPort = clusterPort;
    }

    /** Number of nodes of this role in the zone. */
    public abstract int getReplicas();

    public abstract void setReplicas(int replicas);

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

    /** The role's own media port (WebRTC UDP, RTMP TCP or SIP UDP and TCP). */
    @JsonIgnore
    public abstract int mediaPort();
}
