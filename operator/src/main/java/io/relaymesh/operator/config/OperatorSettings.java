package io.relaymesh.operator.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How the operator process runs, read once from its environment (the Helm chart sets these).
 *
 * @param namespaces       namespaces to watch; empty means all
 * @param leaderElection   run only while holding the lease (several replicas: one active, others standby)
 * @param leaseName        name of the Lease
 * @param leaseNamespace   namespace of the Lease (the operator's own)
 * @param identity         this replica's name in the Lease
 * @param probePort        port of the health and metrics endpoints
 * @param serverSideApply  write dependents and status with server-side apply (true against a real API server)
 * @param recheckReferences how soon a resource that waits for an object someone else creates (a Secret, its
 *                          cluster) is looked at again
 */
public record OperatorSettings(
        Set<String> namespaces,
        boolean leaderElection,
        String leaseName,
        String leaseNamespace,
        String identity,
        int probePort,
        boolean serverSideApply,
        Duration recheckReferences) {

    public static final String DEFAULT_LEASE = "relaymesh-operator-lease";
    public static final int DEFAULT_PROBE_PORT = 8080;
    public static final Duration DEFAULT_RECHECK = Duration.ofSeconds(15);

    public OperatorSettings {
        namespaces = Set.copyOf(namespaces);
        if (recheckReferences == null || recheckReferences.isNegative() || recheckReferences.isZero()) {
            throw new IllegalArgumentException("recheckReferences must be positive");
        }
        if (probePort < 0 || probePort > 65535) {
            throw new IllegalArgumentException("RELAYMESH_OPERATOR_PROBE_PORT must be between 0 and 65535, got " + probePort);
        }
        if (leaderElection && (leaseNamespace == null || leaseNamespace.isBlank())) {
            throw new IllegalArgumentException("leader election needs the operator's namespace: set POD_NAMESPACE");
        }
    }

    /**
     * Reads {@code WATCH_NAMESPACES} (comma-separated, empty: all), {@code RELAYMESH_OPERATOR_LEADER_ELECTION}
     * (default true), {@code POD_NAMESPACE}, {@code POD_NAME}, {@code RELAYMESH_OPERATOR_PROBE_PORT} (default 8080)
     * and {@code RELAYMESH_OPERATOR_SSA} (default true).
     */
    public static OperatorSettings fromEnvironment(Map<String, String> env) {
        Set<String> namespaces = Arrays.stream(env.getOrDefault("WATCH_NAMESPACES", "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        boolean leader = Boolean.parseBoolean(env.getOrDefault("RELAYMESH_OPERATOR_LEADER_ELECTION", "true"));
        String port = env.getOrDefault("RELAYMESH_OPERATOR_PROBE_PORT", String.valueOf(DEFAULT_PROBE_PORT));
        int probePort;
        try {
            probePort = Integer.parseInt(port.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("RELAYMESH_OPERATOR_PROBE_PORT must be a number, got " + port);
        }
        return new OperatorSettings(namespaces, leader, DEFAULT_LEASE, env.get("POD_NAMESPACE"),
                env.getOrDefault("POD_NAME", "relaymesh-operator"), probePort,
                Boolean.parseBoolean(env.getOrDefault("RELAYMESH_OPERATOR_SSA", "true")), DEFAULT_RECHECK);
    }
}
