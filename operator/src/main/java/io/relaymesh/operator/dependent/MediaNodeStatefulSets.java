package io.relaymesh.operator.dependent;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodAntiAffinity;
import io.fabric8.kubernetes.api.model.PodAntiAffinityBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.relaymesh.operator.dependent.ClusterWiring.SettingsKeys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the StatefulSet of one media-node role. Why a StatefulSet: each pod needs a node index that is
 * stable across restarts and unique in its zone, and the pod's ordinal (label {@code apps.kubernetes.io/pod-index},
 * offset per role with {@code spec.ordinals.start}) is exactly that; the StatefulSet also replaces a pod only
 * after the old one is gone, so two pods never contend for the same host ports during a rollout.
 *
 * <p>Pods run on the host network with a required anti-affinity per host and role (their host ports would
 * collide), advertise the host's IP (downward API), read the cluster secret from the Secret (never an argument),
 * and drain in a preStop hook within a termination grace period sized for it.
 */
public final class MediaNodeStatefulSets {

    public static final String CONTAINER = "media-node";
    /** The image's program: {@code java -jar /app/media-node.jar <role> <flags>}. */
    public static final List<String> COMMAND = List.of("java", "-jar", "/app/media-node.jar");
    public static final String DATA_DIR = "/var/lib/relaymesh";
    public static final String HEALTH_PATH = "/health";
    public static final String DRAIN_PATH = "/drain";
    /**
     * Longest drain the node's {@code GET /drain} accepts ({@code ?seconds=} above it is refused with 400, and a
     * refused preStop hook means no drain at all), so a role's drain budget may not exceed it.
     */
    public static final int MAX_DRAIN_SECONDS = 3600;
    public static final String SPEC_HASH_ANNOTATION = "relaymesh.io/spec-hash";
    public static final String SETTINGS_HASH_ANNOTATION = "relaymesh.io/settings-hash";
    /** Seconds between the end of the drain budget and SIGKILL, for the JVM to stop. */
    static final int SHUTDOWN_MARGIN_SECONDS = 30;

    private MediaNodeStatefulSets() {
    }

    public static StatefulSet build(NodeWorkload w) {
        ClusterWiring wiring = w.wiring();
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put(Labels.INSTANCE, wiring.cluster());
        selector.put(Labels.WORKLOAD, w.name());

        Map<String, String> podLabels = Labels.forCluster(wiring.cluster(), w.role().label());
        podLabels.put(Labels.ROLE, w.role().label());
        podLabels.put(Labels.ZONE, w.zone());
        podLabels.put(Labels.WORKLOAD, w.name());
        podLabels.putAll(w.extraLabels());

        Map<String, String> podAnnotations = new LinkedHashMap<>();
        podAnnotations.put(SETTINGS_HASH_ANNOTATION, w.settingsHash());

        List<LocalObjectReference> pullSecrets = w.image().getPullSecrets().stream()
                .map(LocalObjectReference::new).toList();

        StatefulSet sts = new StatefulSetBuilder()
                .withNewMetadata()
                    .withName(w.name())
                    .withNamespace(wiring.namespace())
                    .withLabels(podLabels)
                .endMetadata()
                .withNewSpec()
                    .withReplicas(w.replicas())
                    .withServiceName(wiring.seedServiceName())
                    .withPodManagementPolicy("Parallel")
                    .withNewOrdinals(w.role().firstIndex())
                    .withNewSelector().withMatchLabels(selector).endSelector()
                    .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(podLabels).withAnnotations(podAnnotations).endMetadata()
                        .withNewSpec()
                            .withHostNetwork(true)
                            .withDnsPolicy("ClusterFirstWithHostNet")
                            .withEnableServiceLinks(false)
                            .withServiceAccountName(wiring.serviceAccount())
                            .withAutomountServiceAccountToken(false)
                            .withTerminationGracePeriodSeconds((long) w.drainSeconds() + SHUTDOWN_MARGIN_SECONDS)
                            .withImagePullSecrets(pullSecrets)
                            .withNodeSelector(w.nodeSelector().isEmpty() ? null : new LinkedHashMap<>(w.nodeSelector()))
                            .withTolerations(w.tolerations().isEmpty() ? null : new ArrayList<>(w.tolerations()))
                            .withAffinity(affinity(w))
                            .withContainers(container(w))
                            .addNewVolume().withName("data").withNewEmptyDir().endEmptyDir().endVolume()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
        // A hash of the whole desired spec: any change, including a removed field, changes the pod template and
        // is seen as a difference by both the server-side-apply and the client-side matcher.
        sts.getSpec().getTemplate().getMetadata().getAnnotations()
                .put(SPEC_HASH_ANNOTATION, SpecHash.of(sts.getSpec()));
        return sts;
    }

