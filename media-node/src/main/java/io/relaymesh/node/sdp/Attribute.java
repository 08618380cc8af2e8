package io.relaymesh.node.sdp;

import java.util.Objects;
import java.util.Optional;

/**
 * An attribute the model does not interpret ({@code a=rtcp:9 IN IP4 0.0.0.0}, {@code a=rtcp-xr:...}, vendor
 * attributes): preserved verbatim so that it survives a parse and write.
 *
 * @param name  attribute name, never empty
 * @param value the text after the first colon, or {@code null} for a property attribute
 */
public record Attribute(String name, String value) {

    public Attribute {
        Objects.requireNonNull(name, "name");
    }

    public static Attribute property(String name) {
        return new Attribute(name, null);
    }

    public Optional<String> valueIfAny() {
        return Optional.ofNullable(value);
    }

    @Override
    public String toString() {
        return value == null ? name : name + ":" + value;
    }
}
