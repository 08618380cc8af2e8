package io.relaymesh.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.relaymesh.operator.crd.v1alpha1.MediaCluster;
import io.relaymesh.operator.crd.v1alpha1.spec.ConnectorSpec;
import io.relaymesh.operator.crd.v1alpha1.spec.GatewaySpec;
import io.relaymesh.operator.crd.v1alpha1.spec.ImageSpec;
import io.relaymesh.operator.crd.v1alpha1.spec.MediaClusterSpec;
import io.relaymesh.operator.crd.v1alpha1.spec.PortsAndNames;
import io.relaymesh.operator.crd.v1alpha1.spec.SecretKeyRef;
import io.relaymesh.operator.crd.v1alpha1.spec.TlsSpec;
import io.relaymesh.operator.dependent.MediaNodeStatefulSets;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a MediaCluster before anything is created: first the spec on its own (the API server's schema
 * checks the same bounds, but the operator does not rely on them), then the Secrets it refers to.
 */
public final class ClusterValidation {

    /** Shortest cluster secret the media node accepts (HS256 needs 256 bits). */
    public static final int MIN_SECRET_BYTES = 32;
    /** StatefulSet names above this leave no room for the pod-name hash labels Kubernetes adds. */
    static final int MAX_CLUSTER_NAME = 40;

    private static final Pattern ZONE = Pattern.compile(PortsAndNames.ZONE_PATTERN);
    private static final Pattern DNS = Pattern.compile(PortsAndNames.DNS_SUBDOMAIN_PATTERN);
    private static final Set<String> SERVICE_TYPES = Set.of("ClusterIP", "NodePort", "LoadBalancer");
    private static final Set<String> PULL_POLICIES = Set.of("Always", "IfNotPresent", "Never");

    private ClusterValidation() {
    }

    public static Optional<SpecProblem> checkSpec(MediaCluster cluster) {
        MediaClusterSpec spec = cluster.getSpec();
        String name = cluster.getMetadata().getName();
        if (name.length() > MAX_CLUSTER_NAME) {
            return invalid("metadata.name must be at most " + MAX_CLUSTER_NAME + " characters, got " + name.length());
        }
        ImageSpec image = spec.getImage();
        if (blank(image.getRepository()) || blank(image.getTag())) {
            return invalid("image.repository and image.tag must not be empty");
        }
        if (!PULL_POLICIES.contains(image.getPullPolicy())) {
            return invalid("image.pullPolicy must be Always, IfNotPresent or Never, got " + image.getPullPolicy());
        }
        SecretKeyRef secretRef = spec.getSecretRef();
        if (secretRef != null && (blank(secretRef.getName()) || blank(secretRef.getKey()))) {
            return invalid("secretRef needs a name and a key");
        }
        GatewaySpec gateway = spec.getGateway();
        if (gateway.getReplicas() < 1 || gateway.getReplicas() > 100) {
            return invalid("gateway.replicas must be between 1 and 100, got " + gateway.getReplicas());
        }
        if (gateway.getZone() == null || !ZONE.matcher(gateway.getZone()).matches()) {
            return invalid("gateway.zone must be a DNS label of at most 32 characters, got " + gateway.getZone());
        }
        if (!SERVICE_TYPES.contains(gateway.getServiceType())) {
            return invalid("gateway.serviceType must be ClusterIP, NodePort or LoadBalancer, got " + gateway.getServiceType());
        }
        if (!blank(gateway.getHost()) && !DNS.matcher(gateway.getHost()).matches()) {
            return invalid("gateway.host must be a DNS name, got " + gateway.getHost());
        }
        if (gateway.getDrainSeconds() < 0 || gateway.getDrainSeconds() > MediaNodeStatefulSets.MAX_DRAIN_SECONDS) {
            // The node's /drain refuses longer budgets, which would leave the preStop hook without a drain.
            return invalid("gateway.drainSeconds must be between 0 and " + MediaNodeStatefulSets.MAX_DRAIN_SECONDS
                    + " (the longest drain a node accepts), got " + gateway.getDrainSeconds());
        }
        Optional<SpecProblem> ports = clusterPorts(spec).problem();
        if (ports.isPresent()) {
            return ports;
        }
        if (gateway.getServicePort() < 1 || gateway.getServicePort() > 65535) {
            return Optional.of(SpecProblem.spec(SpecProblem.INVALID_PORTS,
                    "gateway.servicePort must be between 1 and 65535, got " + gateway.getServicePort()));
        }
        TlsSpec tls = spec.getTls();
        if (tls.getSecretRef() != null && blank(tls.getSecretRef().getName())) {
            return invalid("tls.secretRef needs a name");
        }
        if (tls.getValidityDays() < 2 || tls.getRenewBeforeDays() < 1 || tls.getRenewBeforeDays() >= tls.getValidityDays()) {
            return invalid("tls.renewBeforeDays (" + tls.getRenewBeforeDays() + ") must be at least 1 and less than "
                    + "tls.validityDays (" + tls.getValidityDays() + ")");
        }
        if (!spec.getNats().embedded() && !validNatsUrl(spec.getNats().getExternalUrl())) {
            return invalid("nats.externalUrl must look like nats://host:4222, got " + spec.getNats().getExternalUrl());
        }
        if (blank(spec.getNats().getImage())) {
            return invalid("nats.image must not be empty");
        }
        ConnectorSpec connector = spec.getConnector();
        if (blank(connector.getSubject()) || connector.getSubject().chars().anyMatch(Character::isWhitespace)) {
            return invalid("connector.subject must be a NATS subject without spaces, got '" + connector.getSubject() + "'");
        }
        for (String url : connector.getWebhookUrls()) {
            if (!validWebhook(url)) {
                return invalid("connector.webhookUrls must be http or https URLs without commas, got " + url);
            }
        }
        return Optional.empty();
    }

