package io.relaymesh.operator.crd.v1alpha1.spec;

/** Patterns shared by the schema annotations and the operator's own validation. */
public final class PortsAndNames {

    /** A zone id: the media node's {@code --zone}, a DNS label of at most 32 characters. */
    public static final String ZONE_PATTERN = "^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$";

    /** A DNS-1123 subdomain, as Kubernetes object names and host names are. */
    public static final String DNS_SUBDOMAIN_PATTERN =
            "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    private PortsAndNames() {
    }
}
