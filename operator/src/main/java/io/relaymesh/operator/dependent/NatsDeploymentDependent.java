package io.relaymesh.operator.dependent;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.relaymesh.operator.crd.v1alpha1.MediaCluster;
import io.relaymesh.operator.dependent.ClusterWiring.NatsPorts;
import java.util.Map;

/** The embedded NATS 2.10 server the event connector publishes to (on the pod network; only the cluster reaches it). */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class NatsDeploymentDependent extends ClusterDependent<Deployment> {

    public NatsDeploymentDependent() {
        super(Deployment.class);
    }

    @Override
    protected String objectName(MediaCluster cluster) {
        return ClusterWiring.natsName(cluster.getMetadata().getName());
    }

    @Override
    protected String component() {
        return "nats";
    }

    public static Map<String, String> selector(MediaCluster cluster) {
        return Map.of(Labels.INSTANCE, cluster.getMetadata().getName(), Labels.COMPONENT, "nats");
    }

    @Override
    protected Deployment desired(MediaCluster cluster, Context<MediaCluster> context) {
        var meta = metadata(cluster);
        return new DeploymentBuilder()
                .withMetadata(meta)
                .withNewSpec()
                    .withReplicas(1)
                    .withNewSelector().withMatchLabels(selector(cluster)).endSelector()
                    .withNewStrategy().withType("Recreate").endStrategy()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(meta.getLabels()).endMetadata()
                        .withNewSpec()
                            .withAutomountServiceAccountToken(false)
                            .withEnableServiceLinks(false)
                            .addNewContainer()
                                .withName("nats")
                                .withImage(cluster.getSpec().getNats().getImage())
                                .withArgs("--port=" + NatsPorts.CLIENT, "--http_port=" + NatsPorts.MONITOR)
                                .addNewPort().withName("client").withContainerPort(NatsPorts.CLIENT).withProtocol("TCP").endPort()
                                .addNewPort().withName("monitor").withContainerPort(NatsPorts.MONITOR).withProtocol("TCP").endPort()
                                .withNewReadinessProbe()
                                    .withNewHttpGet().withPath("/healthz").withPort(new IntOrString("monitor")).endHttpGet()
                                    .withPeriodSeconds(5)
                                .endReadinessProbe()
                                .withNewLivenessProbe()
                                    .withNewHttpGet().withPath("/healthz").withPort(new IntOrString("monitor")).endHttpGet()
                                    .withInitialDelaySeconds(10).withPeriodSeconds(10)
                                .endLivenessProbe()
                                .withNewSecurityContext()
                                    .withAllowPrivilegeEscalation(false)
                                    .withRunAsNonRoot(true).withRunAsUser(1000L)
                                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                                .endSecurityContext()
                            .endContainer()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }
}
