package io.relaymesh.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.relaymesh.operator.testing.Fixtures;
import io.relaymesh.operator.testing.OperatorOnMockServer;
import io.relaymesh.operator.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRDs: the committed YAML is what the Java model generates, the chart ships the same, and every example
 * resource is valid against the schema (the mock API server does not validate; this test does what the real
 * one would for the keywords the schema uses).
 */
class CrdModelTest {

    private static final String REGENERATE = "run ./mvnw -pl operator -Pcrds process-classes and commit crds/ and helm/relaymesh/crds/";

    @ParameterizedTest
    @MethodSource("generatedFiles")
    void committedCrdYamlMatchesTheModel(Path generated) throws IOException {
        String name = generated.getFileName().toString();
        String expected = Files.readString(generated);
        for (Path copy : List.of(RepoFiles.root().resolve("crds").resolve(name), RepoFiles.chart().resolve("crds").resolve(name))) {
            assertThat(copy).as("%s is missing: %s", copy, REGENERATE).exists();
            assertThat(Files.readString(copy)).as("%s differs from the model: %s", copy, REGENERATE).isEqualTo(expected);
        }
    }

    @Test
    void noStaleCrdFilesAreCommitted() throws IOException {
        List<String> generated = generatedFiles().map(p -> p.getFileName().toString()).sorted().toList();
        for (Path dir : List.of(RepoFiles.root().resolve("crds"), RepoFiles.chart().resolve("crds"))) {
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml") || n.endsWith(".yaml"))
                        .sorted().toList()).as("CRD files in %s", dir).isEqualTo(generated);
            }
        }
    }

    static Stream<Path> generatedFiles() throws IOException {
        try (Stream<Path> files = Files.list(RepoFiles.generatedCrds())) {
            return files.filter(p -> p.toString().endsWith("-v1.yml")).sorted().toList().stream();
        }
    }

    @Test
    void crdsHaveStatusScaleAndPrinterColumnsThatPointAtRealFields() {
        Map<String, CustomResourceDefinition> crds = crdsByKind();
        var zone = crds.get("MediaZone").getSpec().getVersions().getFirst();
        assertThat(zone.getSubresources().getStatus()).isNotNull();
        var scale = zone.getSubresources().getScale();
        assertThat(scale.getSpecReplicasPath()).isEqualTo(".spec.webrtc.replicas");
        JSONSchemaProps schema = zone.getSchema().getOpenAPIV3Schema();
        assertThat(at(schema, scale.getSpecReplicasPath()).getType()).isEqualTo("integer");
        assertThat(at(schema, scale.getStatusReplicasPath()).getType()).isEqualTo("integer");
        assertThat(at(schema, scale.getLabelSelectorPath()).getType()).isEqualTo("string");
        for (CustomResourceDefinition crd : crds.values()) {
            var version = crd.getSpec().getVersions().getFirst();
            assertThat(crd.getSpec().getGroup()).isEqualTo("relaymesh.io");
            assertThat(version.getName()).isEqualTo("v1alpha1");
            assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
            assertThat(version.getAdditionalPrinterColumns()).extracting(c -> c.getName()).contains("Ready", "Age");
            for (var column : version.getAdditionalPrinterColumns()) {
                String path = column.getJsonPath().replaceAll("\\[\\?.*?\\]", "");
                if (!path.startsWith(".metadata")) {
                    assertThat(at(version.getSchema().getOpenAPIV3Schema(), path)).as(column.getJsonPath()).isNotNull();
                }
            }
            JSONSchemaProps conditions = at(version.getSchema().getOpenAPIV3Schema(), ".status.conditions").getItems().getSchema();
            assertThat(conditions.getProperties()).containsKeys("type", "status", "reason", "message",
                    "lastTransitionTime", "observedGeneration");
        }
    }

    static Stream<Path> exampleFiles() throws IOException {
        try (Stream<Path> files = Files.list(RepoFiles.kubernetesExamples())) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("exampleFiles")
    void everyExampleIsValidAgainstTheSchema(Path example) {
        Map<String, CustomResourceDefinition> crds = crdsByKind();
        for (HasMetadata item : Fixtures.load(example)) {
            CustomResourceDefinition crd = crds.get(item.getKind());
            if (crd == null) {
                continue;
            }
            JsonNode json = Serialization.jsonMapper().valueToTree(Serialization.unmarshal(Serialization.asJson(item), Map.class));
            List<String> errors = new ArrayList<>();
            validate(crd.getSpec().getVersions().getFirst().getSchema().getOpenAPIV3Schema().getProperties().get("spec"),
                    json.get("spec"), "spec", errors);
            assertThat(errors).as("%s %s", item.getKind(), item.getMetadata().getName()).isEmpty();
        }
    }

    @Test
    void theValidatorRejectsWhatTheApiServerWould() {
        JSONSchemaProps zoneSpec = crdsByKind().get("MediaZone").getSpec().getVersions().getFirst().getSchema()
                .getOpenAPIV3Schema().getProperties().get("spec");
        JsonNode bad = Serialization.jsonMapper().valueToTree(Map.of(
                "zoneId", "Not_A_Label",
                "webrtc", Map.of("replicas", -1, "webrtcPort", 70000),
                "typo", true));
        List<String> errors = new ArrayList<>();
        validate(zoneSpec, bad, "spec", errors);
        assertThat(errors).anyMatch(e -> e.contains("spec.zoneId"))
                .anyMatch(e -> e.contains("spec.webrtc.replicas"))
                .anyMatch(e -> e.contains("spec.webrtc.webrtcPort"))
                .anyMatch(e -> e.contains("spec.typo"))
                .anyMatch(e -> e.contains("spec.clusterRef"));
    }

    /** The structural-schema keywords the generated CRDs use: type, properties, required, min/max, pattern, items. */
    static void validate(JSONSchemaProps schema, JsonNode value, String path, List<String> errors) {
        if (value == null || value.isNull()) {
            return;
        }
        if (Boolean.TRUE.equals(schema.getXKubernetesIntOrString())) {
            return;
        }
        String type = schema.getType();
        if ("object".equals(type)) {
            if (!value.isObject()) {
                errors.add(path + ": expected an object");
                return;
            }
            Map<String, JSONSchemaProps> props = schema.getProperties();
            if (schema.getRequired() != null) {
                for (String required : schema.getRequired()) {
                    if (!value.has(required)) {
                        errors.add(path + "." + required + ": required");
                    }
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (props != null && props.containsKey(field.getKey())) {
                    validate(props.get(field.getKey()), field.getValue(), path + "." + field.getKey(), errors);
                } else if (schema.getAdditionalProperties() != null && schema.getAdditionalProperties().getSchema() != null) {
                    validate(schema.getAdditionalProperties().getSchema(), field.getValue(), path + "." + field.getKey(), errors);
                } else if (!Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())
                        && (props != null || schema.getAdditionalProperties() == null)) {
                    errors.add(path + "." + field.getKey() + ": unknown field");
                }
            }
        } else if ("array".equals(type)) {
            if (!value.isArray()) {
                errors.add(path + ": expected an array");
                return;
            }
            for (int i = 0; i < value.size(); i++) {
                validate(schema.getItems().getSchema(), value.get(i), path + "[" + i + "]", errors);
            }
        } else if ("integer".equals(type)) {
            if (!value.isIntegralNumber()) {
                errors.add(path + ": expected an integer");
                return;
            }
            if (schema.getMinimum() != null && value.asDouble() < schema.getMinimum()) {
                errors.add(path + ": below minimum " + schema.getMinimum());
            }
            if (schema.getMaximum() != null && value.asDouble() > schema.getMaximum()) {
                errors.add(path + ": above maximum " + schema.getMaximum());
            }
        } else if ("string".equals(type)) {
            if (!value.isTextual()) {
                errors.add(path + ": expected a string");
                return;
            }
            if (schema.getPattern() != null && !Pattern.compile(schema.getPattern()).matcher(value.asText()).find()) {
                errors.add(path + ": does not match " + schema.getPattern());
            }
        } else if ("boolean".equals(type) && !value.isBoolean()) {
            errors.add(path + ": expected a boolean");
        }
    }

    private static JSONSchemaProps at(JSONSchemaProps root, String dottedPath) {
        JSONSchemaProps node = root;
        for (String part : dottedPath.substring(1).split("\\.")) {
            if ("array".equals(node.getType())) {
                node = node.getItems().getSchema();
            }
            node = node.getProperties() == null ? null : node.getProperties().get(part);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    private static Map<String, CustomResourceDefinition> crdsByKind() {
        Map<String, CustomResourceDefinition> out = new java.util.HashMap<>();
        for (CustomResourceDefinition crd : OperatorOnMockServer.generatedCrds()) {
            out.put(crd.getSpec().getNames().getKind(), crd);
        }
        return out;
    }
}
