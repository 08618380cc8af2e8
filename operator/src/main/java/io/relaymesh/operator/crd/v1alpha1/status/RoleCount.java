package io.relaymesh.operator.crd.v1alpha1.status;

import java.util.Objects;

/** Desired and ready node counts of one role. */
public class RoleCount {

    private String role;
    private int replicas;
    private int readyReplicas;

    public RoleCount() {
    }

    public RoleCount(String role, int replicas, int readyReplicas) {
        this.role = role;
        this.replicas = replicas;
        this.readyReplicas = readyReplicas;
    }

    public String getRole() {
        return role;
    }

    public void setRole(String role) {
        this.role = role;
    }

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

    @Override
    public boolean equals(Object o) {
        return o instanceof RoleCount other && replicas == other.replicas && readyReplicas == other.readyReplicas
                && Objects.equals(role, other.role);
    }

    @Override
    public int hashCode() {
        return Objects.hash(role, replicas, readyReplicas);
    }

    @Override
    public String toString() {
        return role + " " + readyReplicas + "/" + replicas;
    }
}
