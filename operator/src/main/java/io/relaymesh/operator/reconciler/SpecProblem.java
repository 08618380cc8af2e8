package io.relaymesh.operator.reconciler;

/**
 * Why a resource cannot be rolled out: a reason (CamelCase, for the condition) and a message for the user.
 *
 * @param reason    condition reason
 * @param message   what is wrong and how to fix it
 * @param reference whether it names a missing or wrong object elsewhere (worth checking again later) rather
 *                  than a mistake in the spec itself (fixed by editing the spec, which triggers a reconcile)
 */
public record SpecProblem(String reason, String message, boolean reference) {

    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String INVALID_PORTS = "InvalidPorts";
    public static final String CLUSTER_NOT_FOUND = "ClusterNotFound";
    public static final String SECRET_NOT_FOUND = "SecretNotFound";
    public static final String SECRET_INVALID = "SecretInvalid";
    public static final String TLS_SECRET_NOT_FOUND = "TlsSecretNotFound";
    public static final String TLS_SECRET_INVALID = "TlsSecretInvalid";
    public static final String DUPLICATE_ZONE_ID = "DuplicateZoneId";

    public static SpecProblem spec(String reason, String message) {
        return new SpecProblem(reason, message, false);
    }

    public static SpecProblem reference(String reason, String message) {
        return new SpecProblem(reason, message, true);
    }
}
