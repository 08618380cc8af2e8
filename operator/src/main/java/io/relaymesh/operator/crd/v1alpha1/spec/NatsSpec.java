package io.relaymesh.operator.crd.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** NATS for the event connector: embedded (the operator runs NATS 2.10) unless an external URL is given. */
public class NatsSpec {

    public static final String DEFAULT_IMAGE = "nats:2.10-alpine";

    @JsonPropertyDescription("URL of an external NATS server, e.g. nats://nats.example:4222. Absent: embedded NATS.")
    private String externalUrl;

    @JsonPropertyDescription("Image of the embedded NATS server.")
    @Default(DEFAULT_IMAGE)
    private String image = DEFAULT_IMAGE;

    public String getExternalUrl() {
        return externalUrl;
    }

    public void setExternalUrl(String externalUrl) {
        this.externalUrl = externalUrl;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public boolean embedded() {
        return externalUrl == null || externalUrl.isBlank();
    }
}
