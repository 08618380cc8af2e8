package io.relaymesh.operator.dependent;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.relaymesh.operator.crd.v1alpha1.spec.ImageSpec;
import java.util.List;
import java.util.Map;

/**
 * Everything that shapes one StatefulSet of media-node pods, whichever resource (MediaCluster for the gateway
 * and connector, MediaZone for webrtc, rtmp and sip) asks for it.
 *
 * @param name          StatefulSet name; pods are {@code name-<ordinal>}
 * @param role          the node role
 * @param zone          the nodes' {@code --zone}
 * @param replicas      number of pods
 * @param httpPort      the node's HTTP port (health, drain, API)
 * @param clusterPort   UDP port of the cluster overlay
 * @param mediaPort     the role's own port, or 0 when the role has none (gateway, connector)
 * @param wiring        names and addresses of the cluster
 * @param image         the media-node image
 * @param drainSeconds  how long a pod may take to drain
 * @param resources     container resources, or null
 * @param nodeSelector  node labels the pods need
 * @param tolerations   pod tolerations
 * @param affinity      user affinity merged with the operator's anti-affinity, or null
 * @param extraLabels   labels added to the pods (zone resource name)
 * @param settingsHash  hash of the settings ConfigMap; a change rolls the pods
 */
public record NodeWorkload(
        String name,
        NodeRole role,
        String zone,
        int replicas,
        int httpPort,
        int clusterPort,
        int mediaPort,
        ClusterWiring wiring,
        ImageSpec image,
        int drainSeconds,
        ResourceRequirements resources,
        Map<String, String> nodeSelector,
        List<Toleration> tolerations,
        Affinity affinity,
        Map<String, String> extraLabels,
        String settingsHash) {
}
