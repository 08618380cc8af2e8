package io.relaymesh.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.relaymesh.operator.crd.v1alpha1.MediaCluster;
import io.relaymesh.operator.crd.v1alpha1.spec.TlsSpec;
import io.relaymesh.operator.tls.CertificateCheck;
import io.relaymesh.operator.tls.SelfSignedIssuer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The self-signed {@code kubernetes.io/tls} Secret of the gateway. The certificate is kept while it names the
 * right hosts and is not within {@code renewBeforeDays} of expiry; otherwise a new one is issued.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class TlsSecretDependent extends ClusterDependent<Secret> {

    public static final String CERT = "tls.crt";
    public static final String KEY = "tls.key";

    public TlsSecretDependent() {
        super(Secret.class);
    }

    @Override
    protected String objectName(MediaCluster cluster) {
        return cluster.getMetadata().getName() + "-tls";
    }

    @Override
    protected String component() {
        return "tls";
    }

    /** The names the gateway is reached by: its public host, then its Service names. */
    public static List<String> dnsNames(MediaCluster cluster) {
        List<String> names = new ArrayList<>();
        String host = cluster.getSpec().getGateway().getHost();
        if (host != null && !host.isBlank()) {
            names.add(host);
        }
        String service = ClusterWiring.gatewayName(cluster.getMetadata().getName()) + "."
                + cluster.getMetadata().getNamespace() + ".svc";
        names.add(service);
        names.add(service + ".cluster.local");
        return names;
    }

    @Override
    protected Secret desired(MediaCluster cluster, Context<MediaCluster> context) {
        ClusterInputs inputs = ClusterInputs.from(context);
        TlsSpec tls = cluster.getSpec().getTls();
        List<String> names = dnsNames(cluster);
        Duration renewBefore = Duration.ofDays(tls.getRenewBeforeDays());
        Optional<Secret> current = getSecondaryResource(cluster, context)
                .filter(s -> s.getData() != null && s.getData().containsKey(CERT) && s.getData().containsKey(KEY))
                .filter(s -> CertificateCheck.stillServes(decode(s.getData().get(CERT)), names, inputs.clock(), renewBefore));
        SecretBuilder secret = new SecretBuilder().withMetadata(metadata(cluster)).withType("kubernetes.io/tls");
        if (current.isPresent()) {
            return secret.addToData(CERT, current.get().getData().get(CERT))
                    .addToData(KEY, current.get().getData().get(KEY)).build();
        }
        SelfSignedIssuer.PemKeyPair issued = new SelfSignedIssuer(inputs.clock(), inputs.random())
                .issue(names, Duration.ofDays(tls.getValidityDays()));
        return secret.addToData(CERT, encode(issued.certificatePem()))
                .addToData(KEY, encode(issued.privateKeyPem())).build();
    }

    static String decode(String base64) {
        try {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }
}
