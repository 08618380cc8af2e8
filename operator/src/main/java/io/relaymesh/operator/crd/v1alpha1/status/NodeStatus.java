package io.relaymesh.operator.crd.v1alpha1.status;

import java.util.Objects;

/** One media node of a zone as Kubernetes placed it. */
public class NodeStatus {

    private String pod;
    private String hostIP;
    private String nodeId;
    private String role;
    private boolean ready;

    public NodeStatus() {
    }

    public NodeStatus(String pod, String hostIP, String nodeId, String role, boolean ready) {
        this.pod = pod;
        this.hostIP = hostIP;
        this.nodeId = nodeId;
        this.role = role;
        this.ready = ready;
    }

    public String getPod() {
        return pod;
    }

    public void setPod(String pod) {
        this.pod = pod;
    }

    public String getHostIP() {
        return hostIP;
    }

    public void setHostIP(String hostIP) {
        this.hostIP = hostIP;
    }

    public String getNodeId() {
        return nodeId;
    }

    public void setNodeId(String nodeId) {
        this.nodeId = nodeId;
    }

    public String getRole() {
        return role;
    }

    public void setRole(String role) {
        this.role = role;
    }

    public boolean isReady() {
        return ready;
    }

    public void setReady(boolean ready) {
        this.ready = ready;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeStatus other && ready == other.ready && Objects.equals(pod, other.pod)
                && Objects.equals(hostIP, other.hostIP) && Objects.equals(nodeId, other.nodeId)
                && Objects.equals(role, other.role);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pod, hostIP, nodeId, role, ready);
    }
}
