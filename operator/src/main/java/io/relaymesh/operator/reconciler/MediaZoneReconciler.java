package io.relaymesh.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.relaymesh.operator.crd.v1alpha1.MediaCluster;
import io.relaymesh.operator.crd.v1alpha1.MediaZone;
import io.relaymesh.operator.crd.v1alpha1.status.MediaZoneStatus;
import io.relaymesh.operator.crd.v1alpha1.status.NodeStatus;
import io.relaymesh.operator.crd.v1alpha1.status.RoleCount;
import io.relaymesh.operator.dependent.ClusterInputs;
import io.relaymesh.operator.dependent.Labels;
import io.relaymesh.operator.dependent.NodeRole;
import io.relaymesh.operator.dependent.RtmpStatefulSetDependent;
import io.relaymesh.operator.dependent.SipStatefulSetDependent;
import io.relaymesh.operator.dependent.WebrtcStatefulSetDependent;
import io.relaymesh.operator.dependent.ZoneConditions;
import io.relaymesh.operator.dependent.ZoneRoleStatefulSetDependent;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reconciles a MediaZone: checks its spec, its cluster and the uniqueness of its zone id, then rolls out one
 * StatefulSet per role with replicas, and reports per-role readiness and the nodes Kubernetes placed.
 */
@ControllerConfiguration(name = MediaZoneReconciler.NAME)
@Workflow(explicitInvocation = true, dependents = {
    @Dependent(name = "webrtc", type = WebrtcStatefulSetDependent.class,
            reconcilePrecondition = ZoneConditions.WebrtcEnabled.class),
    @Dependent(name = "rtmp", type = RtmpStatefulSetDependent.class,
            reconcilePrecondition = ZoneConditions.RtmpEnabled.class),
    @Dependent(name = "sip", type = SipStatefulSetDependent.class,
            reconcilePrecondition = ZoneConditions.SipEnabled.class)
})
public class MediaZoneReconciler implements Reconciler<MediaZone> {

    public static final String NAME = "mediazone";

    private final Clock clock;
    private final SecureRandom random;
    private final Duration recheckReferences;
    private InformerEventSource<MediaCluster, MediaZone> clusters;
    private InformerEventSource<Pod, MediaZone> pods;

