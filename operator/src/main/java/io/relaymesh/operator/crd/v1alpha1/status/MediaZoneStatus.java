package io.relaymesh.operator.crd.v1alpha1.status;

import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Observed state of a MediaZone. {@code replicas}, {@code readyReplicas} and {@code selector} are the WebRTC role's (the scale subresource). */
public class MediaZoneStatus extends ConditionedStatus {

    @StatusReplicas
    private int replicas;
    private int readyReplicas;
    @LabelSelector
    private String selector;
    private List<RoleCount> roles = new ArrayList<>();
    private List<NodeStatus> nodes = new ArrayList<>();

    public int getReplicas() {
        return replicas;
    }

    public void setReplicas(int replicas) {
        this.replicas = replicas;
    }

    public int getReadyReplicas() {
        return readyReplicas;
    }

    public void setReadyReplicas(int readyReplicas) {
        this.readyReplicas = readyReplicas;
    }

    public String getSelector() {
        return selector;
    }

    public void setSelector(String selector) {
        this.selector = selector;
    }

    public List<RoleCount> getRoles() {
        return roles;
    }

    public void setRoles(List<RoleCount> roles) {
        this.roles = roles == null ? new ArrayList<>() : roles;
    }

    public List<NodeStatus> getNodes() {
        return nodes;
    }

    public void setNodes(List<NodeStatus> nodes) {
        this.nodes = nodes == null ? new ArrayList<>() : nodes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MediaZoneStatus other
                && Objects.equals(getObservedGeneration(), other.getObservedGeneration())
                && Objects.equals(getConditions(), other.getConditions())
                && replicas == other.replicas && readyReplicas == other.readyReplicas
                && Objects.equals(selector, other.selector) && Objects.equals(roles, other.roles)
                && Objects.equals(nodes, other.nodes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(getObservedGeneration(), replicas, readyReplicas, selector, roles, nodes);
    }
}
