package io.relaymesh.operator.reconciler;

import io.relaymesh.operator.crd.v1alpha1.MediaCluster;
import io.relaymesh.operator.crd.v1alpha1.MediaZone;
import io.relaymesh.operator.crd.v1alpha1.spec.AutoscalingSpec;
import io.relaymesh.operator.crd.v1alpha1.spec.MediaZoneSpec;
import io.relaymesh.operator.crd.v1alpha1.spec.PortsAndNames;
import io.relaymesh.operator.crd.v1alpha1.spec.RoleSpec;
import io.relaymesh.operator.dependent.MediaNodeStatefulSets;
import io.relaymesh.operator.dependent.NodeRole;
import io.relaymesh.operator.dependent.ZoneRoleStatefulSetDependent;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks a MediaZone: its spec, the cluster it names, and that no other zone of the cluster has its id. */
public final class ZoneValidation {

    /** Longest zone resource name: its StatefulSets ({@code <name>-webrtc}) must stay within 52 characters. */
    static final int MAX_ZONE_NAME = 45;
    private static final Pattern ZONE = Pattern.compile(PortsAndNames.ZONE_PATTERN);
    static final List<NodeRole> ZONE_ROLES = List.of(NodeRole.WEBRTC, NodeRole.RTMP, NodeRole.SIP);

    private ZoneValidation() {
    }

    public static Optional<SpecProblem> checkSpec(MediaZone zone) {
        MediaZoneSpec spec = zone.getSpec();
        if (zone.getMetadata().getName().length() > MAX_ZONE_NAME) {
            return invalid("metadata.name must be at most " + MAX_ZONE_NAME + " characters");
        }
        if (ClusterValidation.blank(spec.getClusterRef())) {
            return invalid("clusterRef must name the MediaCluster of this zone");
        }
        if (spec.getZoneId() == null || !ZONE.matcher(spec.getZoneId()).matches()) {
            return invalid("zoneId must be a DNS label of at most 32 characters (a-z, 0-9, '-'), got " + spec.getZoneId());
        }
        for (NodeRole role : ZONE_ROLES) {
            int replicas = ZoneRoleStatefulSetDependent.roleSpec(spec, role).getReplicas();
            if (replicas < 0 || replicas > RoleSpec.MAX_REPLICAS) {
                return invalid(role.label() + ".replicas must be between 0 and " + RoleSpec.MAX_REPLICAS + ", got " + replicas);
            }
        }
        if (spec.getDrainSeconds() < 0 || spec.getDrainSeconds() > MediaNodeStatefulSets.MAX_DRAIN_SECONDS) {
            // The node's /drain refuses longer budgets, which would leave the preStop hook without a drain.
            return invalid("drainSeconds must be between 0 and " + MediaNodeStatefulSets.MAX_DRAIN_SECONDS
                    + " (the longest drain a node accepts), got " + spec.getDrainSeconds());
        }
        AutoscalingSpec autoscaling = spec.getAutoscaling();
        if (autoscaling != null && autoscaling.getMinReplicas() != null && autoscaling.getMaxReplicas() != null
                && autoscaling.getMinReplicas() > autoscaling.getMaxReplicas()) {
            return invalid("autoscaling.minReplicas must not exceed autoscaling.maxReplicas");
        }
        return Optional.empty();
    }

    /** Ports of the zone's roles against each other and against the cluster's own nodes. */
    public static Optional<SpecProblem> checkPorts(MediaZone zone, MediaCluster cluster) {
        PortPlan plan = ClusterValidation.clusterPorts(cluster.getSpec());
        MediaZoneSpec spec = zone.getSpec();
        for (NodeRole role : ZONE_ROLES) {
            RoleSpec roleSpec = ZoneRoleStatefulSetDependent.roleSpec(spec, role);
            if (roleSpec.getReplicas() == 0) {
                continue;
            }
            String prefix = role.label() + ".";
            plan.add(prefix + "httpPort", roleSpec.getHttpPort(), "TCP");
            plan.add(prefix + "clusterPort", roleSpec.getClusterPort(), "UDP");
            switch (role) {
                case WEBRTC -> plan.add(prefix + "webrtcPort", roleSpec.mediaPort(), "UDP");
                case RTMP -> plan.add(prefix + "rtmpPort", roleSpec.mediaPort(), "TCP");
                case SIP -> plan.add(prefix + "sipPort", roleSpec.mediaPort(), "UDP")
                        .add(prefix + "sipPort", roleSpec.mediaPort(), "TCP");
                default -> throw new IllegalStateException(role + " is not a zone role");
            }
        }
        return plan.problem();
    }

    /**
     * The zone id must not be the gateway's zone, nor the id of another zone of the same cluster created
     * earlier (the older zone keeps it; ties go to the name that sorts first).
     */
    public static Optional<SpecProblem> checkUnique(MediaZone zone, MediaCluster cluster, List<MediaZone> zonesInNamespace) {
        String id = zone.getSpec().getZoneId();
        if (id.equals(cluster.getSpec().getGateway().getZone())) {
            return Optional.of(SpecProblem.spec(SpecProblem.DUPLICATE_ZONE_ID,
                    "zoneId " + id + " is the gateway zone of cluster " + cluster.getMetadata().getName()));
        }
        Comparator<MediaZone> age = Comparator
                .comparing((MediaZone z) -> z.getMetadata().getCreationTimestamp() == null
                        ? "" : z.getMetadata().getCreationTimestamp())
                .thenComparing(z -> z.getMetadata().getName());
        return zonesInNamespace.stream()
                .filter(other -> !other.getMetadata().getName().equals(zone.getMetadata().getName()))
                .filter(other -> zone.getSpec().getClusterRef().equals(other.getSpec().getClusterRef()))
                .filter(other -> id.equals(other.getSpec().getZoneId()))
                .filter(other -> age.compare(other, zone) < 0)
                .findFirst()
                .map(other -> SpecProblem.reference(SpecProblem.DUPLICATE_ZONE_ID,
                        "zoneId " + id + " is already used by MediaZone " + other.getMetadata().getName()
                                + " of cluster " + cluster.getMetadata().getName()));
    }

    private static Optional<SpecProblem> invalid(String message) {
        return Optional.of(SpecProblem.spec(SpecProblem.INVALID_SPEC, message));
    }
}