    /**
     * The preStop hook's path: the node waits for its sessions for the pod's whole drain budget, not its own
     * default (25 s). The kubelet calls it from the pod's host, the only origin {@code /drain} accepts (pods run on
     * the host network). The grace period is the budget plus {@link #SHUTDOWN_MARGIN_SECONDS}, so the hook returns
     * before SIGTERM is due and the JVM still has the margin to stop.
     */
    public static String drainPath(int drainSeconds) {
        if (drainSeconds < 0 || drainSeconds > MAX_DRAIN_SECONDS) {
            throw new IllegalArgumentException("drainSeconds must be between 0 and " + MAX_DRAIN_SECONDS
                    + ", got " + drainSeconds);
        }
        return DRAIN_PATH + "?seconds=" + drainSeconds;
    }

    /** The container's arguments: the subcommand, then the flags that are the same for every pod of the role. */
    public static List<String> args(NodeWorkload w) {
        List<String> args = new ArrayList<>();
        args.add(w.role().command());
        args.add("--zone=" + w.zone());
        args.add("--http-port=" + w.httpPort());
        args.add("--cluster-port=" + w.clusterPort());
        switch (w.role()) {
            case WEBRTC -> args.add("--webrtc-port=" + w.mediaPort());
            case RTMP -> args.add("--rtmp-port=" + w.mediaPort());
            case SIP -> args.add("--sip-port=" + w.mediaPort());
            case GATEWAY, CONNECTOR -> { }
        }
        args.add("--data-dir=" + DATA_DIR);
        return args;
    }

