package io.relaymesh.operator.config;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.relaymesh.operator.reconciler.MediaClusterReconciler;
import io.relaymesh.operator.reconciler.MediaZoneReconciler;
import java.security.SecureRandom;
import java.time.Clock;

/** Assembles the operator: JOSDK configured from {@link OperatorSettings}, with both reconcilers registered. */
public final class RelaymeshOperator {

    private RelaymeshOperator() {
    }

    public static Operator create(KubernetesClient client, OperatorSettings settings, MeterRegistry registry,
                                  Clock clock, SecureRandom random) {
        Operator operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
                    .withUseSSAToPatchPrimaryResource(settings.serverSideApply())
                    .withSSABasedCreateUpdateMatchForDependentResources(settings.serverSideApply())
                    .withCloseClientOnStop(false)
                    // Resource versions are compared as numbers, so the status the reconciler just wrote (kept in
                    // JOSDK's primary cache) is not replaced by an older informer copy before the write's own
                    // event arrives: the next reconciliation compares with the newest status, not a stale one.
                    .withParseResourceVersions(true);
            if (settings.leaderElection()) {
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(settings.leaseName(),
                        settings.leaseNamespace(), settings.identity()));
            }
        });
        operator.register(new MediaClusterReconciler(clock, random, settings.recheckReferences()), c -> {
            if (!settings.namespaces().isEmpty()) {
                c.settingNamespaces(settings.namespaces());
            }
        });
        operator.register(new MediaZoneReconciler(clock, random, settings.recheckReferences()), c -> {
            if (!settings.namespaces().isEmpty()) {
                c.settingNamespaces(settings.namespaces());
            }
        });
        return operator;
    }
}
