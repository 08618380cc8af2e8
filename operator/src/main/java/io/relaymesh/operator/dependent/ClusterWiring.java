package io.relaymesh.operator.dependent;

import io.relaymesh.operator.crd.v1alpha1.MediaCluster;
import io.relaymesh.operator.crd.v1alpha1.spec.MediaClusterSpec;
import io.relaymesh.operator.crd.v1alpha1.spec.SecretKeyRef;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the objects of one cluster refer to each other: names of the Secrets, Services and ConfigMap, the seed
 * address and the URLs. Zones and the cluster's own dependents use the same values, computed in one place.
 *
 * @param cluster          the MediaCluster's name
 * @param namespace        its namespace
 * @param secret           where the cluster secret is (generated or the user's)
 * @param tlsSecretName    the Secret holding the gateway's certificate
 * @param settingsName     the ConfigMap of shared node settings
 * @param serviceAccount   the ServiceAccount every node pod runs as
 * @param seedServiceName  the headless Service listing the gateway nodes, and the StatefulSets' governing Service
 * @param seedAddress      {@code host:port} every node joins the cluster through
 * @param natsUrl          the NATS server of the event connector
 * @param gatewayUrl       where clients reach the gateway
 */
public record ClusterWiring(
        String cluster,
        String namespace,
        SecretKeyRef secret,
        String tlsSecretName,
        String settingsName,
        String serviceAccount,
        String seedServiceName,
        String seedAddress,
        String natsUrl,
        String gatewayUrl) {

    public static final String GENERATED_SECRET_KEY = "secret";

    public static ClusterWiring of(MediaCluster mc) {
        String name = mc.getMetadata().getName();
        String ns = mc.getMetadata().getNamespace();
        MediaClusterSpec spec = mc.getSpec();
        SecretKeyRef secret = spec.getSecretRef() != null
                ? new SecretKeyRef(spec.getSecretRef().getName(),
                        spec.getSecretRef().getKey() == null ? GENERATED_SECRET_KEY : spec.getSecretRef().getKey())
                : new SecretKeyRef(clusterSecretName(name), GENERATED_SECRET_KEY);
        String tls = spec.getTls().selfSigned() ? name + "-tls" : spec.getTls().getSecretRef().getName();
        String seeds = name + "-seeds";
        String seedAddress = seeds + "." + ns + ".svc:" + spec.getGateway().getClusterPort();
        String nats = spec.getNats().embedded()
                ? "nats://" + natsName(name) + "." + ns + ".svc:" + NatsPorts.CLIENT
                : spec.getNats().getExternalUrl().trim();
        String host = spec.getGateway().getHost();
        String gatewayUrl = host != null && !host.isBlank()
                ? "https://" + host + "/gateway"
                : "http://" + gatewayName(name) + "." + ns + ".svc" + portSuffix(spec.getGateway().getServicePort());
        return new ClusterWiring(name, ns, secret, tls, name + "-settings", name + "-node", seeds, seedAddress, nats,
                gatewayUrl);
    }

    public static String clusterSecretName(String cluster) {
        return cluster + "-secret";
    }

    public static String natsName(String cluster) {
        return cluster + "-nats";
    }

    public static String gatewayName(String cluster) {
        return cluster + "-gateway";
    }

    public static String connectorName(String cluster) {
        return cluster + "-connector";
    }

    private static String portSuffix(int port) {
        return port == 80 ? "" : ":" + port;
    }

    /** Keys of the settings ConfigMap; each is read by pods into the matching {@code RELAYMESH_*} variable. */
    public static final class SettingsKeys {
        public static final String SEEDS = "seeds";
        public static final String NATS_URL = "nats-url";
        public static final String EVENTS_SUBJECT = "events-subject";
        public static final String WEBHOOK_URL = "webhook-url";
        public static final String GATEWAY_URL = "gateway-url";

        private SettingsKeys() {
        }
    }

    /** Contents of the settings ConfigMap. */
    public Map<String, String> settings(MediaClusterSpec spec) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(SettingsKeys.SEEDS, seedAddress);
        data.put(SettingsKeys.NATS_URL, natsUrl);
        data.put(SettingsKeys.EVENTS_SUBJECT, spec.getConnector().getSubject());
        data.put(SettingsKeys.WEBHOOK_URL, String.join(",", spec.getConnector().getWebhookUrls()));
        data.put(SettingsKeys.GATEWAY_URL, gatewayUrl);
        return data;
    }

    /** Ports of the embedded NATS server. */
    public static final class NatsPorts {
        public static final int CLIENT = 4222;
        public static final int MONITOR = 8222;

        private NatsPorts() {
        }
    }
}
