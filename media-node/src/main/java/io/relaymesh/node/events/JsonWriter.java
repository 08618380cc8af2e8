package io.relaymesh.node.events;

/**
 * Writes one flat JSON object (RFC 8259): string, integer, decimal, boolean and null members. Enough for the
 * event envelope and keeps the model free of a JSON library, so a remote sender needs nothing but the JDK.
 */
public final class JsonWriter {

    private final StringBuilder out = new StringBuilder(256);
    private boolean first = true;

    JsonWriter() {
        out.append('{');
    }

    public JsonWriter string(String name, String value) {
        name(name);
        if (value == null) {
            out.append("null");
        } else {
            quote(value);
        }
        return this;
    }

    public JsonWriter number(String name, long value) {
        name(name);
        out.append(value);
        return this;
    }

    /** A non-negative count or duration, or null when {@code value} is negative (unknown). */
    public JsonWriter numberOrNull(String name, long value) {
        name(name);
        if (value < 0) {
            out.append("null");
        } else {
            out.append(value);
        }
        return this;
    }

    /** A decimal rounded to three places, or null when not finite or negative (unknown). */
    public JsonWriter decimalOrNull(String name, double value) {
        name(name);
        if (!Double.isFinite(value) || value < 0) {
            out.append("null");
        } else {
            out.append(Math.round(value * 1000.0) / 1000.0);
        }
        return this;
    }

    String finish() {
        out.append('}');
        return out.toString();
    }

    private void name(String name) {
        if (!first) {
            out.append(',');
        }
        first = false;
        quote(name);
        out.append(':');
    }

    private void quote(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