    /** The ports a MediaCluster's own pods use on their hosts. Zones add theirs to the same plan. */
    static PortPlan clusterPorts(MediaClusterSpec spec) {
        PortPlan plan = new PortPlan()
                .add("gateway.httpPort", spec.getGateway().getHttpPort(), "TCP")
                .add("gateway.clusterPort", spec.getGateway().getClusterPort(), "UDP");
        if (spec.getConnector().isEnabled()) {
            plan.add("connector.httpPort", spec.getConnector().getHttpPort(), "TCP")
                    .add("connector.clusterPort", spec.getConnector().getClusterPort(), "UDP");
        }
        return plan;
    }

    /** The Secrets the cluster names must exist and hold what the nodes and the Ingress need. */
    public static Optional<SpecProblem> checkReferences(MediaCluster cluster, KubernetesClient client) {
        String ns = cluster.getMetadata().getNamespace();
        SecretKeyRef ref = cluster.getSpec().getSecretRef();
        if (ref != null) {
            Optional<SpecProblem> problem = checkClusterSecret(client, ns, ref);
            if (problem.isPresent()) {
                return problem;
            }
        }
        var tlsRef = cluster.getSpec().getTls().getSecretRef();
        if (tlsRef != null) {
            Secret tls = client.secrets().inNamespace(ns).withName(tlsRef.getName()).get();
            if (tls == null) {
                return Optional.of(SpecProblem.reference(SpecProblem.TLS_SECRET_NOT_FOUND,
                        "TLS Secret " + tlsRef.getName() + " does not exist in namespace " + ns
                                + " (create it with kubectl create secret tls)"));
            }
            if (!"kubernetes.io/tls".equals(tls.getType()) || tls.getData() == null
                    || blank(tls.getData().get("tls.crt")) || blank(tls.getData().get("tls.key"))) {
                return Optional.of(SpecProblem.reference(SpecProblem.TLS_SECRET_INVALID,
                        "Secret " + tlsRef.getName() + " must be of type kubernetes.io/tls with tls.crt and tls.key"));
            }
        }
        return Optional.empty();
    }

    /** The cluster secret (the user's) must exist, hold the key, and be long enough for the nodes. */
    public static Optional<SpecProblem> checkClusterSecret(KubernetesClient client, String ns, SecretKeyRef ref) {
        Secret secret = client.secrets().inNamespace(ns).withName(ref.getName()).get();
        if (secret == null) {
            return Optional.of(SpecProblem.reference(SpecProblem.SECRET_NOT_FOUND,
                    "cluster Secret " + ref.getName() + " does not exist in namespace " + ns));
        }
        String value = secretValue(secret, ref.getKey());
        if (value == null) {
            return Optional.of(SpecProblem.reference(SpecProblem.SECRET_INVALID,
                    "Secret " + ref.getName() + " has no key " + ref.getKey()));
        }
        if (value.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            return Optional.of(SpecProblem.reference(SpecProblem.SECRET_INVALID,
                    "the cluster secret in " + ref.getName() + "/" + ref.getKey() + " must be at least "
                            + MIN_SECRET_BYTES + " bytes"));
        }
        return Optional.empty();
    }

    private static String secretValue(Secret secret, String key) {
        if (secret.getData() != null && secret.getData().get(key) != null) {
            try {
                return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return secret.getStringData() == null ? null : secret.getStringData().get(key);
    }

    private static boolean validNatsUrl(String url) {
        try {
            URI uri = URI.create(url.trim());
            return List.of("nats", "tls", "ws", "wss").contains(uri.getScheme()) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean validWebhook(String url) {
        try {
            URI uri = URI.create(url.trim());
            return !url.contains(",") && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Optional<SpecProblem> invalid(String message) {
        return Optional.of(SpecProblem.spec(SpecProblem.INVALID_SPEC, message));
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
