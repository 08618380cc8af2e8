package io.relaymesh.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.relaymesh.operator.crd.v1alpha1.MediaZone;

/** A role's StatefulSet exists while the role has replicas; scaling a role to zero removes it. */
public final class ZoneConditions {

    private ZoneConditions() {
    }

    private static boolean hasReplicas(MediaZone zone, NodeRole role) {
        return ZoneRoleStatefulSetDependent.roleSpec(zone.getSpec(), role).getReplicas() > 0;
    }

    public static final class WebrtcEnabled implements Condition<Object, MediaZone> {
        @Override
        public boolean isMet(DependentResource<Object, MediaZone> dependent, MediaZone zone, Context<MediaZone> context) {
            return hasReplicas(zone, NodeRole.WEBRTC);
        }
    }

    public static final class RtmpEnabled implements Condition<Object, MediaZone> {
        @Override
        public boolean isMet(DependentResource<Object, MediaZone> dependent, MediaZone zone, Context<MediaZone> context) {
            return hasReplicas(zone, NodeRole.RTMP);
        }
    }

    public static final class SipEnabled implements Condition<Object, MediaZone> {
        @Override
        public boolean isMet(DependentResource<Object, MediaZone> dependent, MediaZone zone, Context<MediaZone> context) {
            return hasReplicas(zone, NodeRole.SIP);
        }
    }
}
