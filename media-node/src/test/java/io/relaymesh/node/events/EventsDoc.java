package io.relaymesh.node.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The machine-readable part of {@code docs/EVENTS.md}: the envelope table, and per event type its origin
 * ("Emitted by:"), field table and JSON example. {@link #problems} checks one event's JSON against it.
 */
public final class EventsDoc {

    /** One documented member: name and type ({@code string}, {@code integer}, {@code number}, {@code ?} = nullable). */
    public record Field(String name, String type) {
        boolean nullable() {
            return type.endsWith("?");
        }

        String base() {
            return nullable() ? type.substring(0, type.length() - 1) : type;
        }
    }

    /** One documented event type. */
    public record Type(String name, String origin, List<Field> fields, String example) {
    }

    private static final Set<String> TYPES = Set.of("string", "integer", "number");

    private final List<Field> envelope;
    private final Map<String, Type> types;

    private EventsDoc(List<Field> envelope, Map<String, Type> types) {
        this.envelope = envelope;
        this.types = types;
    }

    /** Reads docs/EVENTS.md of the repository (tests run in media-node/). */
    public static EventsDoc load() {
        Path doc = Path.of("..", "docs", "EVENTS.md");
        try {
            return parse(Files.readString(doc));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + doc.toAbsolutePath(), e);
        }
    }

    public static EventsDoc parse(String markdown) {
        List<Field> envelope = new ArrayList<>();
        Map<String, Type> types = new LinkedHashMap<>();
        String section = "";
        String typeName = null;
        String origin = null;
        List<Field> fields = null;
        String example = null;
        boolean inJson = false;
        StringBuilder json = new StringBuilder();
        for (String line : markdown.split("\n", -1)) {
            if (inJson) {
                if (line.startsWith("```")) {
                    inJson = false;
                    if (example == null) {
                        example = json.toString().strip();
                    }
                } else {
                    json.append(line).append('\n');
                }
                continue;
            }
            if (line.startsWith("## ") || line.startsWith("### ")) {
                if (typeName != null) {
                    types.put(typeName, new Type(typeName, origin, List.copyOf(fields), example));
                    typeName = null;
                }
                if (line.startsWith("## ")) {
                    section = line.substring(3).strip();
                } else if (section.equals("Event types")) {
                    typeName = line.substring(4).strip();
                    origin = null;
                    fields = new ArrayList<>();
                    example = null;
                }
                continue;
            }
            if (typeName != null && line.startsWith("Emitted by: ")) {
                String rest = line.substring("Emitted by: ".length());
                origin = rest.substring(0, rest.indexOf('.')).strip();
            } else if (line.startsWith("| `")) {
                String[] cells = line.split("\\|");
                String name = cells[1].strip().replace("`", "");
                String type = cells[2].strip();
                if (section.equals("Envelope")) {
                    envelope.add(field(name, type));
                } else if (typeName != null) {
                    fields.add(field(name, type));
                }
            } else if (typeName != null && line.startsWith("```json")) {
                inJson = true;
                json.setLength(0);
            }
        }
        if (typeName != null) {
            types.put(typeName, new Type(typeName, origin, List.copyOf(fields), example));
        }
        if (envelope.isEmpty() || types.isEmpty()) {
            throw new IllegalStateException("EVENTS.md: no envelope table or no event types found");
        }
        return new EventsDoc(List.copyOf(envelope), types);
    }

    private static Field field(String name, String type) {
        Field f = new Field(name, type);
        if (!TYPES.contains(f.base())) {
            throw new IllegalStateException("EVENTS.md: field " + name + " has unknown type '" + type + "'");
        }
        return f;
    }

    public List<Field> envelope() {
        return envelope;
    }

    public Map<String, Type> types() {
        return types;
    }

    /** What is wrong with {@code json} as a documented event; empty when it conforms. */
    public List<String> problems(String json) {
        List<String> out = new ArrayList<>();
        Map<String, Object> value;
        try {
            value = members(json);
        } catch (IllegalArgumentException e) {
            return List.of(e.getMessage());
        }
        if (!(value.get("type") instanceof String typeName)) {
            return List.of("no string 'type' member: " + json);
        }
        Type type = types.get(typeName);
        if (type == null) {
            return List.of("type '" + typeName + "' is not documented: " + json);
        }
        List<Field> expected = new ArrayList<>(envelope);
        expected.addAll(type.fields());
        List<String> expectedNames = expected.stream().map(Field::name).toList();
        if (!new ArrayList<>(value.keySet()).equals(expectedNames)) {
            out.add(type.name() + ": members " + value.keySet() + " but the doc lists " + expectedNames);
        }
        for (Field f : expected) {
            if (!value.containsKey(f.name())) {
                continue; // reported above
            }
            Object v = value.get(f.name());
            if (!matches(f, v)) {
                out.add(type.name() + "." + f.name() + ": documented as " + f.type() + ", emitted "
                        + (v == null ? "null" : v.getClass().getSimpleName() + " " + v));
            }
        }
        return out;
    }

    private static boolean matches(Field f, Object v) {
        if (v == null) {
            return f.nullable();
        }
        return switch (f.base()) {
            case "string" -> v instanceof String;
            case "integer" -> v instanceof Long || v instanceof java.math.BigInteger;
            case "number" -> v instanceof Number;
            default -> false;
        };
    }

    /**
     * Parses a flat JSON object into its members in document order: String, Long (or BigInteger), Double,
     * Boolean or null values; nested values are refused.
     */
    public static Map<String, Object> members(String json) {
        Map<String, Object> out = new LinkedHashMap<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object: " + json);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                Object v = switch (t) {
                    case VALUE_STRING -> p.getText();
                    case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                            ? p.getBigIntegerValue() : (Object) p.getLongValue();
                    case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                    case VALUE_TRUE, VALUE_FALSE -> p.getBooleanValue();
                    case VALUE_NULL -> null;
                    default -> throw new IllegalArgumentException("member " + name + " is not a plain value: " + json);
                };
                if (out.containsKey(name)) {
                    throw new IllegalArgumentException("member " + name + " twice: " + json);
                }
                out.put(name, v);
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IllegalArgumentException("trailing content: " + json);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage() + ": " + json, e);
        }
        return out;
    }
}
