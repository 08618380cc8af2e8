package io.relaymesh.operator.dependent;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.relaymesh.operator.crd.v1alpha1.MediaZone;
import io.relaymesh.operator.crd.v1alpha1.spec.MediaZoneSpec;
import io.relaymesh.operator.crd.v1alpha1.spec.RoleSpec;
import java.util.Map;

/** The StatefulSet of one role of a MediaZone, owned by the zone. */
public abstract class ZoneRoleStatefulSetDependent extends CRUDKubernetesDependentResource<StatefulSet, MediaZone> {

    private final NodeRole role;

    protected ZoneRoleStatefulSetDependent(NodeRole role) {
        super(StatefulSet.class);
        this.role = role;
    }

    public static String workloadName(MediaZone zone, NodeRole role) {
        return zone.getMetadata().getName() + "-" + role.label();
    }

    public static RoleSpec roleSpec(MediaZoneSpec spec, NodeRole role) {
        return switch (role) {
            case WEBRTC -> spec.getWebrtc();
            case RTMP -> spec.getRtmp();
            case SIP -> spec.getSip();
            case GATEWAY, CONNECTOR -> throw new IllegalArgumentException(role + " is not a zone role");
        };
    }

    public static NodeWorkload workload(MediaZone zone, NodeRole role, ClusterInputs inputs) {
        MediaZoneSpec spec = zone.getSpec();
        RoleSpec roleSpec = roleSpec(spec, role);
        return new NodeWorkload(workloadName(zone, role), role, spec.getZoneId(), roleSpec.getReplicas(),
                roleSpec.getHttpPort(), roleSpec.getClusterPort(), roleSpec.mediaPort(), inputs.wiring(),
                inputs.cluster().getSpec().getImage(), spec.getDrainSeconds(), spec.getResources(),
                spec.getPlacement().getNodeSelector(), spec.getPlacement().getTolerations(),
                spec.getPlacement().getAffinity(), Map.of(Labels.MEDIA_ZONE, zone.getMetadata().getName()),
                inputs.settingsHash());
    }

    @Override
    protected ResourceID targetSecondaryResourceID(MediaZone zone, Context<MediaZone> context) {
        return new ResourceID(workloadName(zone, role), zone.getMetadata().getNamespace());
    }

    @Override
    protected StatefulSet desired(MediaZone zone, Context<MediaZone> context) {
        return MediaNodeStatefulSets.build(workload(zone, role, ClusterInputs.fromZone(context)));
    }
}
