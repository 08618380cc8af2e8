package io.relaymesh.operator.crd.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** An object in the resource's own namespace, by name. */
public class LocalObjectRef {

    @JsonPropertyDescription("Name of the object.")
    @Required
    private String name;

    public LocalObjectRef() {
    }

    public LocalObjectRef(String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
