package io.relaymesh.operator.crd.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * TLS of the gateway's public endpoint. Without {@code secretRef} the operator issues a self-signed certificate
 * for the gateway host and renews it before it expires; with it, the user's {@code kubernetes.io/tls} Secret is used.
 */
public class TlsSpec {

    @JsonPropertyDescription("The user's kubernetes.io/tls Secret (tls.crt, tls.key). Absent: a self-signed certificate.")
    private LocalObjectRef secretRef;

    @JsonPropertyDescription("Validity of self-signed certificates, in days.")
    @Default("90")
    @Min(2)
    @Max(3650)
    private int validityDays = 90;

    @JsonPropertyDescription("A self-signed certificate is reissued this many days before it expires.")
    @Default("30")
    @Min(1)
    @Max(3649)
    private int renewBeforeDays = 30;

    public LocalObjectRef getSecretRef() {
        return secretRef;
    }

    public void setSecretRef(LocalObjectRef secretRef) {
        this.secretRef = secretRef;
    }

    public int getValidityDays() {
        return validityDays;
    }

    public void setValidityDays(int validityDays) {
        this.validityDays = validityDays;
    }

    public int getRenewBeforeDays() {
        return renewBeforeDays;
    }

    public void setRenewBeforeDays(int renewBeforeDays) {
        this.renewBeforeDays = renewBeforeDays;
    }

    public boolean selfSigned() {
        return secretRef == null;
    }
}
