package io.relaymesh.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.relaymesh.operator.config.OperatorSettings;
import io.relaymesh.operator.config.ProbeServer;
import io.relaymesh.operator.config.RelaymeshOperator;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relaymesh Kubernetes operator: reconciles MediaCluster and MediaZone resources. Configured from its
 * environment ({@link OperatorSettings#fromEnvironment}); the Kubernetes connection comes from the in-cluster
 * service account or the kubeconfig.
 *
 * <p>Exit codes: 0 stopped, 2 invalid configuration, 1 failure.
 */
public final class OperatorMain {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

    private OperatorMain() {
    }

    public static void main(String[] args) throws Exception {
        OperatorSettings settings;
        try {
            settings = OperatorSettings.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("relaymesh operator: " + e.getMessage());
            System.exit(2);
            return;
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        KubernetesClient client = new KubernetesClientBuilder().build();
        Operator operator = RelaymeshOperator.create(client, settings, registry, Clock.systemUTC(), new SecureRandom());
        ProbeServer probes = ProbeServer.start(settings.probePort(), operator::getRuntimeInfo, registry);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping");
            operator.stop();
            probes.close();
            client.close();
            stopped.countDown();
        }, "shutdown"));
        operator.start();
        LOG.info("relaymesh operator started (namespaces: {}, leader election: {}, probes on :{})",
                settings.namespaces().isEmpty() ? "all" : settings.namespaces(), settings.leaderElection(), probes.port());
        stopped.await();
    }
}
