package io.relaymesh.operator.reconciler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The host ports of pods that may share a host. Nodes run on the host network, so two roles that use the same
 * port and protocol would fail on the same machine; this finds such clashes and out-of-range ports.
 */
final class PortPlan {

    private final Map<String, String> owners = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    /** Adds a port used by {@code owner} (e.g. "webrtc.httpPort"). */
    PortPlan add(String owner, int port, String protocol) {
        if (port < 1 || port > 65535) {
            problems.add(owner + " must be between 1 and 65535, got " + port);
            return this;
        }
        String key = port + "/" + protocol;
        String previous = owners.putIfAbsent(key, owner);
        if (previous != null) {
            problems.add(owner + " and " + previous + " both use " + key
                    + " (host network: pods of different roles may share a host)");
        }
        return this;
    }

    Optional<SpecProblem> problem() {
        return problems.isEmpty() ? Optional.empty()
                : Optional.of(SpecProblem.spec(SpecProblem.INVALID_PORTS, String.join("; ", problems)));
    }
}
