package io.relaymesh.operator.crd.v1alpha1.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Observed state of a MediaCluster. */
public class MediaClusterStatus extends ConditionedStatus {

    private String gatewayUrl;
    private List<String> seeds = new ArrayList<>();
    private String natsUrl;
    private String secretName;
    private String tlsSecretName;
    private String tlsNotAfter;
    private List<RoleCount> roles = new ArrayList<>();

    public String getGatewayUrl() {
        return gatewayUrl;
    }

    public void setGatewayUrl(String gatewayUrl) {
        this.gatewayUrl = gatewayUrl;
    }

    public List<String> getSeeds() {
        return seeds;
    }

    public void setSeeds(List<String> seeds) {
        this.seeds = seeds == null ? new ArrayList<>() : seeds;
    }

    public String getNatsUrl() {
        return natsUrl;
    }

    public void setNatsUrl(String natsUrl) {
        this.natsUrl = natsUrl;
    }

    public String getSecretName() {
        return secretName;
    }

    public void setSecretName(String secretName) {
        this.secretName = secretName;
    }

    public String getTlsSecretName() {
        return tlsSecretName;
    }

    public void setTlsSecretName(String tlsSecretName) {
        this.tlsSecretName = tlsSecretName;
    }

    public String getTlsNotAfter() {
        return tlsNotAfter;
    }

    public void setTlsNotAfter(String tlsNotAfter) {
        this.tlsNotAfter = tlsNotAfter;
    }

    public List<RoleCount> getRoles() {
        return roles;
    }

    public void setRoles(List<RoleCount> roles) {
        this.roles = roles == null ? new ArrayList<>() : roles;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MediaClusterStatus other
                && Objects.equals(getObservedGeneration(), other.getObservedGeneration())
                && Objects.equals(getConditions(), other.getConditions())
                && Objects.equals(gatewayUrl, other.gatewayUrl) && Objects.equals(seeds, other.seeds)
                && Objects.equals(natsUrl, other.natsUrl) && Objects.equals(secretName, other.secretName)
                && Objects.equals(tlsSecretName, other.tlsSecretName) && Objects.equals(tlsNotAfter, other.tlsNotAfter)
                && Objects.equals(roles, other.roles);
    }

    @Override
    public int hashCode() {
        return Objects.hash(getObservedGeneration(), gatewayUrl, seeds, natsUrl, secretName, roles);
    }
}