    /** Per-pod and secret values come from the environment: each {@code RELAYMESH_X} is the node's {@code --x}. */
    static List<EnvVar> env(NodeWorkload w) {
        ClusterWiring wiring = w.wiring();
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder().withName("RELAYMESH_SECRET").withNewValueFrom()
                .withNewSecretKeyRef(wiring.secret().getKey(), wiring.secret().getName(), false)
                .endValueFrom().build());
        env.add(new EnvVarBuilder().withName("RELAYMESH_ADVERTISE_IP").withNewValueFrom()
                .withNewFieldRef("v1", "status.hostIP").endValueFrom().build());
        env.add(new EnvVarBuilder().withName("RELAYMESH_NODE_INDEX").withNewValueFrom()
                .withNewFieldRef("v1", "metadata.labels['" + Labels.POD_INDEX + "']").endValueFrom().build());
        env.add(fromSettings(wiring, "RELAYMESH_SEEDS", SettingsKeys.SEEDS));
        if (w.role() == NodeRole.CONNECTOR) {
            env.add(fromSettings(wiring, "RELAYMESH_NATS_URL", SettingsKeys.NATS_URL));
            env.add(fromSettings(wiring, "RELAYMESH_EVENTS_SUBJECT", SettingsKeys.EVENTS_SUBJECT));
            env.add(fromSettings(wiring, "RELAYMESH_WEBHOOK_URL", SettingsKeys.WEBHOOK_URL));
        }
        return env;
    }

    private static EnvVar fromSettings(ClusterWiring wiring, String name, String key) {
        return new EnvVarBuilder().withName(name).withNewValueFrom()
                .withNewConfigMapKeyRef(key, wiring.settingsName(), false).endValueFrom().build();
    }

    private static Container container(NodeWorkload w) {
        Probe readiness = new ProbeBuilder()
                .withNewHttpGet().withPath(HEALTH_PATH).withPort(new IntOrString("http")).endHttpGet()
                .withPeriodSeconds(5).withFailureThreshold(3).withTimeoutSeconds(2).build();
        Probe liveness = new ProbeBuilder()
                .withNewHttpGet().withPath(HEALTH_PATH).withPort(new IntOrString("http")).endHttpGet()
                .withInitialDelaySeconds(20).withPeriodSeconds(10).withFailureThreshold(6).withTimeoutSeconds(5).build();
        return new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(w.image().reference())
                .withImagePullPolicy(w.image().getPullPolicy())
                .withCommand(COMMAND)
                .withArgs(args(w))
                .withEnv(env(w))
                .withPorts(ports(w))
                .withReadinessProbe(readiness)
                .withLivenessProbe(liveness)
                .withNewLifecycle()
                    .withNewPreStop()
                        .withNewHttpGet().withPath(drainPath(w.drainSeconds())).withPort(new IntOrString("http"))
                        .endHttpGet()
                    .endPreStop()
                .endLifecycle()
                .withResources(w.resources())
                .withNewSecurityContext()
                    .withAllowPrivilegeEscalation(false)
                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                .addNewVolumeMount().withName("data").withMountPath(DATA_DIR).endVolumeMount()
                .build();
    }

    /** Host ports are declared so the scheduler itself refuses to put two users of a port on one host. */
    static List<ContainerPort> ports(NodeWorkload w) {
        List<ContainerPort> ports = new ArrayList<>();
        ports.add(port("http", w.httpPort(), "TCP"));
        ports.add(port("cluster", w.clusterPort(), "UDP"));
        switch (w.role()) {
            case WEBRTC -> ports.add(port("webrtc", w.mediaPort(), "UDP"));
            case RTMP -> ports.add(port("rtmp", w.mediaPort(), "TCP"));
            case SIP -> {
                ports.add(port("sip-udp", w.mediaPort(), "UDP"));
                ports.add(port("sip-tcp", w.mediaPort(), "TCP"));
            }
            case GATEWAY, CONNECTOR -> { }
        }
        return ports;
    }

    private static ContainerPort port(String name, int port, String protocol) {
        return new ContainerPortBuilder().withName(name).withContainerPort(port).withHostPort(port)
                .withProtocol(protocol).build();
    }

    /** The user's affinity with one more required term: no two pods of this role on one host. */
    private static Affinity affinity(NodeWorkload w) {
        PodAffinityTerm perHost = new PodAffinityTermBuilder()
                .withTopologyKey("kubernetes.io/hostname")
                .withNewLabelSelector()
                    .addToMatchLabels(Labels.NAME, Labels.APP)
                    .addToMatchLabels(Labels.ROLE, w.role().label())
                .endLabelSelector()
                .build();
        Affinity base = w.affinity() == null ? new Affinity() : new AffinityBuilder(w.affinity()).build();
        PodAntiAffinity anti = base.getPodAntiAffinity() == null
                ? new PodAntiAffinity() : new PodAntiAffinityBuilder(base.getPodAntiAffinity()).build();
        List<PodAffinityTerm> required = new ArrayList<>(
                anti.getRequiredDuringSchedulingIgnoredDuringExecution() == null
                        ? List.of() : anti.getRequiredDuringSchedulingIgnoredDuringExecution());
        required.add(perHost);
        anti.setRequiredDuringSchedulingIgnoredDuringExecution(required);
        base.setPodAntiAffinity(anti);
        return base;
    }
}
