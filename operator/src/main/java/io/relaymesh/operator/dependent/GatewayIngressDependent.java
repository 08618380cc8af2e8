package io.relaymesh.operator.dependent;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.relaymesh.operator.crd.v1alpha1.MediaCluster;
import java.util.ArrayList;
import java.util.List;

/** The Ingress on the gateway host: {@code /gateway} to the gateway, {@code /auth} to its token API, with TLS. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class GatewayIngressDependent extends ClusterDependent<Ingress> {

    public static final String GATEWAY_PATH = "/gateway";
    public static final String AUTH_PATH = "/auth";

    public GatewayIngressDependent() {
        super(Ingress.class);
    }

    @Override
    protected String objectName(MediaCluster cluster) {
        return cluster.getMetadata().getName();
    }

    @Override
    protected String component() {
        return "ingress";
    }

    @Override
    protected Ingress desired(MediaCluster cluster, Context<MediaCluster> context) {
        ClusterInputs inputs = ClusterInputs.from(context);
        var gateway = cluster.getSpec().getGateway();
        List<HTTPIngressPath> paths = new ArrayList<>();
        paths.add(path(GATEWAY_PATH, cluster));
        if (cluster.getSpec().getTokenApi().isEnabled()) {
            paths.add(path(AUTH_PATH, cluster));
        }
        String ingressClass = gateway.getIngressClassName() == null || gateway.getIngressClassName().isBlank()
                ? null : gateway.getIngressClassName();
        return new IngressBuilder()
                .withMetadata(metadata(cluster))
                .withNewSpec()
                    .withIngressClassName(ingressClass)
                    .addNewTl().withHosts(gateway.getHost()).withSecretName(inputs.wiring().tlsSecretName()).endTl()
                    .addNewRule()
                        .withHost(gateway.getHost())
                        .withNewHttp().withPaths(paths).endHttp()
                    .endRule()
                .endSpec()
                .build();
    }

    private static HTTPIngressPath path(String path, MediaCluster cluster) {
        return new HTTPIngressPathBuilder()
                .withPath(path)
                .withPathType("Prefix")
                .withNewBackend()
                    .withNewService()
                        .withName(ClusterWiring.gatewayName(cluster.getMetadata().getName()))
                        .withNewPort().withName("http").endPort()
                    .endService()
                .endBackend()
                .build();
    }
}