    /**
     * @param recheckReferences how soon a resource waiting for an object someone else creates is looked at again
     */
    public MediaZoneReconciler(Clock clock, SecureRandom random, Duration recheckReferences) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.recheckReferences = Objects.requireNonNull(recheckReferences, "recheckReferences");
    }

    @Override
    public List<EventSource<?, MediaZone>> prepareEventSources(EventSourceContext<MediaZone> context) {
        // A cluster change (image, secret, seeds) re-renders every zone of the cluster; a new cluster unblocks them.
        var clusterConfig = InformerEventSourceConfiguration.from(MediaCluster.class, MediaZone.class)
                .withName("clusters")
                .withSecondaryToPrimaryMapper((MediaCluster cluster) -> context.getPrimaryCache()
                        .list(cluster.getMetadata().getNamespace(),
                                zone -> cluster.getMetadata().getName().equals(zone.getSpec().getClusterRef()))
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .build();
        clusters = new InformerEventSource<>(clusterConfig, context);
        // Pods feed the node list of the status.
        var podConfig = InformerEventSourceConfiguration.from(Pod.class, MediaZone.class)
                .withName("pods")
                .withLabelSelector(Labels.MANAGED_SELECTOR + "," + Labels.MEDIA_ZONE)
                .withSecondaryToPrimaryMapper((Pod pod) -> Set.of(
                        new ResourceID(pod.getMetadata().getLabels().get(Labels.MEDIA_ZONE), pod.getMetadata().getNamespace())))
                .build();
        pods = new InformerEventSource<>(podConfig, context);
        return List.of(clusters, pods);
    }

    @Override
    public UpdateControl<MediaZone> reconcile(MediaZone zone, Context<MediaZone> context) {
        Optional<SpecProblem> problem = ZoneValidation.checkSpec(zone);
        Optional<MediaCluster> cluster = problem.isPresent() ? Optional.empty() : clusters.get(
                new ResourceID(zone.getSpec().getClusterRef(), zone.getMetadata().getNamespace()));
        if (problem.isEmpty() && cluster.isEmpty()) {
            problem = Optional.of(SpecProblem.reference(SpecProblem.CLUSTER_NOT_FOUND, "MediaCluster "
                    + zone.getSpec().getClusterRef() + " does not exist in namespace " + zone.getMetadata().getNamespace()));
        }
        if (problem.isEmpty()) {
            MediaCluster c = cluster.get();
            problem = ZoneValidation.checkPorts(zone, c)
                    .or(() -> ZoneValidation.checkUnique(zone, c,
                            context.getPrimaryCache().list(zone.getMetadata().getNamespace()).toList()))
                    .or(() -> c.getSpec().getSecretRef() == null ? Optional.empty()
                            : ClusterValidation.checkClusterSecret(context.getClient(), zone.getMetadata().getNamespace(),
                                    c.getSpec().getSecretRef()));
        }
        if (problem.isPresent()) {
            SpecProblem p = problem.get();
            MediaZoneStatus status = new MediaZoneStatus();
            if (zone.getStatus() != null) {
                // What runs keeps running; the counts stay what they were.
                status.setReplicas(zone.getStatus().getReplicas());
                status.setReadyReplicas(zone.getStatus().getReadyReplicas());
                status.setSelector(zone.getStatus().getSelector());
                status.setRoles(zone.getStatus().getRoles());
                status.setNodes(zone.getStatus().getNodes());
            }
            Conditions.apply(Conditions.Outcome.invalid(p.reason(), p.message()), zone.getStatus(), status,
                    generation(zone), clock.instant());
            UpdateControl<MediaZone> control = patchIfChanged(zone, status, context);
            return p.reference() ? control.rescheduleAfter(recheckReferences) : control;
        }

        ClusterInputs.of(cluster.get(), clock, random).putInto(context);
        context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow()
                .throwAggregateExceptionIfErrorsPresent();

        MediaZoneStatus status = new MediaZoneStatus();
        List<RoleCount> roles = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        for (NodeRole role : ZoneValidation.ZONE_ROLES) {
            int wanted = ZoneRoleStatefulSetDependent.roleSpec(zone.getSpec(), role).getReplicas();
            String name = ZoneRoleStatefulSetDependent.workloadName(zone, role);
            Optional<StatefulSet> sts = wanted == 0 ? Optional.empty()
                    : context.getSecondaryResourcesAsStream(StatefulSet.class)
                            .filter(s -> name.equals(s.getMetadata().getName())).findFirst();
            int ready = WorkloadReadiness.ready(sts);
            roles.add(new RoleCount(role.label(), wanted, ready));
            if (!WorkloadReadiness.rolledOut(sts, wanted)) {
                waiting.add(role.label() + " " + ready + "/" + wanted);
            }
            if (role == NodeRole.WEBRTC) {
                status.setReplicas(WorkloadReadiness.current(sts));
                status.setReadyReplicas(ready);
                status.setSelector(Labels.INSTANCE + "=" + zone.getSpec().getClusterRef() + "," + Labels.WORKLOAD + "=" + name);
            }
        }
        status.setRoles(roles);
        status.setNodes(nodes(zone));
        Conditions.Outcome outcome = waiting.isEmpty()
                ? Conditions.Outcome.ready("ZoneReady", "all nodes of zone " + zone.getSpec().getZoneId() + " are ready")
                : Conditions.Outcome.progressing("WaitingForPods", "waiting for " + String.join(", ", waiting));
        Conditions.apply(outcome, zone.getStatus(), status, generation(zone), clock.instant());
        return patchIfChanged(zone, status, context);
    }

    @Override
    public ErrorStatusUpdateControl<MediaZone> updateErrorStatus(MediaZone zone, Context<MediaZone> context, Exception e) {
        MediaZoneStatus status = new MediaZoneStatus();
        Conditions.apply(Conditions.Outcome.invalid("ReconcileFailed", String.valueOf(e.getMessage())),
                zone.getStatus(), status, generation(zone), clock.instant());
        StatusWrite.replace(zone, status, context);
        return ErrorStatusUpdateControl.noStatusUpdate();
    }

    /** The zone's pods as placed: node id = zone id + pod ordinal (the node's --node-index). */
    private List<NodeStatus> nodes(MediaZone zone) {
        String name = zone.getMetadata().getName();
        return pods.list(zone.getMetadata().getNamespace(),
                        p -> name.equals(p.getMetadata().getLabels().get(Labels.MEDIA_ZONE)))
                .map(p -> new NodeStatus(p.getMetadata().getName(),
                        p.getStatus() == null ? null : p.getStatus().getHostIP(),
                        Optional.ofNullable(p.getMetadata().getLabels().get(Labels.POD_INDEX))
                                .map(i -> zone.getSpec().getZoneId() + "-" + i).orElse(null),
                        p.getMetadata().getLabels().get(Labels.ROLE),
                        podReady(p)))
                .sorted(Comparator.comparing(NodeStatus::getPod))
                .toList();
    }

    private static boolean podReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static long generation(MediaZone zone) {
        return zone.getMetadata().getGeneration() == null ? 0 : zone.getMetadata().getGeneration();
    }

    /** Writes the status when it differs from the last one seen or written (see {@link StatusWrite}). */
    private static UpdateControl<MediaZone> patchIfChanged(MediaZone zone, MediaZoneStatus status,
                                                            Context<MediaZone> context) {
        if (!status.equals(zone.getStatus())) {
            StatusWrite.replace(zone, status, context);
        }
        return UpdateControl.noUpdate();
    }
}
