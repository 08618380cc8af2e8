package io.relaymesh.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.relaymesh.operator.crd.v1alpha1.MediaCluster;
import io.relaymesh.operator.crd.v1alpha1.MediaZone;
import io.relaymesh.operator.crd.v1alpha1.status.MediaClusterStatus;
import io.relaymesh.operator.crd.v1alpha1.status.MediaZoneStatus;
import io.relaymesh.operator.crd.v1alpha1.status.RoleCount;
import io.relaymesh.operator.dependent.ClusterConditions;
import io.relaymesh.operator.dependent.ClusterInputs;
import io.relaymesh.operator.dependent.ClusterSecretDependent;
import io.relaymesh.operator.dependent.ClusterWiring;
import io.relaymesh.operator.dependent.ConnectorStatefulSetDependent;
import io.relaymesh.operator.dependent.GatewayIngressDependent;
import io.relaymesh.operator.dependent.GatewayServiceDependent;
import io.relaymesh.operator.dependent.GatewayStatefulSetDependent;
import io.relaymesh.operator.dependent.NatsDeploymentDependent;
import io.relaymesh.operator.dependent.NatsServiceDependent;
import io.relaymesh.operator.dependent.NodeRole;
import io.relaymesh.operator.dependent.NodeServiceAccountDependent;
import io.relaymesh.operator.dependent.SeedServiceDependent;
import io.relaymesh.operator.dependent.SettingsConfigMapDependent;
import io.relaymesh.operator.dependent.TlsSecretDependent;
import io.relaymesh.operator.tls.CertificateCheck;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reconciles a MediaCluster: validates it, rolls out its objects (the workflow below, invoked only for a valid
 * spec), and reports Ready once the gateway (and embedded NATS, and the connector) are ready. Re-runs at least
 * every few hours so self-signed certificates are renewed before they expire.
 */
@ControllerConfiguration(name = MediaClusterReconciler.NAME,
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 6, timeUnit = TimeUnit.HOURS))
@Workflow(explicitInvocation = true, dependents = {
    @Dependent(name = "cluster-secret", type = ClusterSecretDependent.class,
            reconcilePrecondition = ClusterConditions.GeneratedSecret.class),
    @Dependent(name = "tls-secret", type = TlsSecretDependent.class,
            reconcilePrecondition = ClusterConditions.SelfSignedTls.class),
    @Dependent(name = "settings", type = SettingsConfigMapDependent.class),
    @Dependent(name = "node-service-account", type = NodeServiceAccountDependent.class),
    @Dependent(name = "nats-deployment", type = NatsDeploymentDependent.class,
            reconcilePrecondition = ClusterConditions.EmbeddedNats.class),
    @Dependent(name = "nats-service", type = NatsServiceDependent.class,
            reconcilePrecondition = ClusterConditions.EmbeddedNats.class),
    @Dependent(name = "gateway", type = GatewayStatefulSetDependent.class),
    @Dependent(name = "gateway-service", type = GatewayServiceDependent.class),
    @Dependent(name = "seed-service", type = SeedServiceDependent.class),
    @Dependent(name = "ingress", type = GatewayIngressDependent.class,
            reconcilePrecondition = ClusterConditions.PublicHost.class),
    @Dependent(name = "connector", type = ConnectorStatefulSetDependent.class,
            reconcilePrecondition = ClusterConditions.ConnectorEnabled.class)
})
public class MediaClusterReconciler implements Reconciler<MediaCluster> {

    public static final String NAME = "mediacluster";

    private final Clock clock;
    private final SecureRandom random;
    private final Duration recheckReferences;
    private InformerEventSource<MediaZone, MediaCluster> zones;

