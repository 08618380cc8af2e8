package io.relaymesh.operator.crd.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import java.util.ArrayList;
import java.util.List;

/** The media-node container image. No image is published yet: build one and push it where the cluster can pull it. */
public class ImageSpec {

    public static final String DEFAULT_REPOSITORY = "ghcr.io/relaymesh/media-node";
    public static final String DEFAULT_TAG = "0.1.0";

    @JsonPropertyDescription("Image repository of the media node (runs java -jar /app/media-node.jar).")
    @Default(DEFAULT_REPOSITORY)
    private String repository = DEFAULT_REPOSITORY;

    @JsonPropertyDescription("Image tag.")
    @Default(DEFAULT_TAG)
    private String tag = DEFAULT_TAG;

    @JsonPropertyDescription("Always, IfNotPresent or Never.")
    @Default("IfNotPresent")
    @io.fabric8.generator.annotation.Pattern("^(Always|IfNotPresent|Never)$")
    private String pullPolicy = "IfNotPresent";

    @JsonPropertyDescription("Names of Secrets in the namespace used to pull the image.")
    private List<String> pullSecrets = new ArrayList<>();

    public String getRepository() {
        return repository;
    }

    public void setRepository(String repository) {
        this.repository = repository;
    }

    public String getTag() {
        return tag;
    }

    public void setTag(String tag) {
        this.tag = tag;
    }

    public String getPullPolicy() {
        return pullPolicy;
    }

    public void setPullPolicy(String pullPolicy) {
        this.pullPolicy = pullPolicy;
    }

    public List<String> getPullSecrets() {
        return pullSecrets;
    }

    public void setPullSecrets(List<String> pullSecrets) {
        this.pullSecrets = pullSecrets;
    }

    /** {@code repository:tag}, or {@code repository@digest} when the tag is a digest. */
    public String reference() {
        return tag.startsWith("sha256:") ? repository + "@" + tag : repository + ":" + tag;
    }
}
