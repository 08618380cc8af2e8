package io.relaymesh.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.relaymesh.operator.crd.v1alpha1.MediaCluster;
import io.relaymesh.operator.crd.v1alpha1.MediaZone;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the reconcilers hand to the dependents of one reconciliation, through the workflow context: the wiring
 * of the cluster and the injected clock and randomness.
 *
 * @param cluster       the MediaCluster (for a zone: the cluster it belongs to)
 * @param wiring        names and addresses derived from it
 * @param settingsHash  hash of the settings ConfigMap data
 * @param clock         the operator's clock (certificate validity)
 * @param random        randomness for secrets and keys
 */
public record ClusterInputs(MediaCluster cluster, ClusterWiring wiring, String settingsHash, Clock clock,
                            SecureRandom random) {

    public static ClusterInputs of(MediaCluster cluster, Clock clock, SecureRandom random) {
        ClusterWiring wiring = ClusterWiring.of(cluster);
        Map<String, String> settings = new TreeMap<>(wiring.settings(cluster.getSpec()));
        return new ClusterInputs(cluster, wiring, SpecHash.of(settings), clock, random);
    }

    public void putInto(Context<?> context) {
        context.managedWorkflowAndDependentResourceContext().put(ClusterInputs.class, this);
    }

    public static ClusterInputs from(Context<MediaCluster> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(ClusterInputs.class, ClusterInputs.class);
    }

    public static ClusterInputs fromZone(Context<MediaZone> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(ClusterInputs.class, ClusterInputs.class);
    }
}
