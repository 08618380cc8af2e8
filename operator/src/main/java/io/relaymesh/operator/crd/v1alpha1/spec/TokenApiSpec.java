package io.relaymesh.operator.crd.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** The token API served by the gateway, published at {@code /auth} on the gateway host. */
public class TokenApiSpec {

    @JsonPropertyDescription("Publish the token API at /auth on the Ingress.")
    @Default("true")
    private boolean enabled = true;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }
}
