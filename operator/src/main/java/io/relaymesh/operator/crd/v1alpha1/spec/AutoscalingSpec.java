package io.relaymesh.operator.crd.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Bounds for autoscaling the WebRTC role on media load (used by the autoscaler, a later addition). */
public class AutoscalingSpec {

    @JsonPropertyDescription("Fewest WebRTC nodes.")
    @Min(1)
    @Max(RoleSpec.MAX_REPLICAS)
    private Integer minReplicas;

    @JsonPropertyDescription("Most WebRTC nodes.")
    @Min(1)
    @Max(RoleSpec.MAX_REPLICAS)
    private Integer maxReplicas;

    @JsonPropertyDescription("Target media usage (sessions against capacity, CPU) in percent.")
    @Min(1)
    @Max(100)
    private Integer targetUsagePercent;

    public Integer getMinReplicas() {
        return minReplicas;
    }

    public void setMinReplicas(Integer minReplicas) {
        this.minReplicas = minReplicas;
    }

    public Integer getMaxReplicas() {
        return maxReplicas;
    }

    public void setMaxReplicas(Integer maxReplicas) {
        this.maxReplicas = maxReplicas;
    }

    public Integer getTargetUsagePercent() {
        return targetUsagePercent;
    }

    public void setTargetUsagePercent(Integer targetUsagePercent) {
        this.targetUsagePercent = targetUsagePercent;
    }
}