    /**
     * @param recheckReferences how soon a resource waiting for an object someone else creates is looked at again
     */
    public MediaClusterReconciler(Clock clock, SecureRandom random, Duration recheckReferences) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.recheckReferences = Objects.requireNonNull(recheckReferences, "recheckReferences");
    }

    @Override
    public List<EventSource<?, MediaCluster>> prepareEventSources(EventSourceContext<MediaCluster> context) {
        // Zone readiness feeds the cluster's per-role counts.
        var config = InformerEventSourceConfiguration.from(MediaZone.class, MediaCluster.class)
                .withName("zones")
                .withSecondaryToPrimaryMapper((MediaZone zone) -> zone.getSpec().getClusterRef() == null
                        ? Set.of()
                        : Set.of(new ResourceID(zone.getSpec().getClusterRef(), zone.getMetadata().getNamespace())))
                .build();
        zones = new InformerEventSource<>(config, context);
        return List.of(zones);
    }

    @Override
    public UpdateControl<MediaCluster> reconcile(MediaCluster cluster, Context<MediaCluster> context) {
        Optional<SpecProblem> problem = ClusterValidation.checkSpec(cluster)
                .or(() -> ClusterValidation.checkReferences(cluster, context.getClient()));
        if (problem.isPresent()) {
            SpecProblem p = problem.get();
            MediaClusterStatus status = baseStatus(cluster);
            Conditions.apply(Conditions.Outcome.invalid(p.reason(), p.message()), cluster.getStatus(), status,
                    generation(cluster), clock.instant());
            UpdateControl<MediaCluster> control = patchIfChanged(cluster, status, context);
            return p.reference() ? control.rescheduleAfter(recheckReferences) : control;
        }

        ClusterInputs inputs = ClusterInputs.of(cluster, clock, random);
        inputs.putInto(context);
        context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow()
                .throwAggregateExceptionIfErrorsPresent();

        MediaClusterStatus status = baseStatus(cluster);
        status.setTlsNotAfter(tlsNotAfter(cluster, context));
        List<RoleCount> roles = new ArrayList<>();
        Optional<StatefulSet> gateway = statefulSet(context, ClusterWiring.gatewayName(cluster.getMetadata().getName()));
        int gatewayReplicas = cluster.getSpec().getGateway().getReplicas();
        roles.add(new RoleCount(NodeRole.GATEWAY.label(), gatewayReplicas, WorkloadReadiness.ready(gateway)));
        List<String> waiting = new ArrayList<>();
        if (!WorkloadReadiness.rolledOut(gateway, gatewayReplicas)) {
            waiting.add("gateway " + WorkloadReadiness.ready(gateway) + "/" + gatewayReplicas);
        }
        if (cluster.getSpec().getConnector().isEnabled()) {
            Optional<StatefulSet> connector = statefulSet(context,
                    ClusterWiring.connectorName(cluster.getMetadata().getName()));
            roles.add(new RoleCount(NodeRole.CONNECTOR.label(), 1, WorkloadReadiness.ready(connector)));
            if (!WorkloadReadiness.rolledOut(connector, 1)) {
                waiting.add("connector 0/1");
            }
        }
        if (cluster.getSpec().getNats().embedded()) {
            String nats = ClusterWiring.natsName(cluster.getMetadata().getName());
            Deployment deployment = context.getSecondaryResourcesAsStream(Deployment.class)
                    .filter(d -> nats.equals(d.getMetadata().getName())).findFirst().orElse(null);
            if (!WorkloadReadiness.rolledOut(deployment)) {
                waiting.add("nats");
            }
        }
        roles.addAll(zoneRoles(cluster));
        status.setRoles(roles);
        Conditions.Outcome outcome = waiting.isEmpty()
                ? Conditions.Outcome.ready("ClusterReady", "gateway" + (cluster.getSpec().getNats().embedded() ? " and NATS" : "") + " are ready")
                : Conditions.Outcome.progressing("WaitingForPods", "waiting for " + String.join(", ", waiting));
        Conditions.apply(outcome, cluster.getStatus(), status, generation(cluster), clock.instant());
        return patchIfChanged(cluster, status, context);
    }

    @Override
    public ErrorStatusUpdateControl<MediaCluster> updateErrorStatus(MediaCluster cluster, Context<MediaCluster> context,
                                                                    Exception e) {
        MediaClusterStatus status = baseStatus(cluster);
        if (cluster.getStatus() != null) {
            status.setRoles(cluster.getStatus().getRoles());
        }
        Conditions.apply(Conditions.Outcome.invalid("ReconcileFailed", String.valueOf(e.getMessage())),
                cluster.getStatus(), status, generation(cluster), clock.instant());
        StatusWrite.replace(cluster, status, context);
        return ErrorStatusUpdateControl.noStatusUpdate();
    }

    private MediaClusterStatus baseStatus(MediaCluster cluster) {
        ClusterWiring wiring = ClusterWiring.of(cluster);
        MediaClusterStatus status = new MediaClusterStatus();
        status.setGatewayUrl(wiring.gatewayUrl());
        status.setSeeds(List.of(wiring.seedAddress()));
        status.setNatsUrl(wiring.natsUrl());
        status.setSecretName(wiring.secret().getName());
        status.setTlsSecretName(wiring.tlsSecretName());
        return status;
    }

    /** Expiry of the certificate in use, read from the TLS Secret the operator or the user provides. */
    private static String tlsNotAfter(MediaCluster cluster, Context<MediaCluster> context) {
        ClusterWiring wiring = ClusterWiring.of(cluster);
        Optional<Secret> tls = cluster.getSpec().getTls().selfSigned()
                ? secret(context, wiring.tlsSecretName())
                : Optional.ofNullable(context.getClient().secrets().inNamespace(wiring.namespace())
                        .withName(wiring.tlsSecretName()).get());
        return tls.map(Secret::getData)
                .map(data -> data.get(TlsSecretDependent.CERT))
                .map(MediaClusterReconciler::decodeBase64)
                .flatMap(CertificateCheck::parse)
                .map(c -> c.getNotAfter().toInstant().toString())
                .orElse(null);
    }

    private static String decodeBase64(String value) {
        try {
            return new String(Base64.getDecoder().decode(value), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** WebRTC, RTMP and SIP counts summed over the cluster's zones, as each zone reported them. */
    private List<RoleCount> zoneRoles(MediaCluster cluster) {
        List<RoleCount> sums = new ArrayList<>();
        for (NodeRole role : ZoneValidation.ZONE_ROLES) {
            int replicas = 0;
            int ready = 0;
            for (MediaZone zone : zonesOf(cluster)) {
                MediaZoneStatus zs = zone.getStatus();
                if (zs == null) {
                    continue;
                }
                for (RoleCount count : zs.getRoles()) {
                    if (role.label().equals(count.getRole())) {
                        replicas += count.getReplicas();
                        ready += count.getReadyReplicas();
                    }
                }
            }
            sums.add(new RoleCount(role.label(), replicas, ready));
        }
        return sums;
    }

    private List<MediaZone> zonesOf(MediaCluster cluster) {
        String name = cluster.getMetadata().getName();
        return zones.list(cluster.getMetadata().getNamespace(), z -> name.equals(z.getSpec().getClusterRef()))
                .toList();
    }

    private static Optional<StatefulSet> statefulSet(Context<MediaCluster> context, String name) {
        return context.getSecondaryResourcesAsStream(StatefulSet.class)
                .filter(s -> name.equals(s.getMetadata().getName())).findFirst();
    }

    private static long generation(MediaCluster cluster) {
        return cluster.getMetadata().getGeneration() == null ? 0 : cluster.getMetadata().getGeneration();
    }

    /** Writes the status when it differs from the last one seen or written (see {@link StatusWrite}). */
    private static UpdateControl<MediaCluster> patchIfChanged(MediaCluster cluster, MediaClusterStatus status,
                                                            Context<MediaCluster> context) {
        if (!status.equals(cluster.getStatus())) {
            StatusWrite.replace(cluster, status, context);
        }
        return UpdateControl.noUpdate();
    }

    static Optional<Secret> secret(Context<MediaCluster> context, String name) {
        return context.getSecondaryResourcesAsStream(Secret.class)
                .filter(s -> name.equals(s.getMetadata().getName())).findFirst();
    }
}
