package io.relaymesh.operator.reconciler;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Optional;

/** Reads how far a workload has rolled out, as its controller reports it in its status. */
final class WorkloadReadiness {

    private WorkloadReadiness() {
    }

    static int ready(Optional<StatefulSet> sts) {
        return sts.map(StatefulSet::getStatus).map(s -> s.getReadyReplicas() == null ? 0 : s.getReadyReplicas()).orElse(0);
    }

    static int current(Optional<StatefulSet> sts) {
        return sts.map(StatefulSet::getStatus).map(s -> s.getReplicas() == null ? 0 : s.getReplicas()).orElse(0);
    }

    /** Whether the StatefulSet's controller has seen its latest spec and all wanted pods are ready. */
    static boolean rolledOut(Optional<StatefulSet> sts, int wanted) {
        if (sts.isEmpty()) {
            return wanted == 0;
        }
        StatefulSet s = sts.get();
        if (s.getStatus() == null) {
            return wanted == 0;
        }
        Long observed = s.getStatus().getObservedGeneration();
        Long generation = s.getMetadata().getGeneration();
        boolean seen = observed == null || generation == null || observed >= generation;
        return seen && ready(sts) >= wanted;
    }

    static boolean rolledOut(Deployment deployment) {
        if (deployment == null || deployment.getStatus() == null) {
            return false;
        }
        Integer ready = deployment.getStatus().getReadyReplicas();
        int wanted = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        return ready != null && ready >= wanted;
    }
}
